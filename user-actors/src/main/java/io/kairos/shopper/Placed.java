package io.kairos.shopper;

import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import io.kairos.offer.DecisionRecord;
import io.kairos.shopper.ShopperEvent.BehaviourRecorded;
import io.kairos.shopper.ShopperEvent.OrderCancelled;
import io.kairos.shopper.ShopperEvent.OrderPlaced;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A shopper's order as the journal shows it, for the outcome of a decision that issued nothing: such a decision exposes
 * the shopper to no campaign, so no {@code OutcomeRecorded} names it, and the decision log joins the shopper's own
 * orders inside its outcome window instead. An order counts once, as the shopper's order book counts it
 * ({@link OrderBook#place}): the first {@code order} event or {@code POST /v1/orders} with its id gives its time and
 * amount; a cancelled one counts nothing. Refunds are not netted here (they are in the outcomes of decisions that
 * issued an offer or held the shopper out).
 */
record Placed(Instant at, BigDecimal amount, boolean cancelled) {

    static boolean isOrder(Object event) {
        return event instanceof OrderPlaced
                || event instanceof OrderCancelled
                || (event instanceof BehaviourRecorded b
                        && b.event().type() == EventType.ORDER
                        && b.event().orderId() != null);
    }

    /** Adds an order event of the envelope's shopper to {@code placed} (shopper → order id → order). */
    static void collect(EventEnvelope envelope, Map<String, Map<String, Placed>> placed) {
        var event = envelope.event();
        if (!isOrder(event)) return;
        var orders =
                placed.computeIfAbsent(PersistenceId.extractEntityId(envelope.persistenceId()), k -> new HashMap<>());
        if (event instanceof OrderPlaced p) {
            var o = p.order();
            orders.putIfAbsent(o.orderId(), new Placed(o.placedAt(), o.total(), false));
        } else if (event instanceof OrderCancelled c) {
            orders.computeIfPresent(c.orderId(), (id, was) -> new Placed(was.at, was.amount, true));
        } else if (event instanceof BehaviourRecorded b) {
            var e = b.event();
            orders.putIfAbsent(
                    e.orderId(), new Placed(e.occurredAt(), e.amount() == null ? BigDecimal.ZERO : e.amount(), false));
        }
    }

    /** The orders of the decision's shopper placed inside its outcome window: order id → amount. */
    static Map<String, BigDecimal> within(
            Map<String, Map<String, Placed>> placed, DecisionRecord d, Duration outcomeWindow) {
        var out = new HashMap<String, BigDecimal>();
        var until = d.decidedAt().plus(outcomeWindow);
        placed.getOrDefault(d.shopperId(), Map.of()).forEach((id, o) -> {
            if (!o.cancelled && !o.at.isBefore(d.decidedAt()) && !o.at.isAfter(until)) out.put(id, o.amount);
        });
        return out;
    }
}

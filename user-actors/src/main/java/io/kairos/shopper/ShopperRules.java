package io.kairos.shopper;

import io.kairos.offer.OfferBook;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.OfferStatus;
import io.kairos.offer.Trigger;
import io.kairos.shopper.ShopperEvent.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rules that turn what happened to a person into the events to record: a batch of behaviour events (duplicates
 * dropped, the recording policy adopted, lifecycle transitions, decision triggers, claims and opens reported as
 * behaviour, order outcomes attributed to decisions), the lifecycle transition due at a moment, and which decision
 * triggers fire when the person wakes. Pure: no Akka, no clock, no I/O; the entity persists what they return.
 *
 * <p>Every lifecycle change is decided here and recorded as a {@link LifecycleChanged} event, so replay reproduces the
 * stages without the rules (which may change between releases).
 */
final class ShopperRules {
    static final String CART = "cart_abandonment";
    static final String LIFECYCLE = "lifecycle";
    static final String DORMANCY = "dormancy";

    private final ShopperSettings shopper;
    private final OfferSettings offers;

    ShopperRules(ShopperSettings shopper, OfferSettings offers) {
        this.shopper = shopper;
        this.offers = offers;
    }

    /** What a batch of behaviour events produces: the events to persist and how many were new. */
    record Batch(List<ShopperEvent> events, int accepted, int duplicates) {}

    Batch record(
            Person start,
            List<BehaviourEvent> batch,
            Instant receivedAt,
            String receivedAs,
            Optional<LifecycleModel> model) {
        var c = new Changes(start);
        int duplicates = 0;
        adoptPolicy(c);
        for (var e : batch) {
            if (c.person().isDuplicate(e)) {
                duplicates++;
                continue;
            }
            boolean placedBefore = e.type() == EventType.ORDER
                    && e.orderId() != null
                    && c.person().offers().order(e.orderId()).isPresent();
            c.add(new BehaviourRecorded(e, receivedAt, receivedAs, placedBefore));
            // A refund event for an order placed through the API gives its coupons' budget back pro rata.
            if (e.type() == EventType.REFUND && e.orderId() != null) {
                var p = c.person();
                p.offers()
                        .order(e.orderId())
                        .flatMap(o -> RefundRules.byAmount(p, o, e.eventId(), e.amount(), e.occurredAt()))
                        .ifPresent(c::add);
            }
            transition(c, c.person().lastEventAt(), receivedAt, model);
        }
        transition(c, Behaviour.later(receivedAt, c.person().lastEventAt()), receivedAt, model);
        int accepted = batch.size() - duplicates;
        if (accepted == 0) return new Batch(List.of(), 0, duplicates);
        afterBehaviour(c, start, receivedAt);
        return new Batch(c.events(), accepted, duplicates);
    }

    /** The configured recording policy, adopted when the person's differs (its first event, or a new release). */
    void adoptPolicy(Changes c) {
        if (!shopper.recording().equals(c.person().behaviour().policy())) {
            c.add(new PolicyAdopted(shopper.recording()));
        }
    }

    /** The configured recording policy, adopted when the person has none yet (a link, an order before any event). */
    void adoptPolicyIfNone(Changes c) {
        if (c.person().behaviour().policy() == null) c.add(new PolicyAdopted(shopper.recording()));
    }

    /** Net spend from which a person carries the derived tag {@code high_value}. */
    double highValueMonetary() {
        return shopper.highValueMonetary();
    }

    /**
     * Records a lifecycle change if the rules place the person elsewhere at {@code at}, and a decision trigger when the
     * new stage is one that offers react to (a transition that took effect long ago, as in a history import, does not).
     */
    void transition(Changes c, Instant at, Instant detectedAt, Optional<LifecycleModel> model) {
        if (at == null) return;
        var p = c.person();
        var due = shopper.lifecycle().transition(p.stage(), p.lastEventAt(), p.book(), at, model);
        if (due.isEmpty()) return;
        var placed = due.get();
        var changed = c.add(
                new LifecycleChanged(p.stage(), placed.stage(), placed.reason(), placed.effectiveAt(), detectedAt));
        if (offers.lifecycleTriggerStages().contains(changed.stage())
                && !placed.effectiveAt().isBefore(detectedAt.minus(offers.lifecycleTriggerMaxAge()))) {
            c.add(new TriggerScheduled(new Trigger(
                    LIFECYCLE, detectedAt, placed.effectiveAt(), changed.stage().wireName())));
        }
    }

    /** After behaviour was recorded: cart-abandonment and dormancy wake-ups, claims and opens, order outcomes. */
    private void afterBehaviour(Changes c, Person before, Instant receivedAt) {
        var recorded = c.events().stream()
                .filter(BehaviourRecorded.class::isInstance)
                .map(e -> ((BehaviourRecorded) e).event())
                .toList();
        var delay = offers.cartAbandonmentDelay();
        var cartAt = recorded.stream()
                .filter(e -> e.type() == EventType.ADD_TO_CART)
                .map(BehaviourEvent::occurredAt)
                .max(Comparator.naturalOrder())
                .orElse(null);
        var after = c.person();
        var pending = after.offers().triggers().get(CART);
        var lastOrder = after.book().lastOrderAt();
        // A cart older than the delay at arrival (a history import) is not worth a message now.
        if (cartAt != null
                && cartAt.plus(delay).isAfter(receivedAt.minus(delay))
                && (lastOrder == null || cartAt.isAfter(lastOrder))
                && (pending == null || cartAt.isAfter(pending.since()))) {
            c.add(new TriggerScheduled(new Trigger(CART, cartAt.plus(delay), cartAt, null)));
        }
        if (!c.person().offers().triggers().containsKey(DORMANCY) && after.lastEventAt() != null) {
            var dueAt = after.lastEventAt().plus(shopper.lifecycle().dormantAfter());
            c.add(new TriggerScheduled(new Trigger(DORMANCY, dueAt, after.lastEventAt(), null)));
        }
        for (var e : recorded) {
            if (e.couponId() == null) continue;
            var offer = c.person().offers().byCoupon(e.couponId());
            // A claim reported by the shop as a behaviour event is the same claim as through the API.
            if (e.type() == EventType.COUPON_CLAIM
                    && offer.isPresent()
                    && offer.get().status().live()
                    && offer.get().status() != OfferStatus.CLAIMED) {
                var o = offer.get();
                c.add(new OfferClaimed(o.offerId(), o.campaignId(), o.decisionId(), e.occurredAt()));
            }
            // An open or click of a message about a known offer: the funnel's "opened" (read sides count offers).
            if ((e.type() == EventType.MESSAGE_OPEN || e.type() == EventType.MESSAGE_CLICK) && offer.isPresent()) {
                var o = offer.get();
                var channel = e.channel() != null ? e.channel() : o.channel();
                c.add(new OfferOpened(
                        o.offerId(),
                        o.campaignId(),
                        o.decisionId(),
                        channel,
                        e.type().wireName(),
                        e.occurredAt()));
            }
        }
        var orders = new LinkedHashSet<String>();
        for (var e : recorded) if (e.orderId() != null && e.type().needsOrder()) orders.add(e.orderId());
        for (var orderId : orders) outcomes(c, before, orderId, receivedAt);
    }

    /** An order's net amount changed: attribute it to every decision whose outcome window covered the order. */
    static void outcomes(Changes c, Person before, String orderId, Instant at) {
        var after = c.person();
        var line = after.book().recent().stream()
                .filter(l -> l.orderId().equals(orderId))
                .findFirst();
        if (line.isEmpty()) return;
        var net = line.get().net();
        var old = before.book().recent().stream()
                .filter(l -> l.orderId().equals(orderId))
                .findFirst()
                .map(OrderBook.Line::net)
                .orElse(null);
        if (old != null && old.compareTo(net) == 0) return;
        for (var x : after.offers().exposuresAt(line.get().at())) {
            c.add(new OutcomeRecorded(x.decisionId(), x.campaignId(), x.holdout(), orderId, net, at));
        }
    }

    /** What waking at {@code now} does: the triggers that fire, and the decision to take if one asks for it. */
    record Wakeup(String decisionTrigger, List<String> deciding) {}

    /**
     * Fires the triggers due at {@code now} (adding their events to {@code c}): a cart still abandoned, or a lifecycle
     * stage still held, asks for a decision ({@code decisionTrigger}, null when none does); a dormancy wake-up checks
     * again later while the person is active.
     */
    Wakeup wake(Changes c, Instant now) {
        String trigger = null;
        var deciding = new ArrayList<String>();
        var due = pending(c.person().offers())
                .filter(t -> !t.dueAt().isAfter(now))
                .sorted(Comparator.comparing(Trigger::kind))
                .toList();
        for (var t : due) {
            var p = c.person();
            switch (t.kind()) {
                case CART -> {
                    var lastOrder = p.book().lastOrderAt();
                    if (lastOrder != null && !lastOrder.isBefore(t.since())) {
                        c.add(new TriggerFired(CART, now, "ordered since the cart"));
                    } else {
                        deciding.add(CART);
                        trigger = "cart_abandoned";
                    }
                }
                case LIFECYCLE -> {
                    if (p.stage().wireName().equals(t.detail())) {
                        deciding.add(LIFECYCLE);
                        if (trigger == null) trigger = "lifecycle:" + t.detail();
                    } else {
                        c.add(new TriggerFired(LIFECYCLE, now, "stage changed since"));
                    }
                }
                case DORMANCY -> {
                    // The wake-up that detects inactivity: the transition (if any) came before; check again later.
                    var checked = c.add(new TriggerFired(DORMANCY, now, "checked"));
                    var next = checked.lastEventAt().plus(shopper.lifecycle().dormantAfter());
                    if (next.isAfter(now)) {
                        c.add(new TriggerScheduled(new Trigger(DORMANCY, next, checked.lastEventAt(), null)));
                    }
                }
                default -> c.add(new TriggerFired(t.kind(), now, "unknown trigger"));
            }
        }
        return new Wakeup(trigger, deciding);
    }

    /**
     * The triggers waiting to fire, read through the entries: {@code triggers().values()} would leave a cached view in
     * every active shopper's map (16 bytes each, issue 21).
     */
    private static Stream<Trigger> pending(OfferBook book) {
        return book.triggers().entrySet().stream().map(Map.Entry::getValue);
    }

    /** Whether a trigger of the person is due at {@code now} (the entity then wakes itself at once). */
    static boolean due(ShopperState state, Instant now) {
        return state instanceof Person p
                && pending(p.offers()).anyMatch(t -> !t.dueAt().isAfter(now));
    }
}

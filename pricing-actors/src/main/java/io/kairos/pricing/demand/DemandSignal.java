package io.kairos.pricing.demand;

import io.kairos.pricing.DemandObservation;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.ShopperEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one recorded shopper event says about a SKU's demand: a view, an add-to-cart or an order line (with its
 * quantity) that names a SKU, whether it came as an {@code order} event or as an order placed through the API (an order
 * sent both ways counts once). Every other event says nothing about prices and maps to nothing.
 *
 * <p>The observation's id is the journal position of the shopper event ({@code persistenceId#sequenceNr}), not the
 * client's event id: client ids are unique per shopper only, while a journal position is unique, and an at-least-once
 * redelivery carries the same one, so the SKU entity drops it as a duplicate.
 *
 * @param sku the SKU the event names
 */
public record DemandSignal(String sku, DemandObservation observation) {

    /** The demand in one journal event: none, one (a behaviour event) or one per line (an order placed by API). */
    public static List<DemandSignal> of(String persistenceId, long sequenceNr, ShopperEvent event) {
        String id = persistenceId + "#" + sequenceNr;
        if (event instanceof ShopperEvent.OrderPlaced placed) return orderLines(id, placed);
        if (!(event instanceof ShopperEvent.BehaviourRecorded recorded)) return List.of();
        BehaviourEvent e = recorded.event();
        if (!BehaviourEvent.isDemandSignal(e) || recorded.orderPlacedBefore()) return List.of();
        return switch (e.type()) {
            case VIEW -> List.of(new DemandSignal(e.sku(), DemandObservation.view(id, e.occurredAt())));
            case ADD_TO_CART -> List.of(new DemandSignal(e.sku(), DemandObservation.addToCart(id, e.occurredAt())));
            // An order event with a SKU is one order line; without a quantity it is one unit.
            case ORDER ->
                List.of(new DemandSignal(
                        e.sku(), DemandObservation.order(id, e.occurredAt(), e.quantity() == null ? 1 : e.quantity())));
            default -> List.of();
        };
    }

    /**
     * An order placed through {@code POST /v1/orders}: one order per line (ids {@code position#line}), unless
     * {@code order} events with its id came first and were counted already.
     */
    private static List<DemandSignal> orderLines(String id, ShopperEvent.OrderPlaced placed) {
        if (placed.recordedBefore()) return List.of();
        var order = placed.order();
        var out = new ArrayList<DemandSignal>();
        for (int i = 0; i < order.lines().size(); i++) {
            var line = order.lines().get(i);
            out.add(new DemandSignal(
                    line.sku(), DemandObservation.order(id + "#" + i, order.placedAt(), line.quantity())));
        }
        return out;
    }
}

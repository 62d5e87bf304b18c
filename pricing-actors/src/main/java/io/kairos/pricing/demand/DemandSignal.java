package io.kairos.pricing.demand;

import io.kairos.pricing.DemandObservation;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.ShopperEvent;
import java.util.Optional;

/**
 * What one recorded shopper event says about a SKU's demand: a view, an add-to-cart or an order line (with its
 * quantity) that names a SKU. Every other event says nothing about prices and maps to nothing.
 *
 * <p>The observation's id is the journal position of the shopper event ({@code persistenceId#sequenceNr}), not the
 * client's event id: client ids are unique per shopper only, while a journal position is unique, and an at-least-once
 * redelivery carries the same one, so the SKU entity drops it as a duplicate.
 *
 * @param sku the SKU the event names
 */
public record DemandSignal(String sku, DemandObservation observation) {

    public static Optional<DemandSignal> of(String persistenceId, long sequenceNr, ShopperEvent event) {
        if (!(event instanceof ShopperEvent.BehaviourRecorded recorded)) return Optional.empty();
        BehaviourEvent e = recorded.event();
        if (!BehaviourEvent.isDemandSignal(e)) return Optional.empty();
        String id = persistenceId + "#" + sequenceNr;
        return switch (e.type()) {
            case VIEW -> Optional.of(new DemandSignal(e.sku(), DemandObservation.view(id, e.occurredAt())));
            case ADD_TO_CART -> Optional.of(new DemandSignal(e.sku(), DemandObservation.addToCart(id, e.occurredAt())));
            // An order event with a SKU is one order line; without a quantity it is one unit.
            case ORDER ->
                Optional.of(new DemandSignal(
                        e.sku(), DemandObservation.order(id, e.occurredAt(), e.quantity() == null ? 1 : e.quantity())));
            default -> Optional.empty();
        };
    }
}

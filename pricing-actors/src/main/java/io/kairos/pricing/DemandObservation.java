package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.time.Instant;

/**
 * Demand seen for a SKU, from one source event of the shopper stream (one view, one add-to-cart, one order line) or
 * from a pre-aggregated batch of them. The entity attributes it to the price in force at {@code occurredAt}, or to the
 * list price when that is before the SKU was configured.
 *
 * @param eventId the source event's id: the entity ignores an id it has already recorded (at-least-once feeds)
 * @param units units ordered (an order line of quantity 3 has {@code orders = 1, units = 3})
 */
public record DemandObservation(
        String eventId, Instant occurredAt, long views, long addToCarts, long orders, long units)
        implements CborSerializable {

    public static DemandObservation view(String eventId, Instant at) {
        return new DemandObservation(eventId, at, 1, 0, 0, 0);
    }

    public static DemandObservation addToCart(String eventId, Instant at) {
        return new DemandObservation(eventId, at, 0, 1, 0, 0);
    }

    public static DemandObservation order(String eventId, Instant at, long quantity) {
        return new DemandObservation(eventId, at, 0, 0, 1, quantity);
    }

    /** Null-free, non-negative counts; anything else is refused by the entity as a whole batch. */
    public boolean isValid() {
        return eventId != null
                && !eventId.isBlank()
                && occurredAt != null
                && views >= 0
                && addToCarts >= 0
                && orders >= 0
                && units >= 0;
    }
}

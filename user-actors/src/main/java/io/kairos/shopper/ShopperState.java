package io.kairos.shopper;

import io.kairos.serialization.CborSerializable;
import java.time.Instant;

/**
 * The state of a shopper entity. A person ({@code Person}) is a shopper with their own history; an {@link Alias} is an
 * identity (phone, device, open id…) that has been linked to a person and forwards everything to them, so events,
 * offers and contact caps all count on one person. {@link #apply} is the entity's event handler.
 */
public interface ShopperState extends CborSerializable {

    /** The state after {@code event}. */
    ShopperState apply(ShopperEvent event);

    /** An identity linked to {@code ownerId}; keeps what it handed over so a repeated link request is idempotent. */
    record Alias(String ownerId, History handedOver, Instant since) implements ShopperState {
        /** An alias records nothing after it was linked (everything goes to its person) until it is released. */
        @Override
        public ShopperState apply(ShopperEvent event) {
            return event instanceof ShopperEvent.AliasReleased ? Person.empty() : this;
        }
    }
}

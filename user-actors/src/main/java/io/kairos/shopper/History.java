package io.kairos.shopper;

import io.kairos.offer.OfferBook;
import io.kairos.serialization.CborSerializable;
import java.util.Set;

/** A person's history as it is handed to the person it is linked to: everything but its lifecycle. Immutable. */
public record History(Profile profile, Set<String> links, Behaviour behaviour, OrderBook book, OfferBook offers)
        implements CborSerializable {

    public History {
        links = Set.copyOf(links);
        behaviour = behaviour == null ? Behaviour.EMPTY : behaviour;
        offers = offers == null ? OfferBook.EMPTY : offers;
    }

    public boolean isEmpty() {
        return behaviour.eventCount() == 0
                && profile.isEmpty()
                && links.isEmpty()
                && offers.offers().isEmpty();
    }
}

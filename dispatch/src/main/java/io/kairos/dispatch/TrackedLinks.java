package io.kairos.dispatch;

import io.kairos.offer.Offer;

/**
 * Where a message's {@code {{trackingUrl}}} points: a link that records the shopper opening the offer before
 * redirecting to the shop (in a node: {@code io.kairos.tracking.TrackingTokens}, signed, expiring with the offer).
 * {@link #NONE} leaves the slot empty.
 */
@FunctionalInterface
public interface TrackedLinks {
    TrackedLinks NONE = (offer, whom, pseudonym, channel) -> "";

    /**
     * The URL to put in the message about {@code offer} sent on {@code channel} to {@code whom}: the person's pseudonym
     * ({@code pseudonym}, so the link names nobody once the person is erased) or, before pseudonyms, its shopper id.
     */
    String linkFor(Offer offer, String whom, boolean pseudonym, String channel);
}

package io.kairos.dispatch;

import io.kairos.offer.Offer;

/**
 * Where a message's {@code {{trackingUrl}}} points: a link that records the shopper opening the offer before
 * redirecting to the shop (in a node: {@code io.kairos.tracking.TrackingTokens}, signed, expiring with the offer).
 * {@link #NONE} leaves the slot empty.
 */
@FunctionalInterface
public interface TrackedLinks {
    TrackedLinks NONE = (offer, shopperId, channel) -> "";

    /** The URL to put in the message about {@code offer} sent to {@code shopperId} on {@code channel}. */
    String linkFor(Offer offer, String shopperId, String channel);
}

package io.kairos.dispatch;

/**
 * Where a message's {@code {{trackingUrl}}} points: a link that records the shopper opening the offer before
 * redirecting (built by {@code io.kairos.tracking}). {@link #NONE} leaves the slot empty.
 */
@FunctionalInterface
public interface TrackedLinks {
  TrackedLinks NONE = (offerId, shopperId, channel) -> "";

  /** The URL to put in the message about {@code offerId} sent to {@code shopperId} on {@code channel}. */
  String linkFor(String offerId, String shopperId, String channel);
}

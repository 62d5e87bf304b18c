package io.kairos.dispatch;

import java.time.Instant;

/**
 * One message about one offer to one shopper, as a channel sends it. {@code offerId} is the idempotency key: every
 * attempt to deliver the same offer carries it, so a receiver that remembers keys shows the shopper one message.
 *
 * @param address where the channel sends it (e-mail address, phone…), or null when the channel's provider knows the
 *     shopper by id
 * @param terms the coupon's terms, rendered ({@link CouponTerms})
 */
public record Message(
        String offerId,
        String shopperId,
        String campaignId,
        String couponId,
        String channel,
        String address,
        String subject,
        String body,
        String terms,
        Instant expiresAt,
        String trackingUrl) {}

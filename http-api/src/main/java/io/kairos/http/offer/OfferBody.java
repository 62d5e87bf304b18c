package io.kairos.http.offer;

import io.kairos.http.campaign.CouponBody;
import io.kairos.offer.Offer;
import java.math.BigDecimal;
import java.time.Instant;

/** An offer on the wire (API.md's Offer), its status as of the request. */
public record OfferBody(
        String offerId,
        String couponId,
        String campaignId,
        CouponBody coupon,
        String status,
        Instant issuedAt,
        Instant expiresAt,
        String channel,
        String decisionId,
        Instant claimedAt,
        String orderId,
        BigDecimal discount) {

    public static OfferBody of(Offer o, Instant now) {
        return of(o.asOf(now));
    }

    /** An offer whose status is already the one to show (e.g. from a shopper view taken at a given time). */
    public static OfferBody of(Offer seen) {
        return new OfferBody(
                seen.offerId(),
                seen.couponId(),
                seen.campaignId(),
                CouponBody.of(seen.coupon()),
                seen.status().wireName(),
                seen.issuedAt(),
                seen.expiresAt(),
                seen.channel(),
                seen.decisionId(),
                seen.claimedAt(),
                seen.orderId(),
                seen.discount());
    }
}

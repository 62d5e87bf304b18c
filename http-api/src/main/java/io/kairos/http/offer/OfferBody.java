package io.kairos.http.offer;

import io.kairos.campaign.Campaign;
import io.kairos.http.campaign.CouponBody;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferStatus;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An offer on the wire (API.md's Offer), its status as of the request, with what its campaign says about it for the app
 * to show. A preview (for a guest) has no coupon id and cannot be redeemed.
 */
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
        BigDecimal discount,
        String name,
        String description,
        String terms,
        String currency,
        boolean preview) {

    /** Without the campaign's display (the audit's view of an offer). */
    public static OfferBody of(Offer o, Instant now) {
        return of(o.asOf(now), null, Campaign.Display.NONE, null);
    }

    static OfferBody of(Offer seen, String name, Campaign.Display display, String shopCurrency) {
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
                seen.discount(),
                name,
                display.description(),
                display.terms(),
                display.currency() != null ? display.currency() : shopCurrency,
                seen.status() == OfferStatus.PREVIEW);
    }
}

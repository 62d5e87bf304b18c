package io.kairos.offer;

import io.kairos.campaign.Coupon;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One coupon issued to a person: the campaign's coupon template, the id the shopper uses at checkout
 * ({@code couponId}), the budget it reserved, and the decision that produced it. Immutable.
 *
 * @param reserved what issuing it reserved against the campaign's budget ({@code coupon.maxCost()})
 * @param orderId the order that redeemed it, while redeemed
 * @param discount the discount that order took, while redeemed
 */
public record Offer(
        String offerId,
        String couponId,
        String campaignId,
        Coupon coupon,
        OfferStatus status,
        Instant issuedAt,
        Instant expiresAt,
        String channel,
        String decisionId,
        BigDecimal reserved,
        Instant claimedAt,
        String orderId,
        BigDecimal discount) {

    public Offer {
        // Campaign ids and channels repeat across every shopper's wallet: interned, a node holds each once.
        campaignId = campaignId == null ? null : campaignId.intern();
        channel = channel == null ? null : channel.intern();
    }

    /** The status as of {@code now}: a live offer past its expiry reads as expired. */
    public OfferStatus statusAt(Instant now) {
        return status.live() && !now.isBefore(expiresAt) ? OfferStatus.EXPIRED : status;
    }

    public boolean usableAt(Instant now) {
        return statusAt(now).live();
    }

    public Offer withStatus(OfferStatus s) {
        return changed(s, claimedAt, orderId, discount);
    }

    public Offer claimed(Instant at) {
        return changed(OfferStatus.CLAIMED, at, orderId, discount);
    }

    public Offer redeemed(String order, BigDecimal amount) {
        return changed(OfferStatus.REDEEMED, claimedAt, order, amount);
    }

    /**
     * Given back by a cancelled order: usable again until it expires, claimed only if the shopper had claimed it (an
     * offer redeemed without a claim comes back issued).
     */
    public Offer returned() {
        return changed(claimedAt != null ? OfferStatus.CLAIMED : OfferStatus.ISSUED, claimedAt, null, null);
    }

    /** The same offer with what changes over its life (the rest is fixed when it is issued). */
    private Offer changed(OfferStatus s, Instant claimed, String order, BigDecimal amount) {
        return new Offer(
                offerId,
                couponId,
                campaignId,
                coupon,
                s,
                issuedAt,
                expiresAt,
                channel,
                decisionId,
                reserved,
                claimed,
                order,
                amount);
    }

    /** As seen at {@code now} (the derived status), what replies and views show. */
    public Offer asOf(Instant now) {
        var s = statusAt(now);
        return s == status ? this : withStatus(s);
    }
}

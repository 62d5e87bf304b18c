package io.kairos.offer;

import io.kairos.campaign.Coupon;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

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

    /** The prefix of an offer id made from its decision id: {@code of-<decisionId>}. */
    private static final String DERIVED = "of-";

    public Offer {
        // Campaign ids and channels repeat across every shopper's wallet: interned, a node holds each once.
        campaignId = campaignId == null ? null : campaignId.intern();
        channel = channel == null ? null : channel.intern();
        // An offer's id is its decision's id after "of-" (as Kairos issues them): not held twice (about 80 bytes
        // per offer in a shopper's wallet); the accessor answers it.
        Objects.requireNonNull(offerId, "offerId");
        if (derived(offerId, decisionId)) offerId = null;
    }

    private static boolean derived(String offerId, String decisionId) {
        return decisionId != null
                && offerId.length() == DERIVED.length() + decisionId.length()
                && offerId.startsWith(DERIVED)
                && offerId.endsWith(decisionId);
    }

    @Override
    public String offerId() {
        return offerId != null ? offerId : DERIVED + decisionId;
    }

    /** As a record shows itself, with the offer id it answers (the field is null while derived). */
    @Override
    public String toString() {
        return "Offer[offerId=%s, couponId=%s, campaignId=%s, coupon=%s, status=%s, issuedAt=%s, expiresAt=%s, channel=%s,"
                        .formatted(offerId(), couponId, campaignId, coupon, status, issuedAt, expiresAt, channel)
                + " decisionId=%s, reserved=%s, claimedAt=%s, orderId=%s, discount=%s]"
                        .formatted(decisionId, reserved, claimedAt, orderId, discount);
    }

    /** Whether this is offer {@code id}, without building the id. */
    public boolean hasOfferId(String id) {
        return offerId != null ? offerId.equals(id) : id != null && derived(id, decisionId);
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
                offerId(),
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

package io.kairos.offer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kairos.campaign.Coupon;
import io.kairos.entity.PackedIds;
import io.kairos.entity.PackedTimes;
import io.kairos.serialization.ExplicitProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One coupon issued to a person: the campaign's coupon template, the id the shopper uses at checkout
 * ({@code couponId}), the budget it reserved, and the decision that produced it. Immutable, with a record's accessors,
 * equality and serialized form (the thirteen properties below, in this order).
 *
 * <p>A shopper's wallet holds its offers for months, so an offer holds what Kairos generated compactly (issue 21): its
 * id is its decision's id after {@code of-} and is not held at all; the decision id (a UUID) is held as two
 * {@code long}s and the coupon code as one ({@link PackedIds}), its expiry as a span after its issue
 * ({@link PackedTimes}); campaign ids and channels are interned. Ids of other forms, and what only claimed or redeemed
 * offers have, are held apart in one object that most offers do not need.
 *
 * <p>{@code reserved}: what issuing it reserved against the campaign's budget ({@code coupon.maxCost()});
 * {@code orderId}: the order that redeemed it, while redeemed; {@code discount}: the discount that order took, while
 * redeemed.
 */
@ExplicitProperties
@JsonPropertyOrder({
    "offerId",
    "couponId",
    "campaignId",
    "coupon",
    "status",
    "issuedAt",
    "expiresAt",
    "channel",
    "decisionId",
    "reserved",
    "claimedAt",
    "orderId",
    "discount"
})
public final class Offer {

    /** The prefix of an offer id made from its decision id: {@code of-<decisionId>}. */
    private static final String DERIVED = "of-";

    private final long couponCode; // the coupon id (PackedIds), or NOT_PACKED: the id is in rare
    private final long decisionHigh; // the decision id (PackedIds), or zeros: the id is in rare
    private final long decisionLow;
    private final String campaignId;
    private final Coupon coupon;
    private final OfferStatus status;
    private final Instant issuedAt;
    private final long expiresAfter; // expiresAt as nanoseconds after issuedAt (PackedTimes)
    private final String channel;
    private final BigDecimal reserved;
    private final Rare rare; // null while all of it is

    /**
     * What most offers hold nothing of, apart (one reference instead of seven, 24 bytes less per offer): ids of forms
     * that cannot be packed (offerId: null while it is "of-" and the decision id; couponId, decisionId: null while
     * packed or absent), an expiry too far to pack, and what a claim or a redemption adds.
     */
    private record Rare(
            String offerId,
            String couponId,
            String decisionId,
            Instant expiresFar,
            Instant claimedAt,
            String orderId,
            BigDecimal discount) {
        static final Rare NONE = new Rare(null, null, null, null, null, null, null);
    }

    @JsonCreator
    public Offer(
            @JsonProperty("offerId") String offerId,
            @JsonProperty("couponId") String couponId,
            @JsonProperty("campaignId") String campaignId,
            @JsonProperty("coupon") Coupon coupon,
            @JsonProperty("status") OfferStatus status,
            @JsonProperty("issuedAt") Instant issuedAt,
            @JsonProperty("expiresAt") Instant expiresAt,
            @JsonProperty("channel") String channel,
            @JsonProperty("decisionId") String decisionId,
            @JsonProperty("reserved") BigDecimal reserved,
            @JsonProperty("claimedAt") Instant claimedAt,
            @JsonProperty("orderId") String orderId,
            @JsonProperty("discount") BigDecimal discount) {
        Objects.requireNonNull(offerId, "offerId");
        this.couponCode = PackedIds.couponCode(couponId);
        boolean packed = PackedIds.isUuid(decisionId);
        this.decisionHigh = packed ? PackedIds.uuidHigh(decisionId) : 0;
        this.decisionLow = packed ? PackedIds.uuidLow(decisionId) : 0;
        // Campaign ids and channels repeat across every shopper's wallet: interned, a node holds each once.
        this.campaignId = campaignId == null ? null : campaignId.intern();
        this.coupon = coupon;
        this.status = status;
        this.issuedAt = issuedAt;
        this.expiresAfter = PackedTimes.span(issuedAt, expiresAt);
        this.channel = channel == null ? null : channel.intern();
        this.reserved = reserved;
        var r = new Rare(
                derived(offerId, decisionId) ? null : offerId,
                couponCode == PackedIds.NOT_PACKED ? couponId : null,
                packed ? null : decisionId,
                expiresAfter == PackedTimes.FAR ? expiresAt : null,
                claimedAt,
                orderId,
                discount);
        this.rare = r.equals(Rare.NONE) ? null : r;
    }

    private Rare rare() {
        return rare != null ? rare : Rare.NONE;
    }

    private static boolean derived(String offerId, String decisionId) {
        return decisionId != null
                && offerId.length() == DERIVED.length() + decisionId.length()
                && offerId.startsWith(DERIVED)
                && offerId.endsWith(decisionId);
    }

    private boolean decisionPacked() {
        return rare().decisionId() == null && (decisionHigh != 0 || decisionLow != 0);
    }

    @JsonProperty("offerId")
    public String offerId() {
        return rare().offerId() != null ? rare().offerId() : DERIVED + decisionId();
    }

    @JsonProperty("couponId")
    public String couponId() {
        return couponCode == PackedIds.NOT_PACKED ? rare().couponId() : PackedIds.couponId(couponCode);
    }

    @JsonProperty("campaignId")
    public String campaignId() {
        return campaignId;
    }

    @JsonProperty("coupon")
    public Coupon coupon() {
        return coupon;
    }

    @JsonProperty("status")
    public OfferStatus status() {
        return status;
    }

    @JsonProperty("issuedAt")
    public Instant issuedAt() {
        return issuedAt;
    }

    @JsonProperty("expiresAt")
    public Instant expiresAt() {
        return PackedTimes.end(issuedAt, expiresAfter, rare().expiresFar());
    }

    @JsonProperty("channel")
    public String channel() {
        return channel;
    }

    @JsonProperty("decisionId")
    public String decisionId() {
        return decisionPacked() ? PackedIds.uuid(decisionHigh, decisionLow) : rare().decisionId();
    }

    @JsonProperty("reserved")
    public BigDecimal reserved() {
        return reserved;
    }

    @JsonProperty("claimedAt")
    public Instant claimedAt() {
        return rare().claimedAt();
    }

    @JsonProperty("orderId")
    public String orderId() {
        return rare().orderId();
    }

    @JsonProperty("discount")
    public BigDecimal discount() {
        return rare().discount();
    }

    /** Whether this offer's coupon id is {@code id}, without building the id. */
    public boolean hasCouponId(String id) {
        return couponCode == PackedIds.NOT_PACKED
                ? Objects.equals(rare().couponId(), id)
                : PackedIds.couponCode(id) == couponCode;
    }

    /** Whether this offer was made by decision {@code id}, without building the id. */
    public boolean hasDecisionId(String id) {
        return decisionPacked()
                ? PackedIds.isUuid(id, decisionHigh, decisionLow)
                : Objects.equals(rare().decisionId(), id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Offer other
                && couponCode == other.couponCode
                && decisionHigh == other.decisionHigh
                && decisionLow == other.decisionLow
                && expiresAfter == other.expiresAfter
                && Objects.equals(rare, other.rare)
                && Objects.equals(campaignId, other.campaignId)
                && Objects.equals(coupon, other.coupon)
                && status == other.status
                && Objects.equals(issuedAt, other.issuedAt)
                && Objects.equals(channel, other.channel)
                && Objects.equals(reserved, other.reserved);
    }

    @Override
    public int hashCode() {
        return Objects.hash(couponCode, decisionHigh, decisionLow, rare, campaignId, status, issuedAt, expiresAfter);
    }

    /** As a record shows itself. */
    @Override
    public String toString() {
        return "Offer[offerId=%s, couponId=%s, campaignId=%s, coupon=%s, status=%s, issuedAt=%s, expiresAt=%s, channel=%s,"
                        .formatted(offerId(), couponId(), campaignId, coupon, status, issuedAt, expiresAt(), channel)
                + " decisionId=%s, reserved=%s, claimedAt=%s, orderId=%s, discount=%s]"
                        .formatted(decisionId(), reserved, claimedAt(), orderId(), discount());
    }

    /** Whether this is offer {@code id}, without building the id. */
    public boolean hasOfferId(String id) {
        if (rare().offerId() != null) return rare().offerId().equals(id);
        if (id == null || !id.startsWith(DERIVED)) return false;
        return decisionPacked()
                ? PackedIds.isUuid(id, DERIVED.length(), decisionHigh, decisionLow)
                : hasDecisionId(id.substring(DERIVED.length()));
    }

    /** The status as of {@code now}: a live offer past its expiry reads as expired. */
    public OfferStatus statusAt(Instant now) {
        return status.live() && !now.isBefore(expiresAt()) ? OfferStatus.EXPIRED : status;
    }

    public boolean usableAt(Instant now) {
        return statusAt(now).live();
    }

    public Offer withStatus(OfferStatus s) {
        return changed(s, rare().claimedAt(), rare().orderId(), rare().discount());
    }

    public Offer claimed(Instant at) {
        return changed(OfferStatus.CLAIMED, at, rare().orderId(), rare().discount());
    }

    public Offer redeemed(String order, BigDecimal amount) {
        return changed(OfferStatus.REDEEMED, rare().claimedAt(), order, amount);
    }

    /**
     * Given back by a cancelled order: usable again until it expires, claimed only if the shopper had claimed it (an
     * offer redeemed without a claim comes back issued).
     */
    public Offer returned() {
        return changed(
                rare().claimedAt() != null ? OfferStatus.CLAIMED : OfferStatus.ISSUED, rare().claimedAt(), null, null);
    }

    /** The same offer with what changes over its life (the rest is fixed when it is issued). */
    private Offer changed(OfferStatus s, Instant claimed, String order, BigDecimal amount) {
        var r = rare();
        var changed = new Rare(r.offerId(), r.couponId(), r.decisionId(), r.expiresFar(), claimed, order, amount);
        return new Offer(this, s, changed.equals(Rare.NONE) ? null : changed);
    }

    /** {@code base} with another status and rarely set fields: what is packed is copied, not built and packed again. */
    private Offer(Offer base, OfferStatus status, Rare rare) {
        this.couponCode = base.couponCode;
        this.decisionHigh = base.decisionHigh;
        this.decisionLow = base.decisionLow;
        this.campaignId = base.campaignId;
        this.coupon = base.coupon;
        this.status = status;
        this.issuedAt = base.issuedAt;
        this.expiresAfter = base.expiresAfter;
        this.channel = base.channel;
        this.reserved = base.reserved;
        this.rare = rare;
    }

    /** As seen at {@code now} (the derived status), what replies and views show. */
    public Offer asOf(Instant now) {
        var s = statusAt(now);
        return s == status ? this : withStatus(s);
    }
}

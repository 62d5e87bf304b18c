package io.kairos.shopper;

import io.kairos.campaign.Coupon;
import io.kairos.offer.FeatureValues;
import io.kairos.offer.OfferPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The feature names and values the uplift model sees, built from a person's state at the moment of a decision and from
 * a candidate offer. The names are the contract with the model's feature schema ({@code role shopper} and {@code role
 * offer}); a model trained from Kairos's own decision log ({@code JournalDecisionLog}) uses exactly these.
 *
 * <p>Shopper: {@code recencyDays} (since the last order; absent before one), {@code frequency}, {@code monetary},
 * {@code tenureDays}, {@code daysSinceLastEvent}, {@code eventCount}, decayed {@code views}, {@code carts},
 * {@code couponAffinity}, {@code couponDependency} ({@link CouponDependency}, only when above 0); categories
 * {@code stage}, {@code region}, {@code member}, {@code ageBand}, {@code gender}, {@code preferenceClass}
 * ({@link CouponPreference}). Offer: {@code value}, {@code minSpend}, {@code maxDiscount}, {@code maxCost},
 * {@code typePreference} (the shopper's share of this coupon type); categories {@code couponType}, {@code channel},
 * {@code campaignId}.
 */
public final class DecisionFeatures {
    private DecisionFeatures() {}

    /** The shopper's features; {@code preference} is {@link #preference}'s answer for the same moment. */
    public static FeatureValues shopper(Person p, Instant now, CouponPreference preference) {
        var n = new TreeMap<String, Double>();
        var c = new TreeMap<String, String>();
        var book = p.book();
        if (book.lastOrderAt() != null)
            n.put("recencyDays", (double)
                    Math.max(0, Duration.between(book.lastOrderAt(), now).toDays()));
        n.put("frequency", (double) book.orders());
        n.put("monetary", book.monetary().doubleValue());
        var b = p.behaviour();
        if (b.firstSeenAt() != null)
            n.put("tenureDays", (double)
                    Math.max(0, Duration.between(b.firstSeenAt(), now).toDays()));
        if (p.lastEventAt() != null)
            n.put("daysSinceLastEvent", (double)
                    Math.max(0, Duration.between(b.lastEventAt(), now).toDays()));
        n.put("eventCount", (double) b.eventCount());
        if (b.policy() != null) {
            var h = b.policy().halfLife();
            n.put("views", round(b.typeScores().valueAt(EventType.VIEW.wireName(), now, h)));
            n.put("carts", round(b.typeScores().valueAt(EventType.ADD_TO_CART.wireName(), now, h)));
            n.put(
                    "couponAffinity",
                    round(b.preferences().valuesAt(now, h).values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum()));
        }
        // absent without evidence, so a shopper who never leaned on coupons has the features she had before
        double dependency = CouponDependency.of(p.offers(), now);
        if (dependency > 0) n.put(OfferPolicy.COUPON_DEPENDENCY, round(dependency));
        c.put("preferenceClass", preference.preferenceClass());
        c.put("stage", p.stage().wireName());
        var profile = p.profile();
        if (profile.region() != null) c.put("region", profile.region());
        if (profile.member() != null) c.put("member", profile.member().toString());
        if (profile.ageBand() != null) c.put("ageBand", profile.ageBand());
        if (profile.gender() != null) c.put("gender", profile.gender());
        return new FeatureValues(n, c);
    }

    /** The person's coupon-type preference now (unknown before anything was recorded). */
    public static CouponPreference preference(Person p, Instant now) {
        var b = p.behaviour();
        return CouponPreference.of(b.preferences().valuesAt(now, b.halfLife()));
    }

    public static FeatureValues offer(String campaignId, Coupon coupon, String channel, CouponPreference preference) {
        var n = new TreeMap<String, Double>();
        n.put("typePreference", preference.share(coupon.type()));
        n.put("value", coupon.value().doubleValue());
        if (coupon.minSpend() != null) n.put("minSpend", coupon.minSpend().doubleValue());
        if (coupon.maxDiscount() != null)
            n.put("maxDiscount", coupon.maxDiscount().doubleValue());
        n.put("maxCost", coupon.maxCost().doubleValue());
        return new FeatureValues(
                n, Map.of("couponType", coupon.type().wireName(), "channel", channel, "campaignId", campaignId));
    }

    /** Six decimals: decayed scores are recorded at a precision a reader can compare. */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}

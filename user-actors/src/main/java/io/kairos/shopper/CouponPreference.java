package io.kairos.shopper;

import io.kairos.campaign.CouponType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which kind of coupon a shopper answers to, from the decayed counts of the coupon types they claimed (1) and ordered
 * with (2): the share of each coupon type, and a class over the four kinds retailers plan for.
 *
 * <ul>
 *   <li>{@code discount} ({@code amount_off}, {@code percent_off}), {@code spend-x-save-y}
 *       ({@code threshold_amount_off}), {@code free-shipping} ({@code free_shipping}), {@code bundle} ({@code bundle});
 *   <li>the class is the kind holding at least half of the evidence; {@code mixed} when none does; {@code unknown}
 *       while the decayed evidence is below half a claim (one claim counts until it is a half-life old).
 * </ul>
 *
 * The shares reach the uplift model as features (the shopper's {@code preferenceClass}, each candidate's
 * {@code typePreference}: the share of its own coupon type), so a model trained on Kairos's decisions or imported can
 * rank the coupon types each shopper answers to.
 *
 * @param preferenceClass discount, spend-x-save-y, free-shipping, bundle, mixed or unknown
 * @param byType the share of each coupon type's evidence (all types, summing to 1; all 0 without any evidence)
 */
public record CouponPreference(String preferenceClass, Map<String, Double> byType) {
    /**
     * Decayed evidence below this says nothing yet: half a claim, so a fresh claim counts (found in a dev session: one
     * claim, already decayed a little, read as unknown).
     */
    static final double MIN_EVIDENCE = 0.5;

    public static final String UNKNOWN = "unknown";
    public static final String MIXED = "mixed";

    public CouponPreference {
        byType = Map.copyOf(byType);
    }

    /** From the decayed preference values by coupon type (names that are not coupon types are ignored). */
    public static CouponPreference of(Map<String, Double> decayed) {
        double total = 0;
        for (var t : CouponType.values()) total += decayed.getOrDefault(t.wireName(), 0.0);
        var shares = new LinkedHashMap<String, Double>();
        var byKind = new LinkedHashMap<String, Double>();
        for (var t : CouponType.values()) {
            double share = total > 0 ? decayed.getOrDefault(t.wireName(), 0.0) / total : 0.0;
            shares.put(t.wireName(), Math.round(share * 1e6) / 1e6);
            byKind.merge(kind(t), share, Double::sum);
        }
        if (total < MIN_EVIDENCE) return new CouponPreference(UNKNOWN, shares);
        var top = byKind.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        return new CouponPreference(top.getValue() >= 0.5 ? top.getKey() : MIXED, shares);
    }

    /** The kind of coupon a type belongs to. */
    static String kind(CouponType type) {
        return switch (type) {
            case AMOUNT_OFF, PERCENT_OFF -> "discount";
            case THRESHOLD_AMOUNT_OFF -> "spend-x-save-y";
            case FREE_SHIPPING -> "free-shipping";
            case BUNDLE -> "bundle";
        };
    }

    /** The share of {@code type}'s evidence (0 while unknown). */
    public double share(CouponType type) {
        return byType.getOrDefault(type.wireName(), 0.0);
    }
}

package io.kairos.shopper;

import io.kairos.campaign.Campaign;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.offer.FeatureValues;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a {@link CampaignForecast} reads the decision ledger's rows: who they are, whether the draft may reach them,
 * whether they logged the draft's coupon, what their orders came to, and the features a decision evaluates.
 */
final class LedgerRows {
    private LedgerRows() {}

    static boolean admits(Campaign draft, LoggedDecision d) {
        var stages = draft.eligibility().stages();
        if (stages.isEmpty()) return true;
        var stage = d.shopper().get("stage");
        return stage != null && stages.stream().anyMatch(s -> s.wireName().equals(stage));
    }

    /** Whose the row is: its shopper, or the decision alone when the record did not say (older records). */
    static String shopperOf(LoggedDecision d) {
        return d.shopperId() != null ? d.shopperId() : "decision:" + d.decisionId();
    }

    /**
     * +1: the row issued the draft's coupon; −1: it withheld it (a holdout); 0: neither, or its propensity is not one a
     * weight can be made of (as for training rows).
     */
    static int matches(Campaign draft, LoggedDecision d) {
        var offer = d.holdout() ? (d.action() == null ? null : d.action().offer()) : d.offer();
        if (offer == null || offer.isEmpty() || !d.hasPropensity()) return 0;
        var c = draft.coupon();
        boolean same = c.type().wireName().equals(offer.get("couponType"))
                && number(offer.get("value")) == c.value().doubleValue()
                && number(offer.get("minSpend"))
                        == (c.minSpend() == null ? 0 : c.minSpend().doubleValue())
                && number(offer.get("maxDiscount"))
                        == (c.maxDiscount() == null ? 0 : c.maxDiscount().doubleValue());
        if (!same) return 0;
        return d.holdout() ? -1 : 1;
    }

    /**
     * The visit's rows that logged the draft's coupon: those that issued it, and those that withheld it (holdouts) from
     * a visit that issued no offer at all. A shopper held out of one campaign may have got another campaign's offer in
     * the same decision; her outcome is then no control for "no offer".
     */
    static List<LoggedDecision> loggedIn(Campaign draft, List<LoggedDecision> visit) {
        boolean offered =
                visit.stream().anyMatch(d -> !d.holdout() && !d.offer().isEmpty());
        return visit.stream()
                .filter(d -> {
                    int m = matches(draft, d);
                    return m > 0 || m < 0 && !offered;
                })
                .toList();
    }

    /** What the row's orders came to within its outcome window (0 when it did not convert). */
    static double orderValue(LoggedDecision d) {
        return d.converted() && Double.isFinite(d.orderValue()) ? d.orderValue() : 0;
    }

    /** What the draft's coupon takes off an order of {@code value} (none off no order). */
    static double discountOn(Campaign draft, double value) {
        return value > 0
                ? io.kairos.offer.Checkout.expectedDiscount(draft.coupon(), BigDecimal.valueOf(value))
                        .doubleValue()
                : 0;
    }

    /**
     * The shopper's share of the draft's coupon type: a logged offer's of the visit when it was of that type (the
     * ledger keeps the share of the chosen or withheld offer only), else none.
     */
    static CouponPreference preference(Campaign draft, List<LoggedDecision> visit) {
        var type = draft.coupon().type().wireName();
        double share = 0;
        for (var d : visit) {
            var offer = d.holdout()
                    ? (d.action() == null
                            ? Map.<String, Object>of()
                            : d.action().offer())
                    : d.offer();
            if (type.equals(offer.get("couponType"))) share = number(offer.get("typePreference"));
        }
        var cls = visit.get(0).shopper().get("preferenceClass");
        return new CouponPreference(cls == null ? CouponPreference.UNKNOWN : cls.toString(), Map.of(type, share));
    }

    static BigDecimal averageOrderValue(FeatureValues shopper) {
        double orders = shopper.numbers().getOrDefault("frequency", 0.0);
        double spent = shopper.numbers().getOrDefault("monetary", 0.0);
        return orders > 0 ? BigDecimal.valueOf(spent / orders) : null;
    }

    /** A ledger row's features back as the typed maps a decision evaluates. */
    static FeatureValues features(Map<String, ?> values) {
        var numbers = new TreeMap<String, Double>();
        var categories = new TreeMap<String, String>();
        values.forEach((k, v) -> {
            if (v instanceof Number x) numbers.put(k, x.doubleValue());
            else if (v != null) categories.put(k, v.toString());
        });
        return new FeatureValues(numbers, categories);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}

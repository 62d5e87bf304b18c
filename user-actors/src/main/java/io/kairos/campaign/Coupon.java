package io.kairos.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign's coupon template, carried unchanged by every offer issued from it.
 *
 * <p>Invariants (checked here, so no coupon that breaks them can exist): money has at most two decimals and is
 * positive; a percent-off coupon has {@code 0 < value ≤ 100} and a {@code maxDiscount}; a threshold coupon has a
 * {@code minSpend}; a bundle names at least two SKUs. {@link #maxCost()}, what one issued coupon can cost at most, is
 * what issuing it reserves against the campaign's budget, so every issued coupon can be honoured.
 *
 * @param skus SKUs the coupon applies to (empty = every SKU, unless {@code categories} restricts it)
 * @param categories categories the coupon applies to (empty = every category)
 * @param stackGroup at most one coupon per stack group applies to an order; {@code null} is the group "default"
 */
public record Coupon(
        CouponType type,
        BigDecimal value,
        BigDecimal minSpend,
        BigDecimal maxDiscount,
        List<String> skus,
        List<String> categories,
        String stackGroup) {

    public static final String DEFAULT_STACK_GROUP = "default";

    public Coupon {
        skus = skus == null ? List.of() : List.copyOf(skus);
        categories = categories == null ? List.of() : List.copyOf(categories);
        var problems = problems(type, value, minSpend, maxDiscount, skus);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }

    /** What is wrong with these fields, by field name; empty when they make a valid coupon. */
    public static List<String> problems(
            CouponType type, BigDecimal value, BigDecimal minSpend, BigDecimal maxDiscount, List<String> skus) {
        var out = new ArrayList<String>();
        if (type == null) out.add("type: is required");
        if (value == null || value.signum() <= 0 || value.scale() > 2)
            out.add("value: must be positive with at most 2 decimals");
        if (minSpend != null && (minSpend.signum() < 0 || minSpend.scale() > 2))
            out.add("minSpend: must be ≥ 0 with at most 2 decimals");
        if (maxDiscount != null && (maxDiscount.signum() <= 0 || maxDiscount.scale() > 2))
            out.add("maxDiscount: must be positive with at most 2 decimals");
        if (type == CouponType.PERCENT_OFF) {
            if (value != null && value.compareTo(BigDecimal.valueOf(100)) > 0)
                out.add("value: a percentage is at most 100");
            if (maxDiscount == null)
                out.add("maxDiscount: percent_off coupons need one (it is what each issued coupon reserves)");
        }
        if (type == CouponType.THRESHOLD_AMOUNT_OFF && minSpend == null)
            out.add("minSpend: threshold_amount_off coupons need one");
        if (type == CouponType.BUNDLE && (skus == null || skus.size() < 2))
            out.add("skus: a bundle names at least two SKUs");
        return out;
    }

    /** The most one issued coupon can take off an order: what issuing it reserves against the budget. */
    public BigDecimal maxCost() {
        return switch (type) {
            case PERCENT_OFF -> maxDiscount;
            case AMOUNT_OFF, THRESHOLD_AMOUNT_OFF, FREE_SHIPPING, BUNDLE ->
                maxDiscount == null ? value : value.min(maxDiscount);
        };
    }

    public String group() {
        return stackGroup == null ? DEFAULT_STACK_GROUP : stackGroup;
    }

    /**
     * Whether a line of this SKU and category counts toward the coupon: a bundle's own SKUs, else what it
     * {@linkplain #covers covers}.
     */
    public boolean eligible(String sku, String category) {
        return type == CouponType.BUNDLE ? skus.contains(sku) : covers(sku, category);
    }

    /** Whether a line of this SKU and category is one the coupon applies to. */
    public boolean covers(String sku, String category) {
        if (skus.isEmpty() && categories.isEmpty()) return true;
        return skus.contains(sku) || (category != null && categories.contains(category));
    }
}

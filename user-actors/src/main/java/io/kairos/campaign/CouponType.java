package io.kairos.campaign;

import io.kairos.wire.WireName;

/**
 * The kinds of coupon a campaign can issue (wire names as in API.md). Their arithmetic is in
 * {@code io.kairos.offer.Discounts}; what each reserves against the budget is {@link Coupon#maxCost()}.
 */
public enum CouponType implements WireName {
    /** {@code value} percent off the eligible items, never more than {@code maxDiscount} (required). */
    PERCENT_OFF,
    /** {@code value} off the eligible items (never more than they cost). */
    AMOUNT_OFF,
    /** Spend-X-save-Y: {@code value} off once the eligible items reach {@code minSpend} (required). */
    THRESHOLD_AMOUNT_OFF,
    /** The shipping fee, up to {@code value}. */
    FREE_SHIPPING,
    /** {@code value} off once when the order holds every one of the listed {@code skus} (at least two). */
    BUNDLE;
}

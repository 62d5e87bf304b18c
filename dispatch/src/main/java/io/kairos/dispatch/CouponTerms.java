package io.kairos.dispatch;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A coupon's terms in words, exactly as the checkout applies them ({@code io.kairos.offer.Checkout}): amount or percent
 * off, the cap of a percentage, the minimum spend, what a bundle needs and free shipping's ceiling. Money is written
 * with two decimals and the shop's currency.
 */
public final class CouponTerms {
    private CouponTerms() {}

    public static String render(Coupon c, String currency) {
        var text = new StringBuilder();
        switch (c.type()) {
            case PERCENT_OFF ->
                text.append(plain(c.value()))
                        .append("% off")
                        .append(scope(c))
                        .append(" (at most ")
                        .append(money(c.maxDiscount(), currency))
                        .append(")");
            case AMOUNT_OFF ->
                text.append(money(c.value(), currency)).append(" off").append(scope(c));
            case THRESHOLD_AMOUNT_OFF ->
                text.append(money(c.value(), currency)).append(" off").append(scope(c));
            case FREE_SHIPPING ->
                text.append("Free shipping (up to ")
                        .append(money(c.value(), currency))
                        .append(")");
            case BUNDLE ->
                text.append(money(c.value(), currency))
                        .append(" off when you buy ")
                        .append(String.join(" + ", c.skus()));
        }
        // A percentage states its cap above; for the others a cap below the face value is what an order can get.
        if (c.type() != CouponType.PERCENT_OFF
                && c.maxDiscount() != null
                && c.maxDiscount().compareTo(c.value()) < 0) {
            text.append(" (at most ").append(money(c.maxDiscount(), currency)).append(")");
        }
        if (c.minSpend() != null && c.minSpend().signum() > 0) {
            text.append(", on orders of ").append(money(c.minSpend(), currency)).append(" or more");
        }
        return text.append('.').toString();
    }

    private static String scope(Coupon c) {
        if (c.type() == CouponType.BUNDLE) return "";
        if (!c.skus().isEmpty()) return " " + String.join(", ", c.skus());
        if (!c.categories().isEmpty()) return " in " + String.join(", ", c.categories());
        return "";
    }

    static String money(BigDecimal amount, String currency) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString() + " " + currency;
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}

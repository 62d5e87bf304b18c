package io.kairos.http;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as requests must give it (whole cents) and as responses carry it: exact decimals in the currency's minor units
 * (two places, rounded half-up), whatever precision it was computed or recorded with (expected values, statistics,
 * message costs of a fraction of a cent).
 */
public final class Money {
    private Money() {}

    /** Checks a money field that must be whole cents (coupon values, budgets), on top of {@link Validator#money}. */
    public static boolean cents(Validator v, String field, BigDecimal value, boolean required) {
        if (!v.money(field, value, required) || value == null) return false;
        if (value.stripTrailingZeros().scale() > 2) {
            v.error(field, "must have at most 2 decimal places");
            return false;
        }
        return true;
    }

    /** Whole cents as a scale-2 decimal (null stays null); call after {@link #cents} accepted the value. */
    public static BigDecimal scaled(BigDecimal value) {
        return value == null ? null : value.setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Rounded half-up to cents (null stays null). */
    public static BigDecimal cents(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.HALF_UP);
    }

    public static BigDecimal cents(double amount) {
        return Double.isFinite(amount) ? cents(BigDecimal.valueOf(amount)) : null;
    }
}

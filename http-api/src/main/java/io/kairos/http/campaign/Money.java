package io.kairos.http.campaign;

import io.kairos.http.Validator;
import java.math.BigDecimal;

/** Money fields that must be whole cents (coupon values, budgets): the checks on top of {@link Validator#money}. */
final class Money {
    private Money() {}

    static boolean cents(Validator v, String field, BigDecimal value, boolean required) {
        if (!v.money(field, value, required) || value == null) return false;
        if (value.stripTrailingZeros().scale() > 2) {
            v.error(field, "must have at most 2 decimal places");
            return false;
        }
        return true;
    }

    /** Whole cents as a scale-2 decimal (null stays null); call after {@link #cents} accepted the value. */
    static BigDecimal scaled(BigDecimal value) {
        return value == null ? null : value.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }
}

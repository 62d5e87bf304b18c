package io.kairos.http.campaign;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.http.Money;
import io.kairos.http.Validator;
import io.kairos.wire.LowerCaseName;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/** A coupon on the wire (campaign bodies, offers): {@code type} is one of the wire names of {@link CouponType}. */
public record CouponBody(
        String type,
        BigDecimal value,
        BigDecimal minSpend,
        BigDecimal maxDiscount,
        List<String> skus,
        List<String> categories,
        String stackGroup) {

    public static CouponBody of(Coupon c) {
        return new CouponBody(
                c.type().wireName(),
                c.value(),
                c.minSpend(),
                c.maxDiscount(),
                c.skus().isEmpty() ? null : c.skus(),
                c.categories().isEmpty() ? null : c.categories(),
                c.stackGroup());
    }

    /** Validates into {@code v} (field names under {@code prefix}); returns the coupon, or null when invalid. */
    Coupon toCoupon(Validator v, String prefix) {
        CouponType t = null;
        if (type == null) v.error(prefix + "type", "is required");
        else {
            t = LowerCaseName.find(CouponType.class, type).orElse(null);
            if (t == null)
                v.error(
                        prefix + "type",
                        "must be one of "
                                + String.join(
                                        ", ",
                                        Arrays.stream(CouponType.values())
                                                .map(CouponType::wireName)
                                                .toList()));
        }
        Money.cents(v, prefix + "value", value, true);
        Money.cents(v, prefix + "minSpend", minSpend, false);
        Money.cents(v, prefix + "maxDiscount", maxDiscount, false);
        if (skus != null) {
            if (skus.size() > 100) v.error(prefix + "skus", "at most 100 SKUs");
            for (int i = 0; i < skus.size(); i++) v.id(prefix + "skus[" + i + "]", skus.get(i), true);
        }
        if (categories != null) {
            if (categories.size() > 100) v.error(prefix + "categories", "at most 100 categories");
            for (int i = 0; i < categories.size(); i++)
                v.text(prefix + "categories[" + i + "]", categories.get(i), 128, true);
        }
        v.id(prefix + "stackGroup", stackGroup, false);
        if (t == null) return null;
        // The coupon's own rules run whatever else is wrong with the request, so one answer lists every problem; a
        // field already reported (a malformed amount) is not reported twice.
        var val = v.reported(prefix + "value") ? null : Money.scaled(value);
        var min = v.reported(prefix + "minSpend") ? null : Money.scaled(minSpend);
        var max = v.reported(prefix + "maxDiscount") ? null : Money.scaled(maxDiscount);
        for (var problem : Coupon.problems(t, val, min, max, skus)) {
            int colon = problem.indexOf(':');
            var field = prefix + problem.substring(0, colon);
            if (!v.reported(field)) v.error(field, problem.substring(colon + 1).trim());
        }
        return v.ok() ? new Coupon(t, val, min, max, skus, categories, stackGroup) : null;
    }
}

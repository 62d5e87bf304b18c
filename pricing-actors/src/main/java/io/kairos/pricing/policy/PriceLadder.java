package io.kairos.pricing.policy;

import io.kairos.pricing.Guardrails;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.TreeSet;

/**
 * The candidate prices of a learning policy: geometric steps of {@code stepPercent} anchored at the list price (so the
 * list price is a rung when legal), cut to the legal range, plus both legal bounds. At most {@link #MAX_RUNGS} rungs: a
 * very wide range is spanned geometrically from bound to bound instead.
 */
public final class PriceLadder {

    public static final int MAX_RUNGS = 121;

    private PriceLadder() {}

    public static List<BigDecimal> of(BigDecimal listPrice, Guardrails.Range range, double stepPercent, int scale) {
        double lower = range.lower().doubleValue();
        double upper = range.upper().doubleValue();
        double ratio = 1 + stepPercent / 100.0;
        var rungs = new TreeSet<BigDecimal>();
        rungs.add(range.lower());
        rungs.add(range.upper());
        double list = listPrice.doubleValue();
        int kMin = (int) Math.floor(Math.log(lower / list) / Math.log(ratio));
        int kMax = (int) Math.ceil(Math.log(upper / list) / Math.log(ratio));
        if (kMax - kMin + 1 <= MAX_RUNGS) {
            for (int k = kMin; k <= kMax; k++) add(rungs, list * Math.pow(ratio, k), range, scale);
        } else {
            double span = Math.log(upper / lower);
            for (int i = 0; i < MAX_RUNGS; i++) add(rungs, lower * Math.exp(span * i / (MAX_RUNGS - 1)), range, scale);
        }
        return List.copyOf(rungs);
    }

    private static void add(TreeSet<BigDecimal> rungs, double price, Guardrails.Range range, int scale) {
        var p = BigDecimal.valueOf(price).setScale(scale, RoundingMode.HALF_EVEN);
        if (range.contains(p)) rungs.add(p);
    }
}

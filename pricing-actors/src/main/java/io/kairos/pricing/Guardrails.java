package io.kairos.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules every posted price obeys, whatever the policy proposed: within {@code [floor, ceiling]}, never below
 * {@code cost * (1 + minMargin)}, and, for a repricing, at most {@code maxStep} percent away from the price in force.
 * (The once-per-cadence rule is enforced by the entity, which refuses an early repricing.)
 *
 * <p>Bounds are rounded inwards to the currency's precision, so a rounded price that passes is truly inside them. Pure
 * functions over {@link BigDecimal}; no state.
 */
public final class Guardrails {

    private Guardrails() {}

    /** Which rule bound a price. */
    public enum Guardrail {
        FLOOR,
        CEILING,
        MIN_MARGIN,
        MAX_STEP
    }

    /** The legal prices {@code [lower, upper]} of a configuration and which rule sets the lower bound. */
    public record Range(BigDecimal lower, BigDecimal upper, Guardrail lowerBoundBy) {
        /**
         * Within the bounds and representable at the bounds' precision (the currency's minor unit): 61.01 is not a
         * legal yen price even between 61 and 114, so a change of currency moves it like any other illegal price.
         */
        public boolean contains(BigDecimal price) {
            int precision = Math.max(lower.scale(), upper.scale());
            return price.compareTo(lower) >= 0
                    && price.compareTo(upper) <= 0
                    && price.stripTrailingZeros().scale() <= precision;
        }
    }

    /** A price after the guardrails, and each rule that moved it (empty when the proposal passed untouched). */
    public record Clip(BigDecimal price, List<Guardrail> boundBy) {
        public Clip {
            boundBy = List.copyOf(boundBy);
        }
    }

    /**
     * The lowest unit price that keeps the minimum margin, cost × (1 + minMargin), rounded up to the currency's unit.
     */
    public static BigDecimal marginFloor(SkuConfig config) {
        return config.unitCost()
                .multiply(BigDecimal.ONE.add(config.minMarginPercent().movePointLeft(2)))
                .setScale(config.scale(), RoundingMode.CEILING);
    }

    /** The legal range of a configuration, or empty when no price satisfies every rule. */
    public static Optional<Range> legalRange(SkuConfig config) {
        int scale = config.scale();
        BigDecimal marginFloor = marginFloor(config);
        BigDecimal floor = config.floor().setScale(scale, RoundingMode.CEILING);
        BigDecimal upper = config.ceiling().setScale(scale, RoundingMode.FLOOR);
        boolean marginBinds = marginFloor.compareTo(floor) > 0;
        BigDecimal lower = marginBinds ? marginFloor : floor;
        if (lower.signum() <= 0 || lower.compareTo(upper) > 0) return Optional.empty();
        return Optional.of(new Range(lower, upper, marginBinds ? Guardrail.MIN_MARGIN : Guardrail.FLOOR));
    }

    private static Range rangeOf(SkuConfig config) {
        return legalRange(config).orElseThrow(() -> new IllegalArgumentException("configuration has no legal price"));
    }

    /** Moves a price into the legal range without a step limit: used for the first price and after a config change. */
    public static Clip legalise(BigDecimal price, SkuConfig config) {
        var range = rangeOf(config);
        var p = price.setScale(config.scale(), RoundingMode.HALF_EVEN);
        var bound = new ArrayList<Guardrail>(1);
        if (p.compareTo(range.lower()) < 0) {
            p = range.lower();
            bound.add(range.lowerBoundBy());
        } else if (p.compareTo(range.upper()) > 0) {
            p = range.upper();
            bound.add(Guardrail.CEILING);
        }
        return new Clip(p, bound);
    }

    /** The prices one repricing may reach from {@code current}: the step window intersected with the legal range. */
    public static Range stepWindow(BigDecimal current, SkuConfig config) {
        var range = rangeOf(config);
        int scale = config.scale();
        BigDecimal step = config.maxStepPercent().movePointLeft(2);
        BigDecimal down = current.multiply(BigDecimal.ONE.subtract(step)).setScale(scale, RoundingMode.CEILING);
        BigDecimal up = current.multiply(BigDecimal.ONE.add(step)).setScale(scale, RoundingMode.FLOOR);
        BigDecimal lower = down.max(range.lower());
        BigDecimal upper = up.min(range.upper());
        // The current price is always legal (config changes legalise it at once), so lower <= current <= upper.
        return new Range(lower.min(current), upper.max(current), range.lowerBoundBy());
    }

    /** Applies every rule to a policy's proposal for the next period, given the price in force. */
    public static Clip reprice(BigDecimal target, BigDecimal current, SkuConfig config) {
        var legal = legalise(target, config);
        var window = stepWindow(current, config);
        var bound = new ArrayList<>(legal.boundBy());
        var p = legal.price();
        if (p.compareTo(window.lower()) < 0) {
            p = window.lower();
            bound.add(Guardrail.MAX_STEP);
        } else if (p.compareTo(window.upper()) > 0) {
            p = window.upper();
            bound.add(Guardrail.MAX_STEP);
        }
        return new Clip(p, bound);
    }
}

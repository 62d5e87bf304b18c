package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import io.kairos.wire.LowerCaseName;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * What an operator sets for one SKU: the list price, the unit cost, the guardrails every price must respect, how often
 * the SKU may be repriced, which policy prices it and what it optimises.
 *
 * <p>Invariants after {@link #validate(Duration)} returns no error: {@code 0 < floor <= ceiling}, the legal range
 * {@code [max(floor, cost * (1 + minMargin)), ceiling]} is not empty at the currency's precision, the step is in
 * {@code (0, 100]} percent and the cadence is at least the module's minimum. Optional fields are {@link Optional},
 * never null.
 */
public record SkuConfig(
        BigDecimal listPrice,
        BigDecimal unitCost,
        BigDecimal floor,
        BigDecimal ceiling,
        BigDecimal maxStepPercent,
        BigDecimal minMarginPercent,
        Duration repriceEvery,
        Policy policy,
        Objective objective,
        String currency,
        Optional<Long> inventory,
        Optional<Instant> sellThroughBy,
        List<CompetitorPrice> competitorPrices,
        Optional<DemandPrior> prior)
        implements CborSerializable {

    public SkuConfig {
        competitorPrices = competitorPrices == null ? List.of() : List.copyOf(competitorPrices);
        inventory = inventory == null ? Optional.empty() : inventory;
        sellThroughBy = sellThroughBy == null ? Optional.empty() : sellThroughBy;
        prior = prior == null ? Optional.empty() : prior;
    }

    /** The pricing policies a SKU can be switched between; the wire name is the lower-case name. */
    public enum Policy implements LowerCaseName {
        FIXED,
        THOMPSON,
        QLEARNING;

        public static Optional<Policy> fromWire(String name) {
            return LowerCaseName.find(Policy.class, name);
        }
    }

    /** What a learning policy maximises per period: sales value, or sales value minus the unit cost of what sold. */
    public enum Objective implements LowerCaseName {
        REVENUE,
        MARGIN;

        public static Optional<Objective> fromWire(String name) {
            return LowerCaseName.find(Objective.class, name);
        }
    }

    /**
     * A competitor's observed price; recorded with every decision, not used by the policies (see
     * pricing-actors/README.md).
     */
    public record CompetitorPrice(String competitor, BigDecimal price, Instant observedAt)
            implements CborSerializable {}

    /** One invalid field, named as in the HTTP contract. */
    public record FieldError(String field, String message) implements CborSerializable {}

    public SkuConfig withPrior(DemandPrior resolved) {
        return with(policy, inventory, Optional.of(resolved));
    }

    public SkuConfig withInventory(Optional<Long> remaining) {
        return with(policy, remaining, prior);
    }

    public SkuConfig withPolicy(Policy newPolicy) {
        return with(newPolicy, inventory, prior);
    }

    /** This configuration with what changes after it was set: the policy, the stock left and the resolved prior. */
    private SkuConfig with(Policy newPolicy, Optional<Long> newInventory, Optional<DemandPrior> newPrior) {
        return new SkuConfig(
                listPrice,
                unitCost,
                floor,
                ceiling,
                maxStepPercent,
                minMarginPercent,
                repriceEvery,
                newPolicy,
                objective,
                currency,
                newInventory,
                sellThroughBy,
                competitorPrices,
                newPrior);
    }

    /** Digits after the decimal point of this SKU's currency (2 for EUR, 0 for JPY). */
    public int scale() {
        return Currency.getInstance(currency).getDefaultFractionDigits();
    }

    /**
     * Every violated rule at once, empty when the configuration can be applied. A rule between fields (floor and
     * ceiling, the legal range) is checked whenever the fields it reads are valid, whatever else is wrong, so one
     * answer lists every problem.
     */
    public List<FieldError> validate(Duration minRepriceEvery) {
        var errors = new ArrayList<FieldError>();
        positive(errors, "listPrice", listPrice);
        boolean costOk = notNegative(errors, "cost", unitCost);
        boolean floorOk = positive(errors, "floor", floor);
        boolean bounds = positive(errors, "ceiling", ceiling) && floorOk;
        if (maxStepPercent == null
                || maxStepPercent.compareTo(new BigDecimal("0.01")) < 0
                || maxStepPercent.compareTo(BigDecimal.valueOf(100)) > 0) {
            errors.add(new FieldError("maxStepPercent", "must be at least 0.01 and at most 100"));
        }
        boolean marginOk = minMarginPercent != null
                && minMarginPercent.signum() >= 0
                && minMarginPercent.compareTo(BigDecimal.valueOf(1000)) <= 0;
        if (!marginOk) errors.add(new FieldError("minMarginPercent", "must be between 0 and 1000"));
        if (repriceEvery == null || repriceEvery.compareTo(minRepriceEvery) < 0) {
            errors.add(new FieldError("repriceEvery", "must be at least " + minRepriceEvery));
        }
        if (policy == null) errors.add(new FieldError("policy", "must be one of fixed, thompson, qlearning"));
        if (objective == null) errors.add(new FieldError("objective", "must be revenue or margin"));
        boolean currencyOk = false;
        try {
            currencyOk = currency != null && Currency.getInstance(currency).getDefaultFractionDigits() >= 0;
        } catch (IllegalArgumentException e) {
            currencyOk = false;
        }
        if (!currencyOk) errors.add(new FieldError("currency", "must be an ISO 4217 code with minor units"));
        inventory.filter(i -> i < 0).ifPresent(i -> errors.add(new FieldError("inventory", "must not be negative")));
        if (sellThroughBy.isPresent() && inventory.isEmpty()) {
            errors.add(new FieldError("sellThroughBy", "needs an inventory"));
        }
        for (var c : competitorPrices) {
            if (c.price() == null
                    || c.price().signum() <= 0
                    || c.competitor() == null
                    || c.competitor().isBlank()) {
                errors.add(new FieldError("competitorPrices", "each needs a competitor name and a positive price"));
                break;
            }
        }
        prior.ifPresent(p -> {
            if (!(p.baseDemand() > 0)
                    || !(p.elasticitySd() > 0)
                    || !(p.baseDemandLogSd() > 0)
                    || !Double.isFinite(p.elasticity())) {
                errors.add(new FieldError("prior", "needs a finite elasticity and positive base demand and spreads"));
            }
        });
        if (bounds && ceiling.compareTo(floor) < 0) {
            errors.add(new FieldError("ceiling", "must not be below floor"));
        } else if (bounds
                && costOk
                && marginOk
                && currencyOk
                && Guardrails.legalRange(this).isEmpty()) {
            errors.add(new FieldError(
                    "minMarginPercent",
                    "cost x (1 + minMargin) is above the ceiling: no price satisfies every guardrail"));
        }
        return List.copyOf(errors);
    }

    /** Whether {@code value} is greater than 0; adds the field's error when not. */
    private static boolean positive(List<FieldError> errors, String field, BigDecimal value) {
        if (value != null && value.signum() > 0) return true;
        errors.add(new FieldError(field, "must be greater than 0"));
        return false;
    }

    /** Whether {@code value} is 0 or more; adds the field's error when not. */
    private static boolean notNegative(List<FieldError> errors, String field, BigDecimal value) {
        if (value != null && value.signum() >= 0) return true;
        errors.add(new FieldError(field, "must not be negative"));
        return false;
    }
}

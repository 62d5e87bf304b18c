package io.kairos.pricing.policy;

import io.kairos.pricing.DemandBook;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.Guardrails;
import io.kairos.pricing.PriceDecision;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.QTable;
import io.kairos.pricing.SkuConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a policy may look at to propose the price of the next period. Built by the entity from its state; policies
 * are pure functions of it (their randomness comes from {@code seed}).
 *
 * @param hourOfDay hour of {@code now} in the module's time zone: the start of the period being priced
 * @param lastQStep the previous Q-learning step, whose reward this decision observes
 */
public record PolicyInput(
        String sku,
        SkuConfig config,
        DemandPrior prior,
        BigDecimal currentPrice,
        Guardrails.Range legalRange,
        Instant now,
        int hourOfDay,
        long seed,
        DemandBook demand,
        QTable qTable,
        Optional<PriceDecision.QLearningStep> lastQStep,
        PricingSettings settings) {

    /**
     * The unit cost a margin objective subtracts. With a sell-through date the stock is bought and unsold units are
     * worth nothing after the date, so selling one more unit costs nothing: the objective becomes revenue, bounded by
     * the inventory constraint. Without one, stock is replenished at the unit cost.
     */
    public double effectiveUnitCost() {
        if (config.objective() == SkuConfig.Objective.REVENUE
                || config.sellThroughBy().isPresent()) return 0.0;
        return config.unitCost().doubleValue();
    }

    /** Periods of the SKU's cadence left until its sell-through date, if it has one in the future. */
    public Optional<Double> periodsToSellThrough() {
        return config.sellThroughBy()
                .filter(by -> by.isAfter(now))
                .map(by -> (double) Duration.between(now, by).toMillis()
                        / config.repriceEvery().toMillis());
    }
}

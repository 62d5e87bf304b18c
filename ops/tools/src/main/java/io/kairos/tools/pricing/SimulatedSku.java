package io.kairos.tools.pricing;

import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.SkuConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One SKU of the simulated shop: what the operator configures (a cost-plus list price and guardrails around it) and the
 * hidden demand the policies must learn.
 */
public record SimulatedSku(String id, SkuConfig config, HiddenDemand demand) {

    /**
     * The prior every policy starts from: what a category-level demand model would know, the population's average
     * elasticity and buying rate with wide spreads, not this SKU's own values.
     */
    public static final DemandPrior CATEGORY_PRIOR =
            new DemandPrior(-2.5, 0.04 * HiddenDemand.UNITS_PER_BUYER, 1.0, 0.7, "simulator-category-prior");

    static SimulatedSku draw(int index, long seed, int days, SkuConfig.Policy policy, DemandPrior prior) {
        var rng = new SplittableRandom(seed * 1_000_003L + index * 7_919L + 17);
        var family = index % 2 == 0 ? HiddenDemand.Family.CONSTANT_ELASTICITY : HiddenDemand.Family.LOGIT;
        double list = cents(Math.exp(Math.log(5) + rng.nextDouble() * Math.log(40)));
        double cost = cents(list * (0.35 + 0.3 * rng.nextDouble()));
        double floor = cents(list * (0.6 + 0.2 * rng.nextDouble()));
        double ceiling = cents(list * (1.15 + 0.25 * rng.nextDouble()));
        var config = new SkuConfig(
                bd(list),
                bd(cost),
                bd(floor),
                bd(ceiling),
                BigDecimal.TEN,
                BigDecimal.TEN,
                Duration.ofHours(1),
                policy,
                SkuConfig.Objective.REVENUE,
                "EUR",
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.of(prior));
        return new SimulatedSku("sku-" + index, config, HiddenDemand.draw(rng, family, list, days));
    }

    SimulatedSku withPolicy(SkuConfig.Policy policy) {
        return new SimulatedSku(id, config.withPolicy(policy), demand);
    }

    private static double cents(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static BigDecimal bd(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }
}

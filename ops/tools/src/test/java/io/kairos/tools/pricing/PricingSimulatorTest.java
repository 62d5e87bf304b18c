package io.kairos.tools.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.pricing.SkuConfig.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small run of the simulator against the real entities: 8 SKUs (4 per curve family) for 5 days. */
class PricingSimulatorTest {

    private static final PricingSimulator.Settings SMALL =
            new PricingSimulator.Settings(8, 5, 3, List.of(Policy.FIXED, Policy.THOMPSON, Policy.QLEARNING), Map.of());

    @Test
    void runsThePoliciesAgainstTheOracleReproduciblyAndPrintsTheContractedJson() {
        var result = PricingSimulator.run(SMALL);
        var again = PricingSimulator.run(SMALL);

        assertThat(again).isEqualTo(result);
        assertThat(result.policies()).containsOnlyKeys(Policy.FIXED, Policy.THOMPSON, Policy.QLEARNING);
        result.policies().values().forEach(r -> {
            assertThat(r.failedDecisions()).isZero();
            assertThat(r.revenue()).isPositive();
            // the oracle maximises expected revenue under the same guardrails: nobody beats it in expectation
            assertThat(r.expectedRatioToOracle()).isLessThanOrEqualTo(1.0);
            assertThat(r.ratioToOracle()).isEqualTo(r.revenue() / result.oracleRevenue());
        });
        var json = PricingSimCommand.toJson(result);
        assertThat(json).containsOnlyKeys("skus", "days", "seed", "policies");
        assertThat(json).containsEntry("skus", 8).containsEntry("days", 5).containsEntry("seed", 3L);
        @SuppressWarnings("unchecked")
        var policies = (Map<String, Map<String, Object>>) json.get("policies");
        assertThat(policies).containsOnlyKeys("fixed", "thompson", "qlearning");
        assertThat(policies.get("thompson")).containsOnlyKeys("revenue", "ratioToOracle");
    }

    @Test
    void thompsonSamplingBeatsTheListPriceEvenInAShortRun() {
        var result = PricingSimulator.run(
                new PricingSimulator.Settings(8, 5, 11, List.of(Policy.FIXED, Policy.THOMPSON), Map.of()));

        assertThat(result.policies().get(Policy.THOMPSON).ratioToOracle())
                .isGreaterThan(result.policies().get(Policy.FIXED).ratioToOracle());
    }
}

package io.kairos.pricing.policy;

import io.kairos.pricing.DemandBook;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.Fixtures;
import io.kairos.pricing.Guardrails;
import io.kairos.pricing.QTable;
import io.kairos.pricing.RecentIds;
import io.kairos.pricing.SkuConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;

/** Policy inputs with demand data drawn from a known curve, without noise (expected counts). */
final class PolicyFixtures {

    static final DemandPrior VAGUE = new DemandPrior(-2.0, 0.05, 1.0, 1.0, "test");

    private PolicyFixtures() {}

    /** Every ladder rung observed with {@code viewsPerRung} views and the curve's expected units. */
    static DemandBook book(SkuConfig config, DoubleUnaryOperator unitsPerView, long viewsPerRung) {
        var range = Guardrails.legalRange(config).orElseThrow();
        var recorded = new ArrayList<DemandBook.Recorded>();
        int i = 0;
        for (var p : PriceLadder.of(config.listPrice(), range, 2.5, 2)) {
            long units = Math.round(viewsPerRung * unitsPerView.applyAsDouble(p.doubleValue()));
            recorded.add(new DemandBook.Recorded("e" + i++, Fixtures.T0, 12, p, viewsPerRung, 0, units, units));
        }
        return DemandBook.empty(RecentIds.empty(256, 16)).withRecorded(recorded);
    }

    static PolicyInput input(SkuConfig config, DemandBook book, String current, long seed) {
        return new PolicyInput(
                "sku",
                config,
                config.prior().orElse(VAGUE),
                new BigDecimal(current),
                Guardrails.legalRange(config).orElseThrow(),
                Fixtures.T0,
                12,
                seed,
                book,
                QTable.EMPTY,
                Optional.empty(),
                Fixtures.settings());
    }

    /** The typical Thompson-priced SKU with the given objective and unit cost and the vague prior. */
    static SkuConfig config(SkuConfig.Objective objective, String cost) {
        return config(objective, cost, sku -> {});
    }

    /** As above, with the further fields {@code change} sets. */
    static SkuConfig config(SkuConfig.Objective objective, String cost, Consumer<Fixtures.Sku> change) {
        return Fixtures.config(SkuConfig.Policy.THOMPSON, sku -> {
            sku.objective = objective;
            sku.unitCost = cost;
            sku.prior = VAGUE;
            change.accept(sku);
        });
    }
}

package io.kairos.http.price;

import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.SkuCommand.SkuStatus;
import io.kairos.pricing.SkuConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/skus/{sku}}: what the operator configured (inventory is what remains), the demand prior the SKU
 * started from, its price now, when it was last (re)priced and the demand recorded over its life.
 */
public record SkuResponse(
        String sku,
        BigDecimal listPrice,
        BigDecimal cost,
        BigDecimal floor,
        BigDecimal ceiling,
        BigDecimal maxStepPercent,
        BigDecimal minMarginPercent,
        String repriceEvery,
        String policy,
        String objective,
        String currency,
        Long inventory,
        Instant sellThroughBy,
        List<CompetitorPrice> competitorPrices,
        Prior prior,
        PriceResponse price,
        Instant lastDecisionAt,
        Demand demand) {

    public record CompetitorPrice(String competitor, BigDecimal price, Instant observedAt) {}

    /** The demand belief the SKU started from and where it came from ({@code settings} or a model and version). */
    public record Prior(
            double elasticity, double baseDemand, double elasticitySd, double baseDemandLogSd, String source) {
        static Prior of(DemandPrior p) {
            return new Prior(p.elasticity(), p.baseDemand(), p.elasticitySd(), p.baseDemandLogSd(), p.source());
        }
    }

    /** Views and units sold recorded for the SKU. */
    public record Demand(long views, long units) {}

    /** The view of a configured SKU; {@code status.config()} and {@code status.price()} must be present. */
    public static SkuResponse of(SkuStatus status) {
        SkuConfig c = status.config().orElseThrow();
        return new SkuResponse(
                status.sku(),
                c.listPrice(),
                c.unitCost(),
                c.floor(),
                c.ceiling(),
                c.maxStepPercent(),
                c.minMarginPercent(),
                c.repriceEvery().toString(),
                c.policy().wireName(),
                c.objective().wireName(),
                c.currency(),
                c.inventory().orElse(null),
                c.sellThroughBy().orElse(null),
                c.competitorPrices().stream()
                        .map(p -> new CompetitorPrice(p.competitor(), p.price(), p.observedAt()))
                        .toList(),
                c.prior().map(Prior::of).orElse(null),
                status.price().map(PriceResponse::of).orElseThrow(),
                status.lastDecisionAt().orElse(null),
                new Demand(status.views(), status.units()));
    }
}

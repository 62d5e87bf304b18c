package io.kairos.http.price;

import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code PUT /v1/skus/{sku}}. Durations and times are strings here so their errors name the field; money and
 * percentages are decimals.
 */
public record SkuRequest(
        BigDecimal listPrice,
        BigDecimal cost,
        BigDecimal floor,
        BigDecimal ceiling,
        BigDecimal maxStepPercent,
        BigDecimal minMarginPercent,
        String repriceEvery,
        String policy,
        Long inventory,
        String objective,
        String currency,
        String sellThroughBy,
        List<CompetitorPriceBody> competitorPrices) {

    /**
     * This request with the list price, cost and currency it leaves out taken from the SKU's catalogue entry
     * ({@code entry} null: unchanged).
     */
    SkuRequest withCatalogue(io.kairos.pricing.catalog.CatalogSku entry) {
        if (entry == null) return this;
        return new SkuRequest(
                listPrice != null ? listPrice : entry.listPrice(),
                cost != null ? cost : entry.cost(),
                floor,
                ceiling,
                maxStepPercent,
                minMarginPercent,
                repriceEvery,
                policy,
                inventory,
                objective,
                currency != null ? currency : entry.currency(),
                sellThroughBy,
                competitorPrices);
    }

    /** A competitor's observed price; recorded with every decision. */
    public record CompetitorPriceBody(String competitor, BigDecimal price, String observedAt) {}
}

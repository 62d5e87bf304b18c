package io.kairos.http.price;

import io.kairos.pricing.PriceQuote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/prices/{sku}}: a SKU's price, the same for every shopper; {@code policy} is {@code list} for a SKU
 * that sells at its catalogue list price (no decision sets it).
 */
public record PriceResponse(
        String sku,
        BigDecimal price,
        BigDecimal listPrice,
        String currency,
        Instant validFrom,
        BigDecimal lowestPrice30d,
        String policy,
        String decisionId) {

    public static PriceResponse of(PriceQuote q) {
        return new PriceResponse(
                q.sku(),
                q.price(),
                q.listPrice(),
                q.currency(),
                q.validFrom(),
                q.lowestPrice30d(),
                q.policy() == null ? "list" : q.policy().wireName(),
                q.decisionId());
    }

    /** {@code GET /v1/prices?skus=…}: the known SKUs' prices in the order asked, and the SKUs without a price. */
    public record Batch(List<PriceResponse> prices, List<String> missing) {}
}

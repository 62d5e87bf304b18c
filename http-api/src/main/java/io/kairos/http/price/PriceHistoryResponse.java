package io.kairos.http.price;

import io.kairos.pricing.PricePoint;
import io.kairos.pricing.SkuCommand.PriceHistory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/skus/{sku}/price-history}: the prices in force at some moment of {@code [from, to]}, oldest first,
 * each with the decision behind it. {@code complete} is false when points older than the entity's retention were
 * dropped and the range reaches back before them (the journal keeps every change).
 */
public record PriceHistoryResponse(String sku, Instant from, Instant to, boolean complete, List<Point> points) {

    /** One price and when it came into force; {@code boundBy} names the guardrails that clipped it. */
    public record Point(
            Instant validFrom,
            BigDecimal price,
            String policy,
            String reason,
            List<String> boundBy,
            String decisionId) {
        static Point of(PricePoint p) {
            return new Point(
                    p.validFrom(),
                    p.price(),
                    p.policy().wireName(),
                    p.reason().name().toLowerCase(Locale.ROOT),
                    p.boundBy().stream()
                            .map(g -> g.name().toLowerCase(Locale.ROOT))
                            .toList(),
                    p.decisionId());
        }
    }

    public static PriceHistoryResponse of(PriceHistory h, Instant from, Instant to) {
        return new PriceHistoryResponse(
                h.sku(),
                from,
                to,
                h.complete(),
                h.points().stream().map(Point::of).toList());
    }
}

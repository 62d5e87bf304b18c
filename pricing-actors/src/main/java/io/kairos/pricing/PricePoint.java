package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One entry of a SKU's price history: a price, from when, and the decision behind it. */
public record PricePoint(
        Instant validFrom,
        BigDecimal price,
        SkuConfig.Policy policy,
        PriceDecision.Reason reason,
        List<Guardrails.Guardrail> boundBy,
        String decisionId)
        implements CborSerializable {

    public PricePoint {
        boundBy = List.copyOf(boundBy);
    }
}

package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The price of a SKU as every shopper sees it: one price for everyone, never per person. This is what {@code GET
 * /v1/prices/{sku}} shows and what the {@link PriceView} replicates to every node.
 *
 * @param validFrom when this price came into force
 * @param lowestPrice30d the lowest price in force during the 30 days before {@code validFrom} (the EU prior-price
 *     rule); the price itself for a SKU priced for the first time
 * @param policy the policy configured for the SKU now
 * @param decisionId the decision that set this price
 * @param version increases with every change of any field; the view keeps the highest version it has seen
 * @param unitCost what one unit costs the shop (for checkout; never shown by {@code /v1/prices})
 * @param marginFloor the lowest net unit price that keeps the configured minimum margin, cost × (1 + minMargin):
 *     checkout never lets a coupon take an item below it
 */
public record PriceQuote(
        String sku,
        BigDecimal price,
        BigDecimal listPrice,
        String currency,
        Instant validFrom,
        BigDecimal lowestPrice30d,
        SkuConfig.Policy policy,
        String decisionId,
        long version,
        BigDecimal unitCost,
        BigDecimal marginFloor)
        implements CborSerializable {

    PriceQuote withConfig(SkuConfig config) {
        return new PriceQuote(
                sku,
                price,
                config.listPrice(),
                config.currency(),
                validFrom,
                lowestPrice30d,
                config.policy(),
                decisionId,
                version + 1,
                config.unitCost(),
                Guardrails.marginFloor(config));
    }

    PriceQuote withPrice(BigDecimal newPrice, Instant from, BigDecimal lowest30d, String decision) {
        return new PriceQuote(
                sku,
                newPrice,
                listPrice,
                currency,
                from,
                lowest30d,
                policy,
                decision,
                version + 1,
                unitCost,
                marginFloor);
    }
}

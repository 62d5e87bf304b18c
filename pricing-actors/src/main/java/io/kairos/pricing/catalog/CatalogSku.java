package io.kairos.pricing.catalog;

import io.kairos.pricing.PriceQuote;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * A SKU as the catalogue lists it. Without a dynamic-pricing configuration it sells at {@code listPrice}, the same for
 * everyone, and coupons may not take it below its cost.
 *
 * @param listPriceSince when the current list price came into force
 * @param previousListPrice the list price before it (null if it never changed)
 * @param importedBy who wrote the entry last: the id of the operator's API key whose import did (null for entries
 *     written before it was kept)
 */
public record CatalogSku(
        String sku,
        BigDecimal listPrice,
        BigDecimal cost,
        String currency,
        String category,
        String name,
        Instant listPriceSince,
        BigDecimal previousListPrice,
        String importedBy) {

    public CatalogSku {
        // a handful of operator keys import the whole catalogue: each id held once
        importedBy = importedBy == null ? null : importedBy.intern();
    }

    /** The lowest list price in force in the 30 days before {@code now} (the EU prior-price rule). */
    public BigDecimal lowestPrice30d(Instant now) {
        if (previousListPrice == null || listPriceSince.isBefore(now.minus(Duration.ofDays(30)))) return listPrice;
        return previousListPrice.min(listPrice);
    }

    /** The price of a SKU nobody prices dynamically: its list price, its floor its cost. */
    public PriceQuote quote(Instant now) {
        return new PriceQuote(
                sku, listPrice, listPrice, currency, listPriceSince, lowestPrice30d(now), null, null, 0, cost, cost);
    }

    /** A new entry, imported for the first time at {@code at}. */
    CatalogSku importedAt(Instant at) {
        return new CatalogSku(sku, listPrice, cost, currency, category, name, at, null, importedBy);
    }

    /** This entry as the next import states it, keeping what the list price was until now. */
    CatalogSku updatedBy(CatalogSku next, Instant at) {
        if (next.listPrice.compareTo(listPrice) == 0) {
            return new CatalogSku(
                    sku,
                    listPrice,
                    next.cost,
                    next.currency,
                    next.category,
                    next.name,
                    listPriceSince,
                    previousListPrice,
                    next.importedBy);
        }
        return new CatalogSku(
                sku,
                next.listPrice,
                next.cost,
                next.currency,
                next.category,
                next.name,
                at,
                listPrice,
                next.importedBy);
    }
}

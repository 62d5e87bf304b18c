package io.kairos.pricing.catalog;

import akka.Done;
import io.kairos.pricing.PriceQuote;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Every SKU a shop sells and its price now: dynamically priced SKUs at their pricing actor's price, the rest at their
 * list price. A node uses {@link SkuPrices} (the price view and the catalogue in Cassandra); tests and tools may use
 * {@link MemorySkuCatalog}.
 */
public interface SkuCatalog {

    /**
     * A SKU's price now, with its catalogue entry when it has one (its category and name).
     *
     * @param quote the price: the pricing actor's when the SKU is priced dynamically, else the list price
     * @param entry the catalogue entry; null for a SKU priced dynamically but never imported into the catalogue
     */
    record Listing(PriceQuote quote, CatalogSku entry) {
        public boolean dynamic() {
            return quote.policy() != null;
        }
    }

    /** One page of the catalogue and the cursor of the next (null on the last). */
    record Page(List<CatalogSku> skus, String nextCursor) {}

    /** The prices of {@code skus} this shop knows, in the order asked; SKUs it does not sell are absent. */
    CompletionStage<Map<String, Listing>> listings(Collection<String> skus);

    /** Imports catalogue entries (distinct SKUs), idempotently. */
    CompletionStage<Done> importSkus(List<CatalogSku> skus);

    /** A page of the catalogue in a stable order, after {@code cursor} (null: from the start). */
    CompletionStage<Page> page(String cursor, int limit);
}

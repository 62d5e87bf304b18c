package io.kairos.http.price;

import io.kairos.offer.PriceList;
import io.kairos.offer.PriceLookup.SkuPrice;
import io.kairos.offer.PriceSource;
import io.kairos.pricing.catalog.SkuCatalog;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletionStage;

/**
 * A request's prices from the shop's catalogue ({@link SkuCatalog}): the dynamic price of a SKU that has a pricing
 * actor, else its list price; its margin floor the configured one (dynamic) or its cost (list price); its category from
 * the catalogue. What checkout, orders and shopper prices use.
 */
public record CatalogPrices(SkuCatalog catalog) implements PriceSource {

    @Override
    public CompletionStage<PriceList> prices(Collection<String> skus) {
        return catalog.listings(skus).thenApply(listings -> {
            var out = new LinkedHashMap<String, SkuPrice>();
            listings.forEach((sku, l) -> {
                var q = l.quote();
                out.put(
                        sku,
                        new SkuPrice(
                                q.price(),
                                q.unitCost() == null ? BigDecimal.ZERO : q.unitCost(),
                                q.marginFloor(),
                                q.listPrice(),
                                q.lowestPrice30d(),
                                q.currency(),
                                l.entry() == null ? null : l.entry().category()));
            });
            return new PriceList(out);
        });
    }
}

package io.kairos.offer;

import io.kairos.offer.PriceLookup.SkuPrice;
import io.kairos.serialization.CborSerializable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The prices of the SKUs one request names, resolved before the request reaches the shopper (dynamic prices from the
 * node's price view, list prices from the catalogue), so the shopper's actor prices a cart from memory and a recorded
 * quote or order says which prices it used. SKUs without a price are absent.
 */
public record PriceList(Map<String, SkuPrice> prices) implements PriceLookup, CborSerializable {

    public static final PriceList EMPTY = new PriceList(Map.of());

    public PriceList {
        prices = Map.copyOf(prices);
    }

    @Override
    public Optional<SkuPrice> price(String sku) {
        return Optional.ofNullable(prices.get(sku));
    }

    /** The prices {@code lookup} knows of {@code skus}. */
    public static PriceList of(Collection<String> skus, PriceLookup lookup) {
        var out = new LinkedHashMap<String, SkuPrice>();
        for (var sku : skus) lookup.price(sku).ifPresent(p -> out.put(sku, p));
        return new PriceList(out);
    }
}

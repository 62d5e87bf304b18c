package io.kairos.offer;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a request's prices come from: the node resolves them (the price view for dynamically priced SKUs, the catalogue
 * for the rest) before asking the shopper, which then prices from the {@link PriceList} it is given.
 */
public interface PriceSource {

    CompletionStage<PriceList> prices(Collection<String> skus);

    /** A source answering from memory. */
    static PriceSource of(PriceLookup lookup) {
        return skus -> CompletableFuture.completedFuture(PriceList.of(skus, lookup));
    }
}

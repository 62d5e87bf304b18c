package io.kairos.pricing.catalog;

import akka.Done;
import io.kairos.pricing.PriceView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A catalogue held in this JVM's memory, beside a node's price view: for route tests and tools that run without
 * Cassandra. The same answers as {@link SkuPrices}, without the cache (every import is seen at once).
 */
public final class MemorySkuCatalog implements SkuCatalog {
    private final PriceView view;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, CatalogSku> entries = new ConcurrentSkipListMap<>();

    public MemorySkuCatalog(PriceView view, Clock clock) {
        this.view = view;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Map<String, Listing>> listings(Collection<String> skus) {
        var now = clock.instant();
        var out = new LinkedHashMap<String, Listing>();
        for (var sku : skus) {
            var entry = entries.get(sku);
            var quote = view.price(sku).orElse(entry == null ? null : entry.quote(now));
            if (quote != null) out.put(sku, new Listing(quote, entry));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Done> importSkus(List<CatalogSku> skus) {
        var now = clock.instant();
        for (var next : skus) {
            entries.merge(next.sku(), next.importedAt(now), (old, fresh) -> old.updatedBy(next, now));
        }
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<Page> page(String cursor, int limit) {
        var after = cursor == null
                ? ""
                : new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
        var page = new ArrayList<CatalogSku>();
        for (var e : entries.tailMap(after, false).values()) {
            if (page.size() == limit) {
                var last = page.get(page.size() - 1).sku();
                return CompletableFuture.completedFuture(new Page(
                        page,
                        java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(last.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
            page.add(e);
        }
        return CompletableFuture.completedFuture(new Page(page, null));
    }
}

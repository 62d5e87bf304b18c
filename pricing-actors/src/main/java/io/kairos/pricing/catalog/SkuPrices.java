package io.kairos.pricing.catalog;

import akka.Done;
import akka.actor.typed.ActorSystem;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kairos.pricing.PriceView;
import io.kairos.time.NodeClock;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A node's prices for every SKU a shop sells: the price view for dynamically priced SKUs (in memory, replicated), the
 * catalogue for the rest (Cassandra, behind a bounded cache of {@code kairos.pricing.catalog.cache-size} entries kept
 * {@code cache-ttl}). So the view holds only the SKUs that have a pricing actor, however large the catalogue; a list
 * price changed on another node is seen here within {@code cache-ttl}; one changed on this node at once.
 *
 * <p>An entry read after half its {@code cache-ttl} is reloaded in the background while requests keep the cached one,
 * so a SKU that sells keeps answering from memory: only a SKU unread for a whole {@code cache-ttl} waits for Cassandra.
 * Expiring every entry on the same clock instead sent the first requests after each expiry to Cassandra: a catalogue
 * imported at once expired at once, and those requests were the shopper-price benchmark's p99.
 */
public final class SkuPrices implements SkuCatalog {

    private final PriceView view;
    private final CatalogStore store;
    private final Clock clock;
    private final AsyncLoadingCache<String, Optional<CatalogSku>> cache;

    public SkuPrices(PriceView view, CatalogStore store, Clock clock, long cacheSize, Duration cacheTtl) {
        this.view = view;
        this.store = store;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfterWrite(cacheTtl)
                .refreshAfterWrite(cacheTtl.dividedBy(2))
                .buildAsync(new CatalogLoader(store));
    }

    public static SkuPrices create(ActorSystem<?> system, PriceView view) {
        var c = system.settings().config().getConfig("kairos.pricing.catalog");
        return new SkuPrices(
                view,
                CatalogStore.create(system),
                NodeClock.get(system).clock(),
                c.getLong("cache-size"),
                c.getDuration("cache-ttl"));
    }

    @Override
    public CompletionStage<Map<String, Listing>> listings(Collection<String> skus) {
        return cache.getAll(skus).thenApply(entries -> {
            var now = clock.instant();
            var out = new LinkedHashMap<String, Listing>();
            for (var sku : skus) {
                var entry = entries.getOrDefault(sku, Optional.empty()).orElse(null);
                var quote = view.price(sku).orElse(entry == null ? null : entry.quote(now));
                if (quote != null) out.put(sku, new Listing(quote, entry));
            }
            return out;
        });
    }

    /** Written to Cassandra, then this node's cache forgets them. */
    @Override
    public CompletionStage<Done> importSkus(List<CatalogSku> skus) {
        return store.upsert(skus).thenApply(done -> {
            cache.synchronous().invalidateAll(skus.stream().map(CatalogSku::sku).toList());
            return done;
        });
    }

    @Override
    public CompletionStage<Page> page(String cursor, int limit) {
        return store.page(cursor, limit);
    }

    /** Loads missing SKUs from the catalogue, a partition per bucket; an absent SKU is cached as absent too. */
    private record CatalogLoader(CatalogStore store)
            implements com.github.benmanes.caffeine.cache.AsyncCacheLoader<String, Optional<CatalogSku>> {
        @Override
        public CompletableFuture<Optional<CatalogSku>> asyncLoad(String sku, java.util.concurrent.Executor executor) {
            return store.get(List.of(sku))
                    .thenApply(found -> Optional.ofNullable(found.get(sku)))
                    .toCompletableFuture();
        }

        @Override
        public CompletableFuture<Map<String, Optional<CatalogSku>>> asyncLoadAll(
                java.util.Set<? extends String> skus, java.util.concurrent.Executor executor) {
            return store.get(List.copyOf(skus))
                    .thenApply(found -> {
                        var out = new LinkedHashMap<String, Optional<CatalogSku>>();
                        for (var sku : skus) out.put(sku, Optional.ofNullable(found.get(sku)));
                        return (Map<String, Optional<CatalogSku>>) out;
                    })
                    .toCompletableFuture();
        }
    }
}

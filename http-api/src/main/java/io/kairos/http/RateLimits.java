package io.kairos.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.typesafe.config.Config;
import io.github.bucket4j.Bucket;
import io.kairos.metrics.KairosMetrics;
import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets (Bucket4j) per API key and per shopper, on this node. A request takes one token from its key's bucket
 * and, when its path names a shopper ({@code /v1/shoppers/{id}/…}), one from that shopper's; an empty bucket refuses it
 * with 429 ({@link Refusal}: when a token is back, and the limit). Each bucket holds {@code burst-seconds} of its rate
 * and refills continuously, so a client at its rate is never refused and one above it is refused at once.
 *
 * <p>Limits are per node: each node keeps its own buckets, so behind a load balancer that spreads a key's requests over
 * n nodes the key's cluster-wide limit is n × {@code per-key}. The defaults are above what a node serves per key (a
 * shop's backend uses one ingest key) and far above what one shopper's app sends. Shopper buckets not used for longer
 * than it takes them to refill are forgotten (a full bucket and a new one are the same), which bounds the memory.
 */
public final class RateLimits {
    /** No limits (route tests, tools). */
    public static final RateLimits NONE = new RateLimits(new Settings(0, 0, 1));

    /**
     * @param perKey requests per second per API key (0: no limit)
     * @param perShopper requests per second naming one shopper (0: no limit)
     * @param burstSeconds how many seconds of its rate a bucket holds
     */
    public record Settings(long perKey, long perShopper, long burstSeconds) {
        public Settings {
            if (perKey < 0 || perShopper < 0) throw new IllegalArgumentException("rate limits must be ≥ 0");
            if (burstSeconds < 1) throw new IllegalArgumentException("burst-seconds must be ≥ 1");
        }

        /** {@code kairos.http.rate-limit}. */
        public static Settings fromConfig(Config c) {
            return new Settings(c.getLong("per-key"), c.getLong("per-shopper"), c.getLong("burst-seconds"));
        }
    }

    /**
     * A refused request: which limit ({@code key} or {@code shopper}), its rate per second, and how long until a token
     * is back.
     */
    public record Refusal(String scope, long limit, Duration retryAfter) {}

    private final Settings settings;
    private final Cache<String, Bucket> keys;
    private final Cache<String, Bucket> shoppers;

    public RateLimits(Settings settings) {
        this.settings = settings;
        this.keys = Caffeine.newBuilder().build();
        this.shoppers = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofSeconds(settings.burstSeconds() + 1))
                .build();
    }

    /** Takes a token for the key {@code keyId}; the refusal when its bucket is empty. */
    public Optional<Refusal> key(String keyId) {
        return take(keys, keyId, settings.perKey(), "key");
    }

    /** Takes a token for the shopper {@code shopperId}; the refusal when its bucket is empty. */
    public Optional<Refusal> shopper(String shopperId) {
        return take(shoppers, shopperId, settings.perShopper(), "shopper");
    }

    private Optional<Refusal> take(Cache<String, Bucket> buckets, String id, long rate, String scope) {
        if (rate == 0) return Optional.empty();
        var probe = buckets.get(id, k -> bucket(rate)).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) return Optional.empty();
        KairosMetrics.RATE_LIMITED.labelValues(scope).inc();
        return Optional.of(new Refusal(scope, rate, Duration.ofNanos(probe.getNanosToWaitForRefill())));
    }

    private Bucket bucket(long rate) {
        return Bucket.builder()
                .addLimit(limit ->
                        limit.capacity(rate * settings.burstSeconds()).refillGreedy(rate, Duration.ofSeconds(1)))
                .build();
    }
}

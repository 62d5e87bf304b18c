package io.kairos.bench.load;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds {@code POST /v1/events} bodies: {@code batch} behaviour events, each for a shopper drawn from {@code shoppers}
 * ids ({@code s-000000} …) by the chosen {@link Distribution}.
 *
 * <p>Invariants: every event id is unique within a run ({@code <runId>-<counter>}), so the node never reports a
 * duplicate and every acknowledged event is a new journal entry; every event is valid per the API contract (order
 * events carry {@code orderId} and {@code amount}); {@code occurredAt} is the generator's clock, never ahead.
 * Thread-safe: Gatling builds bodies on several event-loop threads.
 */
public final class ShopperEvents {

    /** How shoppers are picked for each event. */
    public enum Distribution {
        /** Every shopper equally likely. */
        UNIFORM,
        /** Zipf over shopper rank with the configured exponent: a few shoppers are very active, most rarely. */
        ZIPF,
        /** Shopper i gets the i-th event (mod shoppers): touches every shopper once per {@code shoppers} events. */
        SEQUENTIAL
    }

    // Behaviour mix of a shop's event stream (weights in percent); orders are rare, views dominate.
    private static final String[] TYPES = {
        "view", "click", "search", "add_to_cart", "favorite", "order", "coupon_claim", "app_open"
    };
    private static final int[] WEIGHTS = {48, 18, 8, 10, 4, 5, 2, 5};
    private static final String[] CATEGORIES = {
        "shoes",
        "outerwear",
        "dresses",
        "tops",
        "jeans",
        "accessories",
        "bags",
        "beauty",
        "home",
        "kids",
        "sports",
        "electronics",
        "books",
        "toys",
        "garden",
        "grocery",
        "pets",
        "jewelry",
        "watches",
        "music"
    };
    private static final String[] CHANNELS = {"web", "app", "app", "web", "store"};

    private final String runId;
    private final int shoppers;
    private final int batch;
    private final Distribution distribution;
    private final double[] zipfCdf;
    private final AtomicLong counter = new AtomicLong();

    public ShopperEvents(String runId, int shoppers, int batch, Distribution distribution, double zipfExponent) {
        if (shoppers < 1 || shoppers > 1_000_000)
            throw new IllegalArgumentException("shoppers must be in 1..1000000, not " + shoppers);
        if (batch < 1 || batch > 500) throw new IllegalArgumentException("batch must be in 1..500, not " + batch);
        this.runId = runId;
        this.shoppers = shoppers;
        this.batch = batch;
        this.distribution = distribution;
        this.zipfCdf = distribution == Distribution.ZIPF ? zipfCdf(shoppers, zipfExponent) : null;
    }

    public static String shopperId(int index) {
        return String.format(Locale.ROOT, "s-%06d", index);
    }

    /** One request body of {@code batch} events. */
    public String nextBody() {
        var random = ThreadLocalRandom.current();
        var now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        var json = new StringBuilder(256 * batch).append("{\"events\":[");
        for (int i = 0; i < batch; i++) {
            long n = counter.getAndIncrement();
            if (i > 0) json.append(',');
            appendEvent(json, runId + "-" + n, shopperId(pickShopper(n, random)), now, random);
        }
        return json.append("]}").toString();
    }

    private int pickShopper(long n, ThreadLocalRandom random) {
        return switch (distribution) {
            case UNIFORM -> random.nextInt(shoppers);
            case SEQUENTIAL -> (int) (n % shoppers);
            case ZIPF -> {
                int rank = java.util.Arrays.binarySearch(zipfCdf, random.nextDouble());
                yield rank >= 0 ? rank : Math.min(-rank - 1, shoppers - 1);
            }
        };
    }

    private static void appendEvent(
            StringBuilder json, String eventId, String shopperId, String now, ThreadLocalRandom random) {
        var type = pickType(random);
        json.append("{\"eventId\":\"")
                .append(eventId)
                .append("\",\"shopperId\":\"")
                .append(shopperId)
                .append("\",\"type\":\"")
                .append(type)
                .append("\",\"occurredAt\":\"")
                .append(now)
                .append("\",\"sku\":\"sku-")
                .append(random.nextInt(100_000))
                .append("\",\"category\":\"")
                .append(CATEGORIES[random.nextInt(CATEGORIES.length)])
                .append("\",\"channel\":\"")
                .append(CHANNELS[random.nextInt(CHANNELS.length)])
                .append('"');
        if (type.equals("order")) {
            json.append(",\"orderId\":\"o-")
                    .append(eventId)
                    .append("\",\"amount\":")
                    .append(String.format(Locale.ROOT, "%.2f", 5 + random.nextDouble() * 195))
                    .append(",\"quantity\":")
                    .append(1 + random.nextInt(3));
        }
        json.append('}');
    }

    private static String pickType(ThreadLocalRandom random) {
        int r = random.nextInt(100);
        for (int i = 0; i < TYPES.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) return TYPES[i];
        }
        return TYPES[0];
    }

    /** Cumulative probabilities of ranks 0..n-1 under Zipf(s); the last entry is exactly 1. */
    static double[] zipfCdf(int n, double exponent) {
        var cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) cdf[k] /= sum;
        cdf[n - 1] = 1.0;
        return cdf;
    }
}

package io.kairos.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench shopper-prices}: the latency of {@code GET /v1/shoppers/{id}/prices} for 20 SKUs (the shopper's
 * actor prices each SKU with its wallet), against a no-op Akka HTTP endpoint of the same node in the same run: the
 * management port's {@code GET /alive} (no liveness checks are configured, so it answers 200 at once).
 *
 * <p>Setup over HTTP on a stack of its own (or {@code --target}): a catalogue of {@code --skus} SKUs, four campaigns
 * (amount off, percent off, threshold, a category coupon in its own stack group), {@code --shoppers} shoppers each with
 * a view and a decided offer. Then for each concurrency, {@code --warmup} requests to each endpoint unmeasured, then
 * {@code --requests} requests to each endpoint, interleaved in rounds of 100 so that both see the same drift of the
 * machine. Prints p50/p99/max per endpoint, requests/s, and the ratios (no-op p99 ÷ prices p99; prices req/s ÷ no-op
 * req/s).
 */
@Command(
        name = "shopper-prices",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "GET /v1/shoppers/{id}/prices for 20 SKUs against the node's no-op GET /alive in the same run; prints"
                    + " p50/p99/max and the ratios.",
            "By default starts its own Cassandra node and Kairos node and stops them after."
        })
final class ShopperPricesCommand implements Callable<Integer> {

    @Option(names = "--shoppers", defaultValue = "200", description = "Shoppers (default ${DEFAULT-VALUE}).")
    int shoppers;

    @Option(names = "--skus", defaultValue = "1000", description = "Catalogue SKUs (default ${DEFAULT-VALUE}).")
    int skus;

    @Option(names = "--per-request", defaultValue = "20", description = "SKUs per request (default ${DEFAULT-VALUE}).")
    int perRequest;

    @Option(
            names = "--requests",
            defaultValue = "5000",
            description = "Measured requests per endpoint and concurrency (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--warmup",
            defaultValue = "3000",
            description = "Unmeasured requests first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--concurrency",
            split = ",",
            defaultValue = "1,4",
            description = "Requests in flight, one run each (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--target", description = "A running node's API base URL (nothing is started).")
    URI target;

    @Option(names = "--management", description = "With --target: its management base URL (for GET /alive).")
    URI management;

    @Option(names = "--api-key", description = "With --target: a key with the admin role.")
    String apiKey;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("shopper-prices");
        System.out.printf(
                "Kairos shopper-price benchmark; run directory %s%nnproc %d, load average %s%n",
                dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage());
        try (var stack = target != null
                ? new BenchStack(target, management, apiKey, null, null, null, null)
                : BenchStack.start(root.resolve("kairos"), dir, Optional.ofNullable(nodeJavaOpts))) {
            if (stack.management() == null)
                throw new IllegalArgumentException("--management is required with --target");
            setUp(stack);
            var report = new StringBuilder();
            for (int c : concurrency) report.append(measure(stack, c));
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            if (target == null) IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    private void setUp(BenchStack stack) throws Exception {
        var start = System.nanoTime();
        for (int from = 0; from < skus; from += 1000) {
            var body = new StringJoiner(",", "{\"skus\":[", "]}");
            for (int i = from; i < Math.min(skus, from + 1000); i++) {
                body.add(
                        "{\"sku\":\"sku-%d\",\"listPrice\":%d.%02d,\"cost\":%d.00,\"category\":\"c%d\",\"name\":\"SKU %d\"}"
                                .formatted(i, 10 + i % 90, i % 100, 5 + i % 40, i % 10, i));
            }
            send(stack, "PUT", "/v1/catalog/skus", body.toString(), 200);
        }
        var now = Instant.now();
        var coupons = List.of(
                "{\"type\":\"amount_off\",\"value\":5}",
                "{\"type\":\"percent_off\",\"value\":15,\"maxDiscount\":20}",
                "{\"type\":\"threshold_amount_off\",\"value\":10,\"minSpend\":50}",
                "{\"type\":\"amount_off\",\"value\":2,\"categories\":[\"c1\",\"c2\"],\"stackGroup\":\"category\"}");
        for (int i = 0; i < coupons.size(); i++) {
            send(
                    stack,
                    "POST",
                    "/v1/campaigns",
                    ("{\"campaignId\":\"bench-%d\",\"name\":\"Bench %d\",\"coupon\":%s,\"budget\":1000000,\"validDays\":30,"
                                    + "\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"objective\":\"activation\",\"pacing\":\"asap\"}")
                            .formatted(
                                    i, i, coupons.get(i), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60))),
                    201);
        }
        for (int s = 0; s < shoppers; s++) {
            send(
                    stack,
                    "POST",
                    "/v1/events",
                    "{\"events\":[{\"eventId\":\"v-%d\",\"shopperId\":\"bench-shopper-%d\",\"type\":\"view\",\"sku\":\"sku-%d\",\"occurredAt\":\"%s\"}]}"
                            .formatted(s, s, s % skus, now),
                    202);
        }
        // the campaigns reach the node's catalogue through Distributed Data: decide until offers are issued
        int withOffers = 0;
        for (int attempt = 0; attempt < 20 && withOffers < shoppers / 2; attempt++) {
            withOffers = 0;
            for (int s = 0; s < shoppers; s++) {
                var r = send(stack, "POST", "/v1/shoppers/bench-shopper-" + s + "/offers/decide", null, 200);
                if (r.contains("\"couponId\"")) withOffers++;
            }
            if (withOffers < shoppers / 2) Thread.sleep(1000);
        }
        System.out.printf(
                "set up %d SKUs, %d campaigns, %d shoppers (%d with offers) in %.1f s%n",
                skus, coupons.size(), shoppers, withOffers, (System.nanoTime() - start) / 1e9);
    }

    private String measure(BenchStack stack, int inFlight) throws Exception {
        var alive = stack.management().resolve("/alive");
        var endpoints = List.of("no-op GET /alive", "GET /v1/shoppers/{id}/prices (" + perRequest + " SKUs)");
        // both endpoints warm up (JIT, connection pools, the shoppers' actors), unmeasured
        run(stack, alive, inFlight, warmup, null, null);
        run(stack, null, inFlight, warmup, null, null);
        var latencies = new long[][] {new long[requests], new long[requests]};
        long[] nanos = new long[2];
        for (int from = 0; from < requests; from += 100) {
            int n = Math.min(100, requests - from);
            nanos[0] += run(stack, alive, inFlight, n, latencies[0], from);
            nanos[1] += run(stack, null, inFlight, n, latencies[1], from);
        }
        var out = new StringBuilder();
        out.append("%nconcurrency %d, %d requests per endpoint%n".formatted(inFlight, requests));
        double[] p99 = new double[2];
        double[] rate = new double[2];
        for (int e = 0; e < 2; e++) {
            var sorted = latencies[e].clone();
            Arrays.sort(sorted);
            p99[e] = ms(sorted[(int) Math.ceil(sorted.length * 0.99) - 1]);
            rate[e] = requests / (nanos[e] / 1e9);
            out.append("  %-45s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  %8.0f req/s%n"
                    .formatted(
                            endpoints.get(e),
                            ms(sorted[sorted.length / 2]),
                            p99[e],
                            ms(sorted[sorted.length - 1]),
                            rate[e]));
        }
        out.append("  ratio no-op p99 / prices p99 = %.2f; prices req/s / no-op req/s = %.2f%n"
                .formatted(p99[0] / p99[1], rate[1] / rate[0]));
        return out.toString();
    }

    /** {@code n} requests with {@code inFlight} workers; latencies into {@code into[at…]} when given; wall nanos. */
    private long run(BenchStack stack, URI fixed, int inFlight, int n, long[] into, Integer at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        try {
            var next = new java.util.concurrent.atomic.AtomicInteger();
            var futures = new ArrayList<Future<?>>();
            long start = System.nanoTime();
            for (int w = 0; w < inFlight; w++) {
                futures.add(pool.submit(() -> {
                    var random = java.util.concurrent.ThreadLocalRandom.current();
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        var uri = fixed != null ? fixed : pricesUri(stack, random);
                        var request = HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + stack.apiKey())
                                .GET()
                                .build();
                        long t0 = System.nanoTime();
                        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - t0;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(
                                    uri + " answered " + response.statusCode() + ": " + response.body());
                        }
                        if (into != null) into[at + i] = took;
                    }
                    return null;
                }));
            }
            for (var f : futures) f.get();
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private URI pricesUri(BenchStack stack, java.util.Random random) {
        var list = new StringJoiner(",");
        int first = random.nextInt(skus);
        for (int k = 0; k < perRequest; k++) list.add("sku-" + ((first + k * 37) % skus));
        return stack.api().resolve("/v1/shoppers/bench-shopper-" + random.nextInt(shoppers) + "/prices?skus=" + list);
    }

    private String send(BenchStack stack, String method, String path, String body, int expected) throws Exception {
        return stack.send(http, method, path, body, expected);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}

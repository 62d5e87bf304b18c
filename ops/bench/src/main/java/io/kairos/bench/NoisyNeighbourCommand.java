package io.kairos.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench noisy-neighbour}: one API key floods a node with decisions at {@code --flood-factor} × the node's
 * decision capacity while another key reads prices at {@code --victim-rate} per second; prints the victim's latency
 * alone and under the flood, and the ratio of the p99s (issue 18's goal: ≤ 2).
 *
 * <p>Starts its own Cassandra and node with a flood key and a victim key (both ingest) and {@code --per-key} as the
 * node's {@code KAIROS_RATE_LIMIT_PER_KEY}. Setup: a catalogue of 100 SKUs, a campaign, {@code --shoppers} shoppers
 * with a profile, each with its first decision made (so every timed decision is the same work: one for a shopper who
 * holds the campaign's offer). The capacity is measured closed-loop (the flood key, 32 in flight, decisions on random
 * shoppers of the pool); the victim is an open loop at a fixed rate, latency from each request's scheduled time; the
 * flood is an open loop at the flood factor × capacity, at most 900 requests in flight (under Akka HTTP's 1,024
 * connections; sends beyond are counted as not sent). The reference in the same run is the victim alone.
 */
@Command(
        name = "noisy-neighbour",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "One key floods decisions at N x the node's capacity while another reads prices at a fixed rate; prints"
                    + " the reader's p50/p99 alone and under the flood, and the ratio."
        })
final class NoisyNeighbourCommand implements Callable<Integer> {
    private static final String FLOOD_KEY = "bench-flood-key-0001";
    private static final String VICTIM_KEY = "bench-victim-key-0002";
    private static final int MAX_FLOOD_IN_FLIGHT = 900;
    /** The open loops send what is due every this many milliseconds. */
    private static final int TICK_MS = 2;

    @Option(names = "--per-key", defaultValue = "10000", description = "KAIROS_RATE_LIMIT_PER_KEY of the node.")
    long perKey;

    @Option(names = "--flood-factor", defaultValue = "5", description = "Flood rate ÷ capacity.")
    double floodFactor;

    @Option(names = "--victim-rate", defaultValue = "50", description = "The other key's requests per second.")
    int victimRate;

    @Option(names = "--seconds", defaultValue = "30", description = "Length of each measured phase.")
    int seconds;

    @Option(names = "--shoppers", defaultValue = "2000", description = "Shoppers the flood decides for.")
    int shoppers;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4))
            .build();
    // The reader's own client: its requests never wait behind the flood's connections or threads in this process.
    private final HttpClient victimHttp = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(2))
            .build();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("noisy-neighbour");
        System.out.printf(
                "Kairos noisy-neighbour benchmark; run directory %s%nnproc %d, load average %s; per-key limit %d/s%n",
                dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage(), perKey);
        try (var stack = BenchStack.start(
                root.resolve("kairos"),
                dir,
                Optional.ofNullable(nodeJavaOpts),
                "ingest=" + FLOOD_KEY + ",ingest=" + VICTIM_KEY,
                Map.of("KAIROS_RATE_LIMIT_PER_KEY", Long.toString(perKey)))) {
            setUp(stack);
            var report = measure(stack);
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    private void setUp(BenchStack stack) throws Exception {
        BenchShop.open(stack, http, "noisy", shoppers);
        // every shopper's first decision (the costly one: it scores, reserves and issues) before anything is timed, so
        // the capacity and the flood measure the same work: a decision for a shopper who holds the campaign's offer
        var pool = Executors.newFixedThreadPool(16);
        try {
            var next = new AtomicInteger();
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int w = 0; w < 16; w++) {
                futures.add(pool.submit(() -> {
                    for (int s = next.getAndIncrement(); s < shoppers; s = next.getAndIncrement()) {
                        while (http.send(decide(stack.api(), s), HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 503) {
                            Thread.sleep(100);
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private String measure(BenchStack stack) throws Exception {
        // capacity: decisions closed-loop, after a warm-up of the same
        closedLoop(stack, 32, Duration.ofSeconds(10));
        double capacity = closedLoop(stack, 32, Duration.ofSeconds(15));
        var out = new StringBuilder();
        out.append("decision capacity (closed loop, 32 in flight): %.1f req/s%n".formatted(capacity));

        var alone = new Phase(stack.api(), false, 0, Duration.ofSeconds(seconds)).run();
        var flooded = new Phase(stack.api(), true, capacity * floodFactor, Duration.ofSeconds(seconds)).run();
        out.append("victim alone:      %s%n".formatted(alone.victim()));
        out.append("victim with flood: %s%n".formatted(flooded.victim()));
        out.append("flood offered %.0f req/s (%.1f x capacity): %s%n"
                .formatted(capacity * floodFactor, floodFactor, flooded.flood()));
        out.append("ratio victim p99 with flood / alone = %.2f (goal <= 2)%n"
                .formatted(flooded.victimP99() / alone.victimP99()));
        return out.toString();
    }

    private HttpRequest decide(URI api, int shopper) {
        return HttpRequest.newBuilder(api.resolve("/v1/shoppers/noisy-" + shopper + "/offers/decide"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + FLOOD_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private HttpRequest price(URI api, int sku) {
        return HttpRequest.newBuilder(api.resolve("/v1/prices/sku-" + sku))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + VICTIM_KEY)
                .GET()
                .build();
    }

    /** Decisions answered 200 per second with {@code inFlight} workers. */
    private double closedLoop(BenchStack stack, int inFlight, Duration length) throws Exception {
        var ok = new LongAdder();
        long end = System.nanoTime() + length.toNanos();
        var pool = Executors.newFixedThreadPool(inFlight);
        try {
            for (int w = 0; w < inFlight; w++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        var r = http.send(
                                decide(stack.api(), ThreadLocalRandom.current().nextInt(shoppers)),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) ok.increment();
                        else if (r.statusCode() == 503) Thread.sleep(10);
                    }
                    return null;
                });
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(length.toSeconds() + 60, TimeUnit.SECONDS);
        }
        return ok.sum() / (length.toNanos() / 1e9);
    }

    /** A measured phase: the victim's open loop, and the flood's when {@code flood}. */
    private final class Phase {
        private final URI api;
        private final boolean flood;
        private final double floodRate;
        private final Duration length;
        private final long[] victimLatencies;
        private final AtomicInteger victimSent = new AtomicInteger();
        private final Map<String, LongAdder> victimStatus = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> floodStatus = new ConcurrentHashMap<>();
        private final AtomicLong floodInFlight = new AtomicLong();
        private final LongAdder floodNotSent = new LongAdder();

        Phase(URI api, boolean flood, double floodRate, Duration length) {
            this.api = api;
            this.flood = flood;
            this.floodRate = floodRate;
            this.length = length;
            this.victimLatencies = new long[(int) (victimRate * length.toSeconds())];
            Arrays.fill(victimLatencies, -1);
        }

        Phase run() throws InterruptedException {
            var ticker = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            int ticks = (int) (length.toMillis() / TICK_MS);
            var tick = new AtomicInteger();
            ticker.scheduleAtFixedRate(
                    () -> {
                        int t = tick.getAndIncrement();
                        if (t >= ticks) return;
                        // the reader's requests scheduled by now (this tick's start); counting those due by the
                        // tick's end sent request i up to a whole request interval after its time (18 ms at 50/s),
                        // which its latency, measured from that time, then carried
                        int victimDue = (int) ((long) t * victimRate * TICK_MS / 1000) + 1;
                        while (victimSent.get() < Math.min(victimDue, victimLatencies.length)) {
                            int i = victimSent.getAndIncrement();
                            long scheduled = start + (long) (i * 1e9 / victimRate);
                            victimHttp
                                    .sendAsync(price(api, i % 100), HttpResponse.BodyHandlers.discarding())
                                    .whenComplete((r, e) -> {
                                        victimLatencies[i] = System.nanoTime() - scheduled;
                                        count(victimStatus, r, e);
                                    });
                        }
                        if (flood) {
                            int floodDue = (int) ((t + 1) * floodRate * TICK_MS / 1000)
                                    - (int) (t * floodRate * TICK_MS / 1000);
                            for (int k = 0; k < floodDue; k++) {
                                if (floodInFlight.get() >= MAX_FLOOD_IN_FLIGHT) {
                                    floodNotSent.increment();
                                    continue;
                                }
                                floodInFlight.incrementAndGet();
                                http.sendAsync(
                                                decide(
                                                        api,
                                                        ThreadLocalRandom.current()
                                                                .nextInt(shoppers)),
                                                HttpResponse.BodyHandlers.discarding())
                                        .whenComplete((r, e) -> {
                                            floodInFlight.decrementAndGet();
                                            count(floodStatus, r, e);
                                        });
                            }
                        }
                    },
                    0,
                    TICK_MS,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(length.toMillis() + 100);
            ticker.shutdownNow();
            // the answers still out
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (System.nanoTime() < deadline
                    && (Arrays.stream(victimLatencies).anyMatch(l -> l < 0) || floodInFlight.get() > 0)) {
                Thread.sleep(100);
            }
            return this;
        }

        private void count(Map<String, LongAdder> statuses, HttpResponse<?> r, Throwable e) {
            var key = e != null ? e.getClass().getSimpleName() : Integer.toString(r.statusCode());
            statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        double victimP99() {
            var sorted =
                    Arrays.stream(victimLatencies).filter(l -> l >= 0).sorted().toArray();
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
        }

        String victim() {
            var sorted =
                    Arrays.stream(victimLatencies).filter(l -> l >= 0).sorted().toArray();
            return "%d requests at %d/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, statuses %s"
                    .formatted(
                            sorted.length,
                            victimRate,
                            sorted[sorted.length / 2] / 1e6,
                            victimP99(),
                            sorted[sorted.length - 1] / 1e6,
                            statuses(victimStatus));
        }

        String flood() {
            return "statuses %s, not sent (at the in-flight cap) %d"
                    .formatted(statuses(floodStatus), floodNotSent.sum());
        }

        private String statuses(Map<String, LongAdder> statuses) {
            var out = new TreeMap<String, Long>();
            statuses.forEach((k, v) -> out.put(k, v.sum()));
            return out.toString();
        }
    }
}

package io.kairos.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench hot-campaign}: decisions per second when every decision reserves against one campaign, divided by
 * decisions per second when the same number of decisions spread over {@code --campaigns} campaigns, in the same run on
 * the same nodes (issue 19's goal: ≥ 0.8, with no decision refused because a reservation went unanswered).
 *
 * <p>Setup over HTTP (admin key): a hot campaign eligible to shoppers tagged {@code <run>-hot}, and {@code --campaigns}
 * campaigns each eligible to its own tag; for each round and phase {@code --decisions} new shoppers with a profile
 * carrying the tag, so each decision has exactly one candidate and costs the same apart from where it reserves. Budgets
 * are large enough that no reservation is refused for money. The phases alternate ({@code --rounds} times hot, then
 * spread) so both see the same drift of the machine; the decisions go round-robin to every {@code --target}. A 503
 * (admission control) is re-sent after its {@code Retry-After}, and counted. After the run, the campaigns' stats give
 * how the decisions ended, {@code refused-unavailable} included.
 */
@Command(
        name = "hot-campaign",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Decisions/s against one campaign / decisions/s spread over many, same run and nodes; prints both, the"
                    + " ratio, and the decisions refused because a reservation went unanswered.",
            "By default starts its own Cassandra node and one Kairos node; --target drives running nodes (e.g."
                    + " ./kairos cluster --nodes 3)."
        })
final class HotCampaignCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--decisions",
            defaultValue = "3000",
            description = "Measured decisions per phase and round (default ${DEFAULT-VALUE}).")
    int decisions;

    @Option(
            names = "--campaigns",
            defaultValue = "100",
            description = "Campaigns the spread phase uses (default ${DEFAULT-VALUE}).")
    int campaigns;

    @Option(names = "--rounds", defaultValue = "2", description = "Hot/spread rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--concurrency",
            defaultValue = "64",
            description = "Decisions in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--warmup",
            defaultValue = "1000",
            description = "Unmeasured decisions per phase first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--target",
            split = ",",
            description = "Running nodes' API base URLs, comma-separated (nothing is started).")
    List<URI> targets;

    @Option(names = "--api-key", description = "With --target: a key with the admin role.")
    String apiKey;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String run = "hc" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final AtomicLong retried = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("hot-campaign");
        System.out.printf(
                "Kairos hot-campaign benchmark; run %s, directory %s%nnproc %d, load average %s%n",
                run, dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage());
        var stacks = new ArrayList<BenchStack>();
        try {
            if (targets != null) {
                for (var t : targets) stacks.add(BenchStack.external(t, apiKey, null));
            } else {
                stacks.add(BenchStack.start(root.resolve("kairos"), dir, Optional.ofNullable(nodeJavaOpts)));
            }
            var report = measure(stacks);
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            for (var s : stacks) s.close();
            if (targets == null) IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    private String measure(List<BenchStack> nodes) throws Exception {
        var admin = nodes.get(0);
        var now = Instant.now();
        long budget = 10L * (rounds + 1) * (decisions + warmup);
        createCampaign(admin, run + "-hot", budget, now);
        for (int k = 0; k < campaigns; k++) createCampaign(admin, run + "-s" + k, budget, now);
        IntFunction<String> hotTag = i -> run + "-hot";
        IntFunction<String> spreadTag = i -> run + "-s" + (i % campaigns);
        // the campaigns reach every node's catalogue through Distributed Data: wait until a probe decision offers
        for (int n = 0; n < nodes.size(); n++) {
            awaitOffer(nodes.get(n), "probe-" + n, hotTag.apply(0));
            awaitOffer(nodes.get(n), "probe-s-" + n, spreadTag.apply(n));
        }
        phase(nodes, "warm-hot", warmup, hotTag);
        phase(nodes, "warm-spread", warmup, spreadTag);
        double[] hot = new double[rounds];
        double[] spread = new double[rounds];
        var out = new StringBuilder();
        out.append("%d node(s), %d decisions per phase, %d in flight, %d spread campaigns%n"
                .formatted(nodes.size(), decisions, concurrency, campaigns));
        for (int r = 0; r < rounds; r++) {
            hot[r] = phase(nodes, "hot-" + r, decisions, hotTag);
            spread[r] = phase(nodes, "spread-" + r, decisions, spreadTag);
            out.append("  round %d: one campaign %7.1f decisions/s, %d campaigns %7.1f decisions/s, ratio %.2f%n"
                    .formatted(r + 1, hot[r], campaigns, spread[r], hot[r] / spread[r]));
        }
        double hotRate = Arrays.stream(hot).average().orElse(0);
        double spreadRate = Arrays.stream(spread).average().orElse(0);
        out.append("  mean: one campaign %.1f decisions/s, spread %.1f decisions/s, ratio %.2f (goal >= 0.8)%n"
                .formatted(hotRate, spreadRate, hotRate / spreadRate));
        out.append("  503s re-sent: %d%n".formatted(retried.get()));
        // every phase's decisions, the warm-up's and the probes' (two per node)
        out.append(outcomes(admin, 2L * warmup + 2L * rounds * decisions + 2L * nodes.size()));
        return out.toString();
    }

    /** {@code n} decisions of new shoppers tagged by {@code tag}; decisions per second of the whole phase. */
    private double phase(List<BenchStack> nodes, String name, int n, IntFunction<String> tag) throws Exception {
        // the shoppers exist (a profile with the tag) before the clock starts: only the decisions are timed
        parallel(n, i -> {
            var node = nodes.get(i % nodes.size());
            send(node, "PUT", "/v1/shoppers/" + shopper(name, i) + "/profile", "{\"tags\":[\"" + tag.apply(i) + "\"]}");
        });
        long start = System.nanoTime();
        parallel(n, i -> {
            var node = nodes.get(i % nodes.size());
            var body = send(node, "POST", "/v1/shoppers/" + shopper(name, i) + "/offers/decide", null);
            if (!body.contains("\"decisionId\"")) throw new IllegalStateException("no decision: " + body);
        });
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private String shopper(String phase, int i) {
        return run + "-" + phase + "-" + i;
    }

    /**
     * How every campaign's decisions ended, summed from the stats once the projection (a few seconds behind) counted
     * all {@code expected} and the offers match the reservations, or after two minutes.
     */
    private String outcomes(BenchStack admin, long expected) throws Exception {
        var byReason = new java.util.TreeMap<String, Long>();
        long issued = 0;
        long reservations = 0;
        for (int attempt = 0; attempt < 60; attempt++) {
            byReason.clear();
            issued = 0;
            reservations = 0;
            var ids = new ArrayList<String>();
            ids.add(run + "-hot");
            for (int k = 0; k < campaigns; k++) ids.add(run + "-s" + k);
            for (var id : ids) {
                var stats = JSON.readTree(send(admin, "GET", "/v1/campaigns/" + id + "/stats", null));
                issued += stats.path("issued").asLong();
                reservations += stats.path("reservations").path("made").asLong();
                var reasons = stats.path("decisions").path("byReason");
                reasons.fieldNames()
                        .forEachRemaining(f -> byReason.merge(f, reasons.path(f).asLong(), Long::sum));
            }
            long counted = byReason.values().stream().mapToLong(Long::longValue).sum();
            if (counted >= expected && issued == reservations) break;
            Thread.sleep(2_000);
        }
        return "  decisions by outcome (campaign stats): %s; refused-unavailable %d; offers issued %d, reservations made %d%n"
                .formatted(byReason, byReason.getOrDefault("refused-unavailable", 0L), issued, reservations);
    }

    private void awaitOffer(BenchStack node, String shopper, String tag) throws Exception {
        send(node, "PUT", "/v1/shoppers/" + run + "-" + shopper + "/profile", "{\"tags\":[\"" + tag + "\"]}");
        for (int attempt = 0; attempt < 60; attempt++) {
            var body = send(node, "POST", "/v1/shoppers/" + run + "-" + shopper + "/offers/decide", null);
            if (JSON.readTree(body).hasNonNull("decisionId")) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("campaigns did not reach " + node.api() + " within 30 s");
    }

    private void createCampaign(BenchStack admin, String id, long budget, Instant now) throws Exception {
        // exploration 0: the floor (kairos.offers.exploration.epsilon) still explores, the same in both phases
        send(
                admin,
                "POST",
                "/v1/campaigns",
                ("{\"campaignId\":\"%s\",\"name\":\"%s\",\"coupon\":{\"type\":\"amount_off\",\"value\":1},\"budget\":%d,"
                                + "\"validDays\":30,\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"objective\":\"activation\","
                                + "\"pacing\":\"asap\",\"eligibility\":{\"tags\":[\"%s\"]},\"exploration\":0}")
                        .formatted(id, id, budget, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)), id));
    }

    interface Work {
        void run(int i) throws Exception;
    }

    private void parallel(int n, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            var next = new AtomicInteger();
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < concurrency; w++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) work.run(i);
                    return null;
                }));
            }
            for (var f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends with the admin key, re-sending a 503 after its Retry-After; the body of the 2xx answer. */
    private String send(BenchStack node, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(node.api().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + node.apiKey())
                .header("Content-Type", "application/json");
        var request = (body == null
                        ? builder.method(method, HttpRequest.BodyPublishers.noBody())
                        : builder.method(method, HttpRequest.BodyPublishers.ofString(body)))
                .build();
        for (int attempt = 1; ; attempt++) {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) return response.body();
            if (response.statusCode() != 503 || attempt == 30) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            retried.incrementAndGet();
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep((long) (seconds * 1000 * (0.5 + Math.random())));
        }
    }
}

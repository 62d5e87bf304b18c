package io.kairos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.offer.CouponFunnel;
import io.kairos.offer.KairosTables;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench console}: how fast each page of the operator console is interactive on a node holding
 * {@code --campaigns} campaigns, {@code --skus} catalogue SKUs and {@code --funnel-rows} rows of the coupon funnel
 * (half of them in the campaign whose page is measured, the rest spread over the others), measured in Chromium by
 * {@code ops/console-test/console.spec.mjs} (Playwright's library), which also runs every check of the browser test:
 * interactive (the page's actions work) and complete (everything it loads later, such as a campaign's stats, is shown).
 * The reference, measured by the same page in the same run, is the median round trip of {@code GET /console/session}.
 * Needs Chromium and {@code npm ci --prefix ops/console-test}, as {@code .ci/run} installs them.
 */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The operator console's pages, time to interactive in Chromium, on a node with many campaigns, SKUs and"
                    + " funnel rows; prints each page's time against a no-op round trip from the same page.",
            "Starts its own Cassandra node and Kairos node and stops them after."
        })
final class ConsoleCommand implements Callable<Integer> {
    private static final String OPERATOR = "bench-console-operator";
    private static final String AUDITOR = "bench-console-auditor";

    @Option(names = "--campaigns", defaultValue = "50", description = "Campaigns (default ${DEFAULT-VALUE}).")
    int campaigns;

    @Option(names = "--skus", defaultValue = "1000", description = "Catalogue SKUs (default ${DEFAULT-VALUE}).")
    int skus;

    @Option(
            names = "--funnel-rows",
            defaultValue = "100000",
            description = "Rows of the coupon funnel (default ${DEFAULT-VALUE}).")
    int funnelRows;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var script = root.resolve("ops").resolve("console-test");
        if (!Files.isDirectory(script.resolve("node_modules").resolve("playwright-core")))
            throw new IllegalStateException("run npm ci --prefix ops/console-test first (Playwright's library)");
        var dir = IngestCommand.newRunDirectory("console");
        System.out.printf(
                "Kairos console benchmark; run directory %s%nnproc %d, load average %s%n",
                dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage());
        try (var stack = BenchStack.start(
                root.resolve("kairos"),
                dir,
                Optional.ofNullable(nodeJavaOpts),
                "operator=" + OPERATOR + ",auditor=" + AUDITOR,
                Map.of())) {
            setUp(stack);
            var shots = dir.resolve("screenshots");
            var run = new ProcessBuilder("node", "console.spec.mjs")
                    .directory(script.toFile())
                    .redirectErrorStream(true);
            run.environment()
                    .putAll(Map.of(
                            "KAIROS_URL",
                            stack.api().toString().replaceAll("/$", ""),
                            "OPERATOR_KEY",
                            OPERATOR,
                            "AUDITOR_KEY",
                            AUDITOR,
                            "CAMPAIGN",
                            "bench-c0",
                            "SKU",
                            "bench-sku-0",
                            "SHOPPER",
                            "bench-shopper-0",
                            "SCREENSHOTS",
                            shots.toString()));
            var process = run.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the browser run took more than 5 minutes");
            }
            var output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            var report = report(output);
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
            return process.exitValue();
        } finally {
            IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
    }

    private void setUp(BenchStack stack) throws Exception {
        var start = System.nanoTime();
        for (int from = 0; from < skus; from += 1000) {
            var body = new StringJoiner(",", "{\"skus\":[", "]}");
            for (int i = from; i < Math.min(skus, from + 1000); i++)
                body.add(
                        "{\"sku\":\"bench-sku-%d\",\"listPrice\":%d.%02d,\"cost\":%d.00,\"category\":\"c%d\",\"name\":\"SKU %d\"}"
                                .formatted(i, 10 + i % 90, i % 100, 5 + i % 5, i % 10, i));
            stack.send(http, "PUT", "/v1/catalog/skus", body.toString(), 200);
        }
        for (int i = 0; i < Math.min(20, skus); i++) {
            stack.send(
                    http,
                    "PUT",
                    "/v1/skus/bench-sku-" + i,
                    """
                {"listPrice": %d.%02d, "cost": %d.00, "floor": %d.00, "ceiling": %d.00, "maxStepPercent": 10,
                 "minMarginPercent": 10, "repriceEvery": "PT1H", "policy": "thompson"}"""
                            .formatted(10 + i % 90, i % 100, 5 + i % 5, 9 + i % 90, 20 + i % 90),
                    200);
        }
        var now = Instant.now();
        for (int c = 0; c < campaigns; c++)
            stack.send(
                    http,
                    "POST",
                    "/v1/campaigns",
                    ("{\"campaignId\":\"bench-c%d\",\"name\":\"Campaign %d\",\"coupon\":{\"type\":\"amount_off\",\"value\":%d},"
                                    + "\"budget\":1000000,\"validDays\":7,\"startsAt\":\"%s\",\"endsAt\":\"%s\","
                                    + "\"objective\":\"activation\",\"pacing\":\"even\",\"holdoutPercent\":10}")
                            .formatted(c, c, 1 + c % 9, now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(20))),
                    201);
        for (int s = 0; s < 30; s++) {
            stack.send(
                    http,
                    "POST",
                    "/v1/events",
                    "{\"events\":[{\"eventId\":\"v-%d\",\"shopperId\":\"bench-shopper-%d\",\"type\":\"view\",\"sku\":\"bench-sku-%d\",\"occurredAt\":\"%s\"}]}"
                            .formatted(s, s, s % skus, now),
                    202);
            stack.send(http, "POST", "/v1/shoppers/bench-shopper-" + s + "/offers/decide", null, 200);
        }
        long written = funnel(stack);
        System.out.printf(
                "set up %d SKUs (20 priced dynamically), %d campaigns, 30 shoppers, %d funnel rows in %.1f s%n",
                skus, campaigns, written, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Funnel rows as the shopper projection writes them (an issued row per offer, a claim for every third, a redemption
     * for every tenth): half in bench-c0, the rest spread over the other campaigns.
     */
    private long funnel(BenchStack stack) throws Exception {
        var table = SchemaSettings.defaults().kairosKeyspace() + ".campaign_funnel";
        try (CqlSession session = RawInsertReference.open(stack.cassandra())) {
            var insert = session.prepare("INSERT INTO " + table
                    + " (campaign_id, bucket, offer_id, entry, coupon_type, channel, amount, revenue, at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            var inFlight = new Semaphore(256);
            var failures = new AtomicInteger();
            long rows = 0;
            var at = Instant.now().minus(Duration.ofDays(3));
            for (int offer = 0; rows < funnelRows; offer++) {
                var campaign =
                        offer % 2 == 0 || campaigns == 1 ? "bench-c0" : "bench-c" + (1 + offer % (campaigns - 1));
                var offerId = "bench-offer-" + offer;
                var entries = new java.util.ArrayList<String>();
                entries.add(CouponFunnel.ISSUED);
                if (offer % 3 == 0) entries.add(CouponFunnel.CLAIMED);
                if (offer % 10 == 0) entries.add(CouponFunnel.ORDER + "bench-order-" + offer);
                for (var entry : entries) {
                    if (rows >= funnelRows) break;
                    boolean order = entry.startsWith(CouponFunnel.ORDER);
                    inFlight.acquire();
                    session.executeAsync(insert.bind(
                                    campaign,
                                    KairosTables.bucket(offerId),
                                    offerId,
                                    entry,
                                    "amount_off",
                                    offer % 4 == 0 ? "email" : "in_app",
                                    order ? new BigDecimal("5.00") : null,
                                    order ? new BigDecimal("42.00") : null,
                                    at.plusSeconds(offer)))
                            .whenComplete((r, e) -> {
                                if (e != null) failures.incrementAndGet();
                                inFlight.release();
                            });
                    rows++;
                }
            }
            inFlight.acquire(256);
            if (failures.get() > 0) throw new IllegalStateException(failures.get() + " funnel rows failed");
            return rows;
        }
    }

    /** The page timings the script printed, each against the reference round trip. */
    private static String report(String output) throws Exception {
        var line = output.lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("the browser run printed no result: " + output));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        var out = new StringBuilder();
        if (!json.path("ok").asBoolean())
            out.append("the browser run FAILED: ")
                    .append(json.path("error").asText())
                    .append('\n');
        double reference = json.path("referenceMs").asDouble();
        out.append("%nreference: GET /console/session from the page, median of 21: %.1f ms%n".formatted(reference));
        out.append(
                "%-20s %16s %14s %26s%n".formatted("page", "interactive ms", "complete ms", "reference / interactive"));
        var complete = json.path("completeMs");
        json.path("timingsMs")
                .fields()
                .forEachRemaining(e -> out.append("%-20s %16d %14s %26.3f%n"
                        .formatted(
                                e.getKey(),
                                e.getValue().asLong(),
                                complete.has(e.getKey())
                                        ? Long.toString(
                                                complete.path(e.getKey()).asLong())
                                        : "-",
                                reference / Math.max(1, e.getValue().asDouble()))));
        return out.toString();
    }
}

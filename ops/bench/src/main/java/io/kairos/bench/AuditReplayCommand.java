package io.kairos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench audit-replay}: how fast a node re-derives recorded offer decisions ({@code POST
 * /v1/audit/decisions/replay}, what {@code ./kairos audit replay} calls), divided by how fast the same decision rows
 * are read raw from Cassandra (the same filtered query, every column fetched, nothing decoded), in the same run (issue
 * 15's goal: ≥ 0.5).
 *
 * <p>Setup over HTTP: {@link BenchShop}'s shop, and {@code --decisions} shoppers who each ask for a decision once.
 * Then, {@code --warmup-rounds} unmeasured rounds (both paths compiled by the JIT before they are timed, as the other
 * benchmarks warm up their endpoints), and {@code --rounds} times: the raw read, then the replay of the same window,
 * each timed from the request to its last row or line, with the cores each process used. The replay must find every
 * decision identical.
 */
@Command(
        name = "audit-replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Decisions re-derived per second (POST /v1/audit/decisions/replay) / the same decision rows read raw"
                    + " from Cassandra per second, in the same run; starts its own Cassandra node and Kairos node."
        })
final class AuditReplayCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--decisions",
            defaultValue = "5000",
            description = "Decisions made, then replayed (default ${DEFAULT-VALUE}).")
    int decisions;

    @Option(names = "--rounds", defaultValue = "3", description = "Read/replay rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--warmup-rounds",
            defaultValue = "2",
            description = "Unmeasured read/replay rounds first (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String run = "ar" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("audit-replay");
        System.out.printf(
                "Kairos audit-replay benchmark; run %s, directory %s%nnproc %d, load average %s%n",
                run, dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage());
        try (var stack = BenchStack.start(root.resolve("kairos"), dir, Optional.ofNullable(nodeJavaOpts));
                CqlSession cql = RawInsertReference.open(stack.cassandra())) {
            var report = measure(stack, cql);
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    private String measure(BenchStack stack, CqlSession cql) throws Exception {
        var from = Instant.now().minusSeconds(1);
        BenchShop.open(stack, http, run, decisions);
        var failed = new AtomicInteger();
        var firstFailure = new java.util.concurrent.atomic.AtomicReference<Exception>();
        var next = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(16);
        var workers = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        try {
            for (int w = 0; w < 16; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < decisions; i = next.getAndIncrement()) {
                        try {
                            stack.sendRetrying(
                                    http, "POST", "/v1/shoppers/" + run + "-" + i + "/offers/decide", null, 200);
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e);
                        }
                    }
                    return null;
                }));
            }
            for (var worker : workers) worker.get();
        } finally {
            pool.shutdownNow();
        }
        if (failed.get() > 0)
            throw new IllegalStateException(failed.get() + " decide requests failed, the first:", firstFailure.get());
        var to = Instant.now().plusSeconds(1);
        // the decisions table is written by the shopper projection, seconds behind the decisions
        long rows = 0;
        for (int attempt = 0; attempt < 120 && rows < decisions; attempt++) {
            if (attempt > 0) Thread.sleep(1_000);
            rows = rawRead(cql, from, to);
        }
        if (rows < decisions)
            throw new IllegalStateException("only " + rows + " of " + decisions + " decisions stored");

        var out = new StringBuilder();
        out.append("%d decisions in the window (%s to %s), %d warm-up rounds, %d rounds%n"
                .formatted(rows, from, to, warmupRounds, rounds));
        for (int r = 0; r < warmupRounds; r++) {
            rawRead(cql, from, to);
            replay(stack, from, to);
        }
        double[] raw = new double[rounds];
        double[] replay = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            var before = CpuMeter.take(stack.pids());
            long read = rawRead(cql, from, to);
            var between = CpuMeter.take(stack.pids());
            raw[r] = read / ((between.nanoTime() - before.nanoTime()) / 1e9);
            var counts = replay(stack, from, to);
            var after = CpuMeter.take(stack.pids());
            replay[r] = counts[0] / ((after.nanoTime() - between.nanoTime()) / 1e9);
            if (counts[0] != rows || counts[1] != rows)
                throw new IllegalStateException(
                        "replayed " + counts[0] + ", identical " + counts[1] + " of " + rows + " decisions");
            out.append("  round %d: raw read %8.0f rows/s, replay %7.0f decisions/s (all identical), ratio %.3f%n"
                    .formatted(r + 1, raw[r], replay[r], replay[r] / raw[r]));
            out.append("           cores used: raw read %s; replay %s%n"
                    .formatted(
                            IngestReport.cores(CpuMeter.between(before, between)),
                            IngestReport.cores(CpuMeter.between(between, after))));
        }
        double rawRate = Arrays.stream(raw).average().orElse(0);
        double replayRate = Arrays.stream(replay).average().orElse(0);
        out.append("  mean: raw read %.0f rows/s, replay %.0f decisions/s, ratio %.3f (goal >= 0.5)%n"
                .formatted(rawRate, replayRate, replayRate / rawRate));
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = replay[r] / raw[r];
        }
        Arrays.sort(ratios);
        if (rounds > 0)
            out.append("  rounds' ratios: median %.3f, lowest %.3f, highest %.3f%n"
                    .formatted(ratios[rounds / 2], ratios[0], ratios[rounds - 1]));
        return out.toString();
    }

    /** The rows the node's window read fetches (the same query), counted; every column is read off the wire. */
    private static long rawRead(CqlSession cql, Instant from, Instant to) {
        var statement = SimpleStatement.newInstance(
                        "SELECT decision_id, shopper_id, persistence_id, sequence_nr, kind, decided_at, record"
                                + " FROM kairos.decisions WHERE decided_at >= ? AND decided_at < ? ALLOW FILTERING",
                        from,
                        to)
                .setPageSize(5000);
        long n = 0;
        long bytes = 0;
        for (var row : cql.execute(statement)) {
            n++;
            bytes += row.getString("record").length();
        }
        return bytes > 0 ? n : 0;
    }

    /** Replays the window through the node; {replayed, identical}, from the stream's summary line. */
    private long[] replay(BenchStack stack, Instant from, Instant to) throws Exception {
        var body = JSON.createObjectNode().put("from", from.toString()).put("to", to.toString());
        var request = HttpRequest.newBuilder(stack.api().resolve("/v1/audit/decisions/replay"))
                .timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + stack.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200)
            throw new IllegalStateException("replay answered " + response.statusCode() + ": "
                    + String.join("\n", response.body().toList()));
        try (var lines = response.body()) {
            // only the summary line is parsed: the client's work must not weigh on the node's figure
            var summary = lines.filter(l -> l.startsWith("{\"summary\""))
                    .map(l -> {
                        try {
                            return JSON.readTree(l);
                        } catch (Exception e) {
                            throw new IllegalStateException(l, e);
                        }
                    })
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the replay stream ended without its summary"))
                    .path("summary");
            return new long[] {
                summary.path("replayed").asLong(), summary.path("identical").asLong()
            };
        }
    }
}

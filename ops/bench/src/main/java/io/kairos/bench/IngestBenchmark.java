package io.kairos.bench;

import io.kairos.bench.IngestRun.Result;
import io.kairos.bench.IngestRun.Settings;
import io.kairos.bench.IngestRun.Step;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The ingest benchmark: how many behaviour events per second one Kairos node acknowledges (202: persisted in each
 * shopper's journal) at a fixed arrival rate with p99 latency within a limit, against how many rows of the same size
 * raw asynchronous inserts put into the same Cassandra node.
 *
 * <p>A run: (1) prime: one event for every shopper in order, so every entity exists and has recovered before anything
 * is measured; (2) warm-up at the start rate (JIT, connection pools); (3) the raw-insert reference; (4) steps of
 * {@code stepSeconds} at rising arrival rates (geometric, ×{@code rateFactor}) while the node keeps up (no error, p99
 * within a loose capacity bound), then {@code refineSteps} steps narrowing that knee; if no rate met the target (no
 * error, p99 within the limit), up to three lower rates (halving) and the same narrowing for the target; (5) the
 * reference again, since the load of other processes on the machine drifts. The best step meeting the target and the
 * best step within capacity are each compared with the higher of the reference rates.
 */
final class IngestBenchmark {
    private static final double IDLE_CORES = 0.25;
    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(3);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(90);
    private static final int HEALTHY_IN_A_ROW = 3;
    private static final Duration HEALTHY_LATENCY = Duration.ofSeconds(1);
    private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);

    private final Settings settings;
    private final BenchStack stack;
    private final GatlingRunner gatling;
    private final Path runDir;
    private final PrintStream out;
    // Prefixes every event id of this run, so a rerun against the same node never sends a duplicate.
    private final String runTag =
            String.format(Locale.ROOT, "%06x", ThreadLocalRandom.current().nextInt(1 << 24));

    IngestBenchmark(Settings settings, BenchStack stack, Path loadDir, Path runDir, PrintStream out) {
        this.settings = settings;
        this.stack = stack;
        this.runDir = runDir;
        this.out = out;
        this.gatling = new GatlingRunner(
                loadDir, stack.api(), stack.apiKey(), runDir.resolve("gatling"), settings.generatorJvmOptions());
    }

    Result run(String loadBefore) throws IOException, InterruptedException {
        var startedAt = Instant.now();
        if (settings.profile()) {
            Files.createDirectories(runDir.resolve("profiles"));
            for (var pid : stack.profiledPids().values()) JfrProfile.start(pid);
        }
        int primeSeconds = (int) Math.ceil(settings.shoppers() / settings.primeRate());
        out.printf(
                Locale.ROOT,
                "prime: one event for each of %,d shoppers at %s events/s (%d s)%n",
                settings.shoppers(),
                fmt(settings.primeRate()),
                primeSeconds);
        var prime = step("prime", settings.primeRate(), primeSeconds, "sequential", false);
        out.printf(Locale.ROOT, "warm-up: %s events/s for %d s%n", fmt(settings.startRate()), settings.warmupSeconds());
        var warmup = step("warmup", settings.startRate(), settings.warmupSeconds(), settings.distribution(), false);

        try (var reference = RawInsertReference.prepare(stack.cassandra(), settings.journalKeyspace(), 5_000)) {
            var sample = reference.sample();
            out.printf(
                    Locale.ROOT,
                    "journal sample: %,d rows %s; BehaviourRecorded rows (plain or sealed): event blob %.0f B, row payload %.0f B%n",
                    sample.rowsRead(),
                    sample.manifests(),
                    sample.meanEventBytes(),
                    sample.meanPayloadBytes());
            var rawBefore = raw(reference, "raw-before");
            var steps = search();
            var rawAfter = raw(reference, "raw-after");
            reference.dropTable();
            var loadAfter = CpuMeter.loadAverage();
            return new Result(
                    settings,
                    startedAt,
                    loadBefore,
                    loadAfter,
                    Runtime.getRuntime().availableProcessors(),
                    sample,
                    rawBefore,
                    rawAfter,
                    prime,
                    warmup,
                    steps,
                    profiles(steps, rawBefore, rawAfter));
        }
    }

    /** Dumps each process's recording and cuts it into the measured intervals: interval -> process -> summary. */
    private Map<String, Map<String, JfrProfile.Summary>> profiles(
            List<Step> steps, List<RawInsertReference.Result> rawBefore, List<RawInsertReference.Result> rawAfter)
            throws IOException, InterruptedException {
        var byInterval = new LinkedHashMap<String, Map<String, JfrProfile.Summary>>();
        if (!settings.profile()) return byInterval;
        var windows = new LinkedHashMap<String, JfrProfile.Window>();
        steps.forEach(s -> windows.put(s.name(), s.window()));
        rawBefore.forEach(r -> windows.put("raw-before-" + r.concurrency(), r.window()));
        rawAfter.forEach(r -> windows.put("raw-after-" + r.concurrency(), r.window()));
        windows.keySet().forEach(name -> byInterval.put(name, new LinkedHashMap<>()));
        for (var process : stack.profiledPids().entrySet()) {
            var file = runDir.resolve("profiles").resolve(process.getKey() + ".jfr");
            JfrProfile.dump(process.getValue(), file);
            JfrProfile.summarize(file, windows)
                    .forEach((name, summary) -> byInterval.get(name).put(process.getKey(), summary));
        }
        return byInterval;
    }

    private List<Step> search() throws IOException, InterruptedException {
        var steps = new ArrayList<Step>();
        if (!settings.rates().isEmpty()) {
            for (var rate : settings.rates()) measure(steps, rate);
            return steps;
        }
        // Capacity: rise while the node keeps up (no error, p99 within the capacity bound), then narrow the knee.
        double rate = settings.startRate();
        for (int i = 0; i < settings.maxSteps(); i++) {
            if (!measure(steps, rate).withinCapacity()) break;
            rate *= settings.rateFactor();
        }
        refine(steps, Step::withinCapacity);
        // Target: if no rate tried meets the p99 limit, try lower ones (halving, at most three times), then narrow.
        for (int i = 0; i < 3 && steps.stream().noneMatch(Step::sustained); i++) {
            measure(
                    steps,
                    steps.stream()
                                    .mapToDouble(Step::offeredEventsPerSecond)
                                    .min()
                                    .orElseThrow()
                            / 2);
        }
        refine(steps, Step::sustained);
        return steps;
    }

    /**
     * {@code refineSteps} steps at the geometric mean of the highest rate meeting {@code criterion} and the lowest
     * higher rate that did not, while they are more than 5% apart.
     */
    private void refine(List<Step> steps, Predicate<Step> criterion) throws IOException, InterruptedException {
        for (int i = 0; i < settings.refineSteps(); i++) {
            var held = steps.stream()
                    .filter(criterion)
                    .mapToDouble(Step::offeredEventsPerSecond)
                    .max();
            if (held.isEmpty()) return;
            var missed = steps.stream()
                    .filter(criterion.negate())
                    .mapToDouble(Step::offeredEventsPerSecond)
                    .filter(r -> r > held.getAsDouble())
                    .min();
            if (missed.isEmpty() || missed.getAsDouble() / held.getAsDouble() <= 1.05) return;
            measure(steps, Math.sqrt(held.getAsDouble() * missed.getAsDouble()));
        }
    }

    private Step measure(List<Step> steps, double rate) throws IOException, InterruptedException {
        var step = step("step" + (steps.size() + 1), rate, settings.stepSeconds(), settings.distribution(), true);
        steps.add(step);
        return step;
    }

    private Step step(String name, double eventsPerSecond, int seconds, String distribution, boolean measured)
            throws IOException, InterruptedException {
        settle();
        var probe = new Probe(stack.pids());
        var cpu = new CpuMeter.Usage[1];
        var load = new GatlingRunner.Load(
                runTag + "-" + name,
                eventsPerSecond,
                seconds,
                settings.batch(),
                settings.shoppers(),
                distribution,
                settings.zipfExponent());
        var outcome = gatling.run(load, new GatlingRunner.Window() {
            @Override
            public void started(long generatorPid) {
                probe.with("load generator", generatorPid).start();
            }

            @Override
            public void ended(long generatorPid) {
                cpu[0] = probe.end();
            }
        });
        var step = new Step(
                name,
                eventsPerSecond,
                seconds,
                settings.batch(),
                measured,
                outcome.summary(),
                cpu[0],
                probe.window(),
                settings.p99LimitMs(),
                settings.capacityP99Ms());
        out.println("  " + IngestReport.stepLine(step));
        if (step.summary().ko() > 0) awaitHealthy();
        return step;
    }

    private List<RawInsertReference.Result> raw(RawInsertReference reference, String name) throws InterruptedException {
        var results = new ArrayList<RawInsertReference.Result>();
        for (int concurrency : settings.rawConcurrency()) {
            settle();
            var probe = new Probe(stack.pids());
            var result = reference.run(
                    concurrency,
                    settings.shoppers(),
                    Duration.ofSeconds(settings.rawWarmupSeconds()),
                    Duration.ofSeconds(settings.rawSeconds()),
                    probe);
            out.println("  " + IngestReport.rawLine(name, result));
            results.add(result);
            reference.truncate();
        }
        return results;
    }

    /**
     * Waits until the node and Cassandra are idle (together under {@link #IDLE_CORES} over {@link #IDLE_SAMPLE}), at
     * most {@link #SETTLE_LIMIT}: a step must not inherit the previous one's backlog (tag writes, entity restarts after
     * failures, memtable flushes), nor the reference run a node that is still recovering. No-op for an external node.
     */
    private void settle() throws InterruptedException {
        var pids = stack.profiledPids();
        if (pids.isEmpty()) return;
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        double busy;
        do {
            var before = CpuMeter.take(pids);
            Thread.sleep(IDLE_SAMPLE.toMillis());
            busy = CpuMeter.between(before, CpuMeter.take(pids)).processCores().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        } while (busy > IDLE_CORES && System.nanoTime() < deadline);
        if (busy > IDLE_CORES)
            out.printf(
                    Locale.ROOT,
                    "  (node and Cassandra still used %.2f cores after %d s; going on)%n",
                    busy,
                    SETTLE_LIMIT.toSeconds());
    }

    /**
     * After a step with errors: sends one event a second until {@link #HEALTHY_IN_A_ROW} in a row are accepted within
     * {@link #HEALTHY_LATENCY}, at most {@link #RECOVERY_LIMIT}, and prints how long that took. Idle CPU is not enough
     * here: after a burst of failed writes the journal's circuit breaker stays open and entities sit in restart
     * backoff.
     */
    private void awaitHealthy() throws IOException, InterruptedException {
        var client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        int inARow = 0;
        for (int n = 0; inARow < HEALTHY_IN_A_ROW && System.nanoTime() - start < RECOVERY_LIMIT.toNanos(); n++) {
            var body = "{\"events\":[{\"eventId\":\"" + runTag + "-probe-" + n
                    + "\",\"shopperId\":\"s-000000\",\"type\":\"view\",\"occurredAt\":\""
                    + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}]}";
            var request = HttpRequest.newBuilder(stack.api().resolve("/v1/events"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + stack.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long sent = System.nanoTime();
            boolean ok;
            try {
                ok = client.send(request, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 202
                        && System.nanoTime() - sent <= HEALTHY_LATENCY.toNanos();
            } catch (IOException e) {
                ok = false;
            }
            inARow = ok ? inARow + 1 : 0;
            Thread.sleep(1_000);
        }
        out.printf(
                Locale.ROOT,
                "  (after the errors: %s after %d s)%n",
                inARow >= HEALTHY_IN_A_ROW ? "the node accepts events again" : "the node still fails",
                Duration.ofNanos(System.nanoTime() - start).toSeconds());
    }

    static String fmt(double value) {
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%,.1f", value);
    }
}

package io.kairos.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench ingest}: the ingest benchmark ({@link IngestBenchmark}) on a stack of its own or a running node.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "POST /v1/events at fixed arrival rates (Gatling, open model) until p99 exceeds the limit, against raw "
                    + "Cassandra inserts of journal-sized rows on the same node; prints the ratio.",
            "By default starts its own Cassandra node and Kairos node (free ports, fresh data in the run directory) and stops them after."
        })
final class IngestCommand implements Callable<Integer> {

    @Option(
            names = "--shoppers",
            defaultValue = "10000",
            description = "Distinct shoppers the events go to (default ${DEFAULT-VALUE}).")
    int shoppers;

    @Option(
            names = "--distribution",
            defaultValue = "uniform",
            description = "How events pick shoppers: uniform or zipf (default ${DEFAULT-VALUE}).")
    String distribution;

    @Option(
            names = "--zipf-exponent",
            defaultValue = "1.0",
            description = "Exponent of the Zipf distribution (default ${DEFAULT-VALUE}).")
    double zipfExponent;

    @Option(
            names = "--batch",
            defaultValue = "10",
            description = "Events per request, 1..500 (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--start-rate",
            defaultValue = "200",
            description = "First step's arrival rate in events/s (default ${DEFAULT-VALUE}).")
    double startRate;

    @Option(
            names = "--rate-factor",
            defaultValue = "1.5",
            description = "Each step's rate is the previous one's times this (default ${DEFAULT-VALUE}).")
    double rateFactor;

    @Option(
            names = "--max-steps",
            defaultValue = "10",
            description = "Rising steps at most (default ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(
            names = "--refine-steps",
            defaultValue = "2",
            description =
                    "Narrowing steps (geometric mean of the last rate that held and the first that did not), for the capacity knee and for the target (default ${DEFAULT-VALUE}).")
    int refineSteps;

    @Option(
            names = "--rates",
            split = ",",
            description = "Explicit rates in events/s instead of the search, e.g. 500,1000,1500.")
    List<Double> rates = List.of();

    @Option(
            names = "--step-seconds",
            defaultValue = "30",
            description = "Duration of each step (default ${DEFAULT-VALUE}).")
    int stepSeconds;

    @Option(
            names = "--p99-limit-ms",
            defaultValue = "50",
            description = "A step holds if p99 <= this and nothing failed (default ${DEFAULT-VALUE}).")
    double p99LimitMs;

    @Option(
            names = "--capacity-p99-ms",
            defaultValue = "1000",
            description =
                    "A step is within capacity if p99 <= this and nothing failed; the rates rise while steps are (default ${DEFAULT-VALUE}).")
    double capacityP99Ms;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "30",
            description = "Unmeasured load at the start rate before anything is measured (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(
            names = "--prime-rate",
            defaultValue = "100",
            description = "Events/s of the priming pass that creates every shopper (default ${DEFAULT-VALUE}).")
    double primeRate;

    @Option(
            names = "--raw-seconds",
            defaultValue = "20",
            description = "Measured duration of each raw-insert run (default ${DEFAULT-VALUE}).")
    int rawSeconds;

    @Option(
            names = "--raw-warmup-seconds",
            defaultValue = "5",
            description = "Unmeasured inserts before each raw-insert run (default ${DEFAULT-VALUE}).")
    int rawWarmupSeconds;

    @Option(
            names = "--raw-concurrency",
            split = ",",
            defaultValue = "32,128",
            description =
                    "Inserts in flight for the raw reference; each value is measured, the best counts (default ${DEFAULT-VALUE}).")
    List<Integer> rawConcurrency;

    @Option(
            names = "--profile",
            description =
                    "Record the node and Cassandra with Java Flight Recorder during each step and print where their CPU went.")
    boolean profile;

    @Option(
            names = "--node-java-opts",
            description =
                    "JVM options of the node started here (KAIROS_JAVA_OPTS; default: the launcher's -Xmx1g). "
                            + "-Dkey=value overrides any node configuration, e.g. -Dakka.persistence.cassandra.events-by-tag.flush-interval=10ms.")
    String nodeJavaOpts;

    @Option(
            names = "--generator-java-opts",
            defaultValue = "-Xms256m -Xmx512m -XX:+UseG1GC",
            description = "JVM options of the Gatling load generator, one JVM per step (default ${DEFAULT-VALUE}).")
    String generatorJavaOpts;

    @Option(
            names = "--target",
            description =
                    "Benchmark a running node at this URL instead of starting one (needs --api-key and --cassandra).")
    URI target;

    @Option(names = "--api-key", description = "An ingest key of the --target node.")
    String apiKey;

    @Option(
            names = "--cassandra",
            description = "host:port of the --target node's Cassandra (the reference inserts go there).")
    String cassandra;

    @Option(
            names = "--journal-keyspace",
            defaultValue = "kairos_journal",
            description = "Journal keyspace sampled for row sizes (default ${DEFAULT-VALUE}).")
    String journalKeyspace;

    @Option(
            names = "--run-dir",
            description =
                    "Where logs, Gatling reports and the report go (default .kairos/bench/ingest-<time> under the repository).")
    Path runDir;

    @Option(
            names = "--keep-data",
            description = "Keep the Cassandra data of a stack started here (by default only its logs are kept).")
    boolean keepData;

    @Override
    public Integer call() throws Exception {
        validate();
        var root = repositoryRoot();
        var dir = runDir != null ? Files.createDirectories(runDir.toAbsolutePath()) : newRunDirectory("ingest");
        var loadBefore = CpuMeter.loadAverage();
        System.out.printf(
                "Kairos ingest benchmark; run directory %s%nnproc %d, load average %s%n",
                dir, Runtime.getRuntime().availableProcessors(), loadBefore);
        var settings = new IngestRun.Settings(
                shoppers,
                distribution,
                zipfExponent,
                batch,
                stepSeconds,
                startRate,
                rateFactor,
                maxSteps,
                refineSteps,
                rates,
                p99LimitMs,
                capacityP99Ms,
                warmupSeconds,
                primeRate,
                rawSeconds,
                rawWarmupSeconds,
                rawConcurrency,
                journalKeyspace,
                profile,
                List.of(generatorJavaOpts.trim().split("\\s+")));
        IngestRun.Result result;
        try (var stack =
                target != null ? BenchStack.external(target, apiKey, contactPoint(cassandra)) : startStack(root, dir)) {
            result = new IngestBenchmark(settings, stack, GatlingRunner.defaultLoadDir(), dir, System.out)
                    .run(loadBefore);
        } finally {
            if (target == null && !keepData) deleteCassandraData(dir.resolve("cassandra"));
        }
        var text = IngestReport.text(result);
        System.out.print(text);
        Files.writeString(dir.resolve("report.txt"), text, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.md"), IngestReport.markdown(result), StandardCharsets.UTF_8);
        System.out.println("report: " + dir.resolve("report.txt") + ", Markdown rows: " + dir.resolve("report.md")
                + ", Gatling reports: " + dir.resolve("gatling"));
        return 0;
    }

    private BenchStack startStack(Path root, Path dir) throws IOException, InterruptedException {
        var launcher = root.resolve("kairos");
        if (!Files.isExecutable(launcher))
            throw new IllegalStateException("no launcher at " + launcher + " (set -Dkairos.root to the repository)");
        System.out.println("starting Cassandra and a Kairos node (logs in " + dir + ") ...");
        var stack = BenchStack.start(launcher, dir, Optional.ofNullable(nodeJavaOpts));
        System.out.println("node ready at " + stack.api() + ", Cassandra at "
                + stack.cassandra().getHostString() + ":" + stack.cassandra().getPort() + "; pids " + stack.pids());
        return stack;
    }

    private void validate() {
        if (target != null && (apiKey == null || cassandra == null))
            throw new IllegalArgumentException("--target needs --api-key and --cassandra");
        if (target == null && nodeJavaOpts != null && nodeJavaOpts.isBlank())
            throw new IllegalArgumentException("--node-java-opts is empty");
        if (!distribution.equalsIgnoreCase("uniform") && !distribution.equalsIgnoreCase("zipf")) {
            throw new IllegalArgumentException("--distribution must be uniform or zipf, not " + distribution);
        }
        if (batch < 1 || batch > 500) throw new IllegalArgumentException("--batch must be in 1..500");
        if (rateFactor <= 1) throw new IllegalArgumentException("--rate-factor must be above 1");
    }

    static Path repositoryRoot() {
        var root = System.getProperty("kairos.root");
        return Path.of(root != null ? root : ".").toAbsolutePath().normalize();
    }

    /** A new run directory {@code .kairos/bench/<benchmark>-<yyyyMMdd-HHmmss>} under the repository root, created. */
    static Path newRunDirectory(String benchmark) throws java.io.IOException {
        var dir = repositoryRoot()
                .resolve(".kairos/bench/" + benchmark + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return Files.createDirectories(dir);
    }

    private static InetSocketAddress contactPoint(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) return new InetSocketAddress(hostPort, 9042);
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Removes what Cassandra stored for the run but its logs: the data is benchmark traffic, the logs explain figures.
     */
    static void deleteCassandraData(Path cassandraDir) throws IOException {
        for (var sub : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw")) {
            var dir = cassandraDir.resolve(sub);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                for (var file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
            }
        }
    }
}

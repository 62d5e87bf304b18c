package io.kairos.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs one step of load: the Gatling simulation {@code io.kairos.bench.load.IngestSimulation} in a JVM of its own
 * (Gatling's classpath, built by ops/bench/load/pom.xml), and returns Gatling's summary of it.
 *
 * <p>The caller's {@link Window} is told when the simulation has started injecting and again {@code seconds} later,
 * while the generator is still alive, so CPU and profiles cover exactly the injection window and not JVM start-up or
 * report generation.
 */
final class GatlingRunner {
    static final String SIMULATION = "io.kairos.bench.load.IngestSimulation";

    private final Path loadDir;
    private final URI api;
    private final String apiKey;
    private final Path resultsDir;
    private final List<String> jvmOptions;

    /** Told when injection starts and when it is due to end; called once each, from different threads. */
    interface Window {
        void started(long generatorPid);

        void ended(long generatorPid);
    }

    /** The load of one step: {@code eventsPerSecond / batch} requests per second for {@code seconds}. */
    record Load(
            String runId,
            double eventsPerSecond,
            int seconds,
            int batch,
            int shoppers,
            String distribution,
            double zipfExponent) {}

    /** A finished step: Gatling's summary, its console log and its HTML report directory. */
    record Outcome(GatlingSummary summary, Path log) {}

    /**
     * {@code jvmOptions}: heap, collector, JIT of the generator's JVM (it shares the machine with what it measures).
     */
    GatlingRunner(Path loadDir, URI api, String apiKey, Path resultsDir, List<String> jvmOptions) {
        this.loadDir = loadDir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.api = api;
        this.apiKey = apiKey;
        this.resultsDir = resultsDir;
    }

    /** The load generator's build output: {@code -Dkairos.bench.load-dir}, else where this module's build put it. */
    static Path defaultLoadDir() {
        var explicit = System.getProperty("kairos.bench.load-dir");
        if (explicit != null) return Path.of(explicit);
        try (InputStream in = GatlingRunner.class.getResourceAsStream("build.properties")) {
            var props = new Properties();
            if (in != null) props.load(in);
            var dir = props.getProperty("load.build.dir");
            if (dir == null) throw new IOException("no load.build.dir");
            return Path.of(dir);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "io/kairos/bench/build.properties is missing: build ops/bench with Maven", e);
        }
    }

    Outcome run(Load load, Window window) throws IOException, InterruptedException {
        var classes = loadDir.resolve("classes");
        var classpathFile = loadDir.resolve("classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("The Gatling load generator is not built in " + loadDir
                    + " (run: mvn -pl ops/bench -am -DskipTests package)");
        }
        Files.createDirectories(resultsDir);
        var log = resultsDir.resolve(load.runId() + ".log");
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                // Gatling's LogFileDataWriter reads String internals reflectively (gatling-maven-plugin passes the
                // same).
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-cp",
                classes + ":" + Files.readString(classpathFile).trim(),
                "-Dgatling.data.enableAnalytics=false",
                // Percentiles printed in the summary that GatlingSummary reads.
                "-Dgatling.charting.indicators.percentile1=50",
                "-Dgatling.charting.indicators.percentile2=95",
                "-Dgatling.charting.indicators.percentile3=99",
                "-Dgatling.charting.indicators.percentile4=99.9",
                // Above the node's own ask timeout (5 s), so a slow node answers 503 before the client gives up.
                "-Dgatling.http.requestTimeout=10000",
                "-Dkairos.bench.url=" + api,
                "-Dkairos.bench.api-key=" + apiKey,
                "-Dkairos.bench.events-per-second=" + load.eventsPerSecond(),
                "-Dkairos.bench.seconds=" + load.seconds(),
                "-Dkairos.bench.batch=" + load.batch(),
                "-Dkairos.bench.shoppers=" + load.shoppers(),
                "-Dkairos.bench.distribution=" + load.distribution().toLowerCase(Locale.ROOT),
                "-Dkairos.bench.zipf-exponent=" + load.zipfExponent(),
                "-Dkairos.bench.run-id=" + load.runId(),
                "io.gatling.app.Gatling",
                "-s",
                SIMULATION,
                "-rf",
                resultsDir.toString(),
                "-rd",
                load.runId(),
                "-l",
                "kairos-bench"));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "gatling-window");
            t.setDaemon(true);
            return t;
        });
        var ended = new CompletableFuture<Void>();
        boolean started = false;
        var lines = new ArrayList<String>();
        try (var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
                var in = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                lines.add(line);
                if (!started && line.startsWith("Simulation " + SIMULATION + " started")) {
                    started = true;
                    long injectionStart = System.nanoTime();
                    window.started(process.pid());
                    // The window closes when injection ends, however long started() took (flight recordings start
                    // slowly).
                    long remaining = injectionStart + load.seconds() * 1_000_000_000L - System.nanoTime();
                    scheduler.schedule(
                            () -> {
                                try {
                                    window.ended(process.pid());
                                    ended.complete(null);
                                } catch (RuntimeException e) {
                                    ended.completeExceptionally(e);
                                }
                            },
                            Math.max(0, remaining),
                            TimeUnit.NANOSECONDS);
                }
            }
        } finally {
            scheduler.shutdown();
        }
        int exit = process.waitFor();
        if (!started)
            throw new IllegalStateException("Gatling exited (" + exit + ") before the simulation started; see " + log);
        // The generator may exit before its window closes only if it crashed; the window is still closed exactly once.
        if (!scheduler.awaitTermination(load.seconds() + 60L, TimeUnit.SECONDS))
            throw new IllegalStateException("window never closed");
        ended.join();
        try {
            return new Outcome(GatlingSummary.parse(lines), log);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Gatling exited with " + exit + " and no summary: see " + log, e);
        }
    }
}

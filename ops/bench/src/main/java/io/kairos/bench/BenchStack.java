package io.kairos.bench;

import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.DevCassandraSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmark drives: either a stack of its own — a fresh Cassandra node (DevCassandra: real Cassandra 5.0.9,
 * {@code commitlog_sync: batch}, free ports) and one Kairos node started with the repository's launcher
 * ({@code ./kairos dev} on that Cassandra, free ports, a random API key with the admin role) — or a node that is
 * already running.
 *
 * <p>Invariants: only processes started here are stopped here, the node before Cassandra; when the benchmark itself is
 * stopped (SIGTERM, Ctrl-C) a shutdown hook stops the node, concurrently with DevCassandra's hook for Cassandra. The
 * node's output goes to {@code node.log} in the run directory, never to the benchmark's own output.
 */
record BenchStack(
        URI api,
        URI management,
        String apiKey,
        InetSocketAddress cassandra,
        DevCassandra cassandraNode,
        Process node,
        Thread stopNodeOnExit)
        implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final SecureRandom KEYS = new SecureRandom();

    /** A node already running at {@code api}, persisting to {@code cassandra}. Nothing is started or stopped. */
    static BenchStack external(URI api, String apiKey, InetSocketAddress cassandra) {
        return new BenchStack(api, null, apiKey, cassandra, null, null, null);
    }

    /**
     * Starts Cassandra in {@code runDir/cassandra} and a node with {@code launcher dev}; returns once the node reports
     * ready (its journal answers). {@code nodeJavaOptions} replace the launcher's default JVM options when set.
     */
    static BenchStack start(Path launcher, Path runDir, Optional<String> nodeJavaOptions)
            throws IOException, InterruptedException {
        return start(launcher, runDir, nodeJavaOptions, "", Map.of());
    }

    /**
     * As {@link #start(Path, Path, Optional)}, with more API keys ({@code role=key,…}, beside the admin key) and more
     * environment variables for the node (e.g. its rate limits).
     */
    static BenchStack start(
            Path launcher, Path runDir, Optional<String> nodeJavaOptions, String moreKeys, Map<String, String> moreEnv)
            throws IOException, InterruptedException {
        var cassandraNode = DevCassandra.start(
                DevCassandraSettings.defaults(runDir.resolve("cassandra")).withFreePorts());
        Process node = null;
        Thread stopNodeOnExit = null;
        try {
            int httpPort = DevCassandra.freePort();
            int managementPort = DevCassandra.freePort();
            int remotePort = DevCassandra.freePort();
            var keyBytes = new byte[16];
            KEYS.nextBytes(keyBytes);
            var apiKey = "bench-" + HexFormat.of().formatHex(keyBytes);
            var contact = cassandraNode.contactPoint();
            var builder = new ProcessBuilder(launcher.toString(), "dev")
                    .directory(launcher.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(runDir.resolve("node.log").toFile());
            var env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("KAIROS_"));
            env.putAll(Map.of(
                    "KAIROS_HTTP_PORT", Integer.toString(httpPort),
                    "KAIROS_MANAGEMENT_PORT", Integer.toString(managementPort),
                    "KAIROS_REMOTE_PORT", Integer.toString(remotePort),
                    "KAIROS_CASSANDRA_CONTACT_POINTS", contact.getHostString() + ":" + contact.getPort(),
                    "KAIROS_DATA_DIR", runDir.toString(),
                    // admin: the benchmarks also set up catalogues and campaigns
                    "KAIROS_API_KEYS", "admin=" + apiKey + (moreKeys.isEmpty() ? "" : "," + moreKeys)));
            env.putAll(moreEnv);
            nodeJavaOptions.ifPresent(options -> env.put("KAIROS_JAVA_OPTS", options));
            node = builder.start();
            var started = node;
            stopNodeOnExit = new Thread(() -> stop(started), "bench-stop-node");
            Runtime.getRuntime().addShutdownHook(stopNodeOnExit);
            awaitReady(node, URI.create("http://127.0.0.1:" + managementPort + "/ready"), runDir.resolve("node.log"));
            return new BenchStack(
                    URI.create("http://127.0.0.1:" + httpPort),
                    URI.create("http://127.0.0.1:" + managementPort),
                    apiKey,
                    contact,
                    cassandraNode,
                    node,
                    stopNodeOnExit);
        } catch (IOException | InterruptedException | RuntimeException e) {
            removeHook(stopNodeOnExit);
            stop(node);
            cassandraNode.close();
            throw e;
        }
    }

    /** The processes whose CPU is accounted, by label: this JVM always; Cassandra and the node when started here. */
    Map<String, Long> pids() {
        var pids = new LinkedHashMap<String, Long>();
        if (cassandraNode != null) cassandraNode.pid().ifPresent(pid -> pids.put("cassandra", pid));
        if (node != null) pids.put("node", node.pid());
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    /** The JVMs that can be profiled: the node and Cassandra, when started here. */
    Map<String, Long> profiledPids() {
        var pids = new LinkedHashMap<>(pids());
        pids.remove("bench");
        return pids;
    }

    /** Sends {@code body} (JSON; null: none) with the admin key; the answer's body, or a failure naming the status. */
    /** Used heap of the node after a full collection ({@code jcmd GC.run}, then {@code jvm_memory_used_bytes}). */
    long heapAfterGc(HttpClient http) throws IOException, InterruptedException {
        var gc = new ProcessBuilder("jcmd", Long.toString(node.pid()), "GC.run")
                .redirectErrorStream(true)
                .start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0)
            throw new IllegalStateException("jcmd GC.run failed on the node");
        var metrics = http.send(
                        HttpRequest.newBuilder(URI.create(management + "/metrics"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\"}"))
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in /metrics"));
    }

    String send(HttpClient http, String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(api.resolve(path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json");
        builder = body == null
                ? builder.method(method, HttpRequest.BodyPublishers.noBody())
                : builder.method(method, HttpRequest.BodyPublishers.ofString(body));
        var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * As {@link #send}, but a 503 (admission control) or 429 (rate limit) is re-sent after its {@code Retry-After}, up
     * to 30 times.
     */
    String sendRetrying(HttpClient http, String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return send(http, method, path, body, expected);
            } catch (IllegalStateException e) {
                var busy = e.getMessage().contains(" answered 503")
                        || e.getMessage().contains(" answered 429");
                if (!busy || attempt == 30) throw e;
                Thread.sleep((long) (1000 * (0.5 + Math.random())));
            }
        }
    }

    @Override
    public void close() {
        removeHook(stopNodeOnExit);
        stop(node);
        if (cassandraNode != null) cassandraNode.close();
    }

    private static void awaitReady(Process node, URI ready, Path log) throws IOException, InterruptedException {
        var client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive())
                throw new IllegalStateException(
                        "the node exited (" + node.exitValue() + ") before it was ready:\n" + tail(log));
            try {
                var response = client.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) return;
            } catch (IOException notYet) {
                // Not listening yet (the launcher may still be building).
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the node was not ready within " + READY_TIMEOUT + ":\n" + tail(log));
    }

    private static void removeHook(Thread hook) {
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stop() is idempotent.
        }
    }

    private static void stop(Process node) {
        if (node == null || !node.isAlive()) return;
        node.destroy(); // SIGTERM: the node's coordinated shutdown unbinds the API and flushes the journal
        try {
            if (!node.waitFor(60, TimeUnit.SECONDS)) node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no node.log)";
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}

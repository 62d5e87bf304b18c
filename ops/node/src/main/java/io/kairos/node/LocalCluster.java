package io.kairos.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * N Kairos nodes on loopback, each in a JVM of its own, forming one cluster through Cluster Bootstrap with config
 * discovery (every node's management endpoint is a contact point); {@link #awaitReady} waits until all serve. Used by
 * {@code kairos cluster} and by the failure tests, which need real processes to {@code kill -9}.
 *
 * <p>Invariants: node i always uses the same ports ({@link Ports}), so a restarted node takes its old place; every
 * node's output goes to its own log file; a node follows this JVM ({@code KAIROS_PARENT_PID}) and leaves gracefully
 * when it is gone, so no node outlives the launcher; {@link #close()} stops the nodes with SIGTERM (a graceful leave
 * with shard hand-off) and kills only those still running after {@link Spec#stopTimeout()}.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * The ports of node i. {@code remote} is the Artery port the node binds; {@code advertisedRemote} the one other
     * nodes dial (equal unless a proxy sits in front of the node, as in the partition test).
     */
    public record Ports(int http, int management, int remote, int advertisedRemote) {}

    /**
     * What to launch.
     *
     * @param ports one entry per node
     * @param cassandra the Cassandra contact points every node uses
     * @param logDir node-i.log files go here
     * @param classpath the nodes' classpath (the launcher's own, or the build's in tests)
     * @param mode {@code dev} (dev API keys allowed) or {@code production}
     * @param jvmOptions options of every node JVM
     * @param env extra KAIROS_* settings for every node (keyspaces, API keys, timings)
     * @param stopTimeout how long {@link #close()} waits for graceful leaves before killing
     */
    public record Spec(
            List<Ports> ports,
            List<InetSocketAddress> cassandra,
            Path logDir,
            String classpath,
            String mode,
            List<String> jvmOptions,
            Map<String, String> env,
            Duration stopTimeout) {
        public Spec {
            ports = List.copyOf(ports);
            cassandra = List.copyOf(cassandra);
            jvmOptions = List.copyOf(jvmOptions);
            env = Map.copyOf(env);
            if (ports.isEmpty()) throw new IllegalArgumentException("a cluster needs at least one node");
        }

        /** Node i on base + i for each port, as API.md promises for {@code kairos cluster}. */
        public static List<Ports> consecutive(int nodes, int httpBase, int managementBase, int remoteBase) {
            return IntStream.range(0, nodes)
                    .mapToObj(i -> new Ports(httpBase + i, managementBase + i, remoteBase + i, remoteBase + i))
                    .toList();
        }
    }

    private final Spec spec;
    private final Process[] processes;

    private LocalCluster(Spec spec) {
        this.spec = spec;
        this.processes = new Process[spec.ports().size()];
    }

    /** Launches every node; they find each other on their own (see {@link #awaitReady}). */
    public static LocalCluster start(Spec spec) {
        var cluster = new LocalCluster(spec);
        try {
            Files.createDirectories(spec.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < spec.ports().size(); i++) cluster.startNode(i);
        return cluster;
    }

    public int size() {
        return processes.length;
    }

    public Ports ports(int node) {
        return spec.ports().get(node);
    }

    public Path logFile(int node) {
        return spec.logDir().resolve("node-" + node + ".log");
    }

    public synchronized boolean isAlive(int node) {
        return processes[node] != null && processes[node].isAlive();
    }

    public synchronized Process process(int node) {
        return processes[node];
    }

    /** Starts node i (again): same ports, same log file (appended). */
    public synchronized void startNode(int node) {
        if (isAlive(node)) throw new IllegalStateException("node " + node + " is running");
        var p = ports(node);
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(spec.classpath());
        command.add(KairosMain.class.getName());
        command.add("cluster-member");
        command.add("--mode=" + spec.mode());
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile(node).toFile()));
        var env = builder.environment();
        // Agents meant for the launcher (coverage, profilers) stay out of the nodes.
        env.remove("JAVA_TOOL_OPTIONS");
        env.putAll(spec.env());
        env.put("KAIROS_HTTP_PORT", Integer.toString(p.http()));
        env.put("KAIROS_MANAGEMENT_PORT", Integer.toString(p.management()));
        env.put("KAIROS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("KAIROS_REMOTE_HOST", "127.0.0.1");
        env.put("KAIROS_REMOTE_PORT", Integer.toString(p.advertisedRemote()));
        env.put("KAIROS_REMOTE_BIND_PORT", Integer.toString(p.remote()));
        env.put("KAIROS_CLUSTER_JOIN", "bootstrap");
        env.put("KAIROS_DISCOVERY", "config");
        env.put(
                "KAIROS_BOOTSTRAP_ENDPOINTS",
                spec.ports().stream().map(q -> "127.0.0.1:" + q.management()).collect(Collectors.joining(",")));
        env.put("KAIROS_REQUIRED_CONTACT_POINTS", Integer.toString(spec.ports().size()));
        env.put(
                "KAIROS_CASSANDRA_CONTACT_POINTS",
                spec.cassandra().stream()
                        .map(a -> a.getHostString() + ":" + a.getPort())
                        .collect(Collectors.joining(",")));
        env.put("KAIROS_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        env.putIfAbsent("KAIROS_LOG_FORMAT", "text");
        try {
            Files.writeString(
                    logFile(node),
                    "=== " + Instant.now() + " starting node " + node + " " + p + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            processes[node] = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start node " + node, e);
        }
    }

    /** {@code kill -9}: the node vanishes without leaving; the others must notice and down it. */
    public synchronized void kill(int node) throws InterruptedException {
        var p = Objects.requireNonNull(processes[node], "node " + node + " never started");
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: a graceful leave with shard hand-off. True when the node exited within the timeout. */
    public boolean stop(int node, Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = processes[node];
        }
        if (p == null || !p.isAlive()) return true;
        p.destroy();
        return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every node gracefully and in parallel; kills those still running after the stop timeout. */
    @Override
    public void close() {
        List<Process> running;
        synchronized (this) {
            running = java.util.Arrays.stream(processes)
                    .filter(p -> p != null && p.isAlive())
                    .toList();
        }
        running.forEach(Process::destroy);
        var deadline = System.nanoTime() + spec.stopTimeout().toNanos();
        for (var p : running) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every running node answers {@code GET /ready} with 200 (member Up, journal reachable, not leaving).
     * Fails early, with the end of its log, when a node exits meanwhile.
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        var client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var deadline = System.nanoTime() + timeout.toNanos();
        var pending = new ArrayList<Integer>();
        for (int i = 0; i < size(); i++) if (processes[i] != null) pending.add(i);
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                int node = it.next();
                if (!isAlive(node)) {
                    throw new IllegalStateException("node " + node + " exited (status " + processes[node].exitValue()
                            + "); " + logFile(node) + " ends with:\n" + tail(logFile(node), 30));
                }
                if (ready(client, node)) it.remove();
            }
            if (pending.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "nodes " + pending + " not ready within " + timeout + "; see " + spec.logDir());
            }
            Thread.sleep(500);
        }
    }

    private boolean ready(HttpClient client, int node) throws InterruptedException {
        try {
            var request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + ports(node).management() + "/ready"))
                    .timeout(Duration.ofSeconds(3))
                    .GET()
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file, int lines) {
        try {
            var all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}

package io.kairos.devcassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single Cassandra node for development and tests, running in its own JVM on its own classpath.
 *
 * <p>{@link #start(DevCassandraSettings)} reuses a node that already answers CQL on the configured address; otherwise
 * it writes a cassandra.yaml and logback.xml into the data directory, launches {@code CassandraDaemon} and returns once
 * the node answers {@code SELECT ... FROM system.local}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Only a node this instance launched is ever stopped by it ({@link #startedHere()}); a reused node is left
 *       running by {@link #close()}.
 *   <li>A node launched here does not outlive this JVM unless {@link DevCassandraSettings#detached()}: a shutdown hook
 *       stops it gracefully, and the {@link ParentWatch} agent inside the node stops it when this JVM dies without
 *       running its hooks.
 *   <li>At most one node runs per data directory: starts are serialised by a file lock, and a live node recorded in
 *       {@code cassandra.pid} is waited for and reused rather than doubled.
 *   <li>{@link #close()} stops with SIGTERM (Cassandra drains: memtables flushed, commit log closed) and kills only
 *       after {@link DevCassandraSettings#stopTimeout()}.
 * </ul>
 */
public final class DevCassandra implements AutoCloseable {

    public static final String DEFAULT_CLUSTER_NAME = "Kairos Dev";

    private static final Logger log = LoggerFactory.getLogger(DevCassandra.class);
    // Outside Linux's ephemeral range (32768-60999), so a client socket cannot take the port between choice and bind.
    private static final ConcurrentHashMap<Path, Object> START_LOCKS = new ConcurrentHashMap<>();

    /** A port the node needs is taken by another process; retrying on other ports can succeed. */
    public static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }

    private final DevCassandraSettings settings;
    private final Process process;
    private final Thread shutdownHook;
    private boolean stopped;

    private DevCassandra(DevCassandraSettings settings, Process process) {
        this.settings = settings;
        this.process = process;
        if (process != null && !settings.detached()) {
            this.shutdownHook = new Thread(this::stopQuietly, "dev-cassandra-stop-" + settings.nativePort());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /** Reuses the node answering CQL at {@code settings.contactPoint()}, or launches one and waits until it answers. */
    public static DevCassandra start(DevCassandraSettings settings) {
        var reused = reuseAnswering(settings);
        if (reused.isPresent()) {
            return reused.get();
        }
        var dataDir = settings.dataDir();
        synchronized (START_LOCKS.computeIfAbsent(dataDir, dir -> new Object())) {
            try {
                Files.createDirectories(dataDir);
                // The file lock serialises starts across JVMs (e.g. two test forks sharing a dev data directory).
                try (var channel = FileChannel.open(
                        dataDir.resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    var lock = channel.lock();
                    try {
                        // Another JVM may have started the node while this one waited for the lock.
                        reused = reuseAnswering(settings);
                        if (reused.isPresent()) {
                            return reused.get();
                        }
                        var previous = recordedNode(dataDir);
                        if (previous.isPresent() && awaitRecordedNode(previous.get(), settings)) {
                            return new DevCassandra(settings, null);
                        }
                        Ports.requireFree(settings);
                        return launch(settings);
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare " + dataDir, e);
            }
        }
    }

    /** A free port outside the ephemeral range (see {@link Ports}). */
    public static int freePort() {
        return Ports.free(1)[0];
    }

    /** True when a server could listen on the loopback port now. */
    public static boolean isFree(int port) {
        return Ports.bindable(java.net.InetAddress.getLoopbackAddress(), port);
    }

    /** True when a node launched for this data directory (its {@code cassandra.pid}) is alive. */
    public static boolean runningIn(Path dataDir) {
        try {
            return recordedNode(dataDir.toAbsolutePath().normalize()).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** The CQL address: what a driver's contact point should be. */
    public InetSocketAddress contactPoint() {
        return settings.contactPoint();
    }

    /** True when this instance launched the node and so stops it on {@link #close()}. */
    public boolean startedHere() {
        return process != null;
    }

    /** The data directory asked for; a reused node may keep its data elsewhere. */
    public Path dataDir() {
        return settings.dataDir();
    }

    public DevCassandraSettings settings() {
        return settings;
    }

    /** The node's process id, when launched here. */
    public OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /** True while the node launched here is alive, or while a reused node accepts connections. */
    public boolean isRunning() {
        return process != null ? process.isAlive() : Cql.acceptsConnections(contactPoint());
    }

    /** Stops the node if it was launched here (graceful, then forced after the stop timeout); no-op otherwise. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to; stop() is idempotent.
            }
        }
    }

    private static Optional<DevCassandra> reuseAnswering(DevCassandraSettings settings) {
        var contact = settings.contactPoint();
        if (!Cql.acceptsConnections(contact)) {
            return Optional.empty();
        }
        // The native port opens as the last step of a start: give a node that just opened it a moment to answer.
        for (int attempt = 0; attempt < 5; attempt++) {
            var local = Cql.localNode(contact);
            if (local.isPresent()) {
                log.info(
                        "Reusing Cassandra {} already answering at {} (cluster '{}'); it will not be stopped here",
                        local.get().releaseVersion(),
                        contact,
                        local.get().clusterName());
                return Optional.of(new DevCassandra(settings, null));
            }
            sleep(Duration.ofSeconds(1));
        }
        throw new PortInUseException(contact + " accepts connections but does not answer CQL");
    }

    /** A live process recorded in the pid file that is a Cassandra node of this data directory. */
    private static Optional<ProcessHandle> recordedNode(Path dataDir) throws IOException {
        var pidFile = ServerConfig.pidFile(dataDir);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        var yaml = ServerConfig.yamlFile(dataDir).toUri().toString();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info()
                .commandLine()
                .map(line -> line.contains(ServerCommand.MAIN_CLASS) && line.contains(yaml))
                .orElse(false));
    }

    /**
     * Waits for a node another JVM launched on this data directory (still starting, or detached): true when it answers
     * CQL, false when it exits, which frees the directory for a new launch.
     */
    private static boolean awaitRecordedNode(ProcessHandle node, DevCassandraSettings settings) {
        log.info("Cassandra pid {} already runs on {}; waiting for it", node.pid(), settings.dataDir());
        var deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                return false;
            }
            if (Cql.acceptsConnections(settings.contactPoint())
                    && Cql.localNode(settings.contactPoint()).isPresent()) {
                return true;
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("Cassandra pid " + node.pid() + " runs on " + settings.dataDir()
                + " but did not answer CQL at " + settings.contactPoint() + " within " + settings.startTimeout()
                + "; stop it (kill " + node.pid() + ") or use another data directory");
    }

    private static DevCassandra launch(DevCassandraSettings settings) throws IOException {
        var dataDir = settings.dataDir();
        var classpath = ServerLibrary.classpath(settings.libDir());
        ServerConfig.write(settings);
        var parentWatch =
                settings.detached() ? Optional.<Path>empty() : Optional.of(ParentWatch.writeAgentJar(dataDir));
        var command = ServerCommand.build(settings, classpath, parentWatch);
        long launched = System.nanoTime();
        var process = ChildProcess.launch(command, dataDir, ServerConfig.processOutput(dataDir));
        Files.writeString(ServerConfig.pidFile(dataDir), process.pid() + "\n");
        var node = new DevCassandra(settings, process);
        try {
            node.awaitReady(launched);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        log.info(
                "Cassandra {} answers CQL at {} after {} ms (pid {}, data {})",
                ServerLibrary.serverVersion(),
                settings.contactPoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched),
                process.pid(),
                dataDir);
        return node;
    }

    private void awaitReady(long launchedNanos) {
        var contact = contactPoint();
        var deadline = launchedNanos + settings.startTimeout().toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw startFailure("exited with status " + process.exitValue() + " before answering CQL");
            }
            if (Cql.acceptsConnections(contact)) {
                var local = Cql.localNode(contact);
                if (local.isPresent()) {
                    if (local.get().listenPort() != settings.storagePort()) {
                        throw new PortInUseException("Another Cassandra (storage port "
                                + local.get().listenPort() + ") took " + contact + " while this one was starting");
                    }
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw startFailure("did not answer CQL at " + contact + " within " + settings.startTimeout());
            }
            sleep(Duration.ofMillis(250));
        }
    }

    private IllegalStateException startFailure(String what) {
        var tail = LogTail.of(ServerConfig.systemLog(dataDir()), 40)
                + LogTail.of(ServerConfig.processOutput(dataDir()), 20);
        var message = "Cassandra (pid " + process.pid() + ", data " + dataDir() + ") " + what + "\n" + tail;
        return tail.contains("Address already in use")
                ? new PortInUseException(message)
                : new IllegalStateException(message);
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        ChildProcess.stop(process, settings.stopTimeout(), "Cassandra", log);
        forgetPid();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("Stopping Cassandra pid {} failed", process.pid(), e);
        }
    }

    private void forgetPid() {
        var pidFile = ServerConfig.pidFile(dataDir());
        try {
            if (Files.isRegularFile(pidFile) && Files.readString(pidFile).trim().equals(Long.toString(process.pid()))) {
                Files.delete(pidFile);
            }
        } catch (IOException e) {
            log.debug("Could not remove {}", pidFile, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Cassandra", e);
        }
    }

    @Override
    public String toString() {
        return "DevCassandra[" + contactPoint() + (startedHere() ? ", pid " + process.pid() : ", reused") + "]";
    }
}

package io.kairos.devcassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single Cassandra node for development and tests, running in its own JVM on its own classpath.
 *
 * <p>{@link #start(Settings)} reuses a node that already answers CQL on the configured address; otherwise it writes a
 * cassandra.yaml and logback.xml into the data directory, launches {@code CassandraDaemon} and returns once the node
 * answers {@code SELECT ... FROM system.local}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Only a node this instance launched is ever stopped by it ({@link #startedHere()}); a reused node is left
 *       running by {@link #close()}.
 *   <li>A node launched here does not outlive this JVM unless {@link Settings#detached()}: a shutdown hook stops it
 *       gracefully, and the {@link ParentWatch} agent inside the node stops it when this JVM dies without running its
 *       hooks.
 *   <li>At most one node runs per data directory: starts are serialised by a file lock, and a live node recorded in
 *       {@code cassandra.pid} is waited for and reused rather than doubled.
 *   <li>{@link #close()} stops with SIGTERM (Cassandra drains: memtables flushed, commit log closed) and kills only
 *       after {@link Settings#stopTimeout()}.
 * </ul>
 */
public final class DevCassandra implements AutoCloseable {

    public static final String DEFAULT_CLUSTER_NAME = "Kairos Dev";

    private static final Logger log = LoggerFactory.getLogger(DevCassandra.class);
    private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[mMgG]");
    // Outside Linux's ephemeral range (32768-60999), so a client socket cannot take the port between choice and bind.
    private static final int FREE_PORT_FIRST = 20_000;
    private static final int FREE_PORT_LAST = 32_000;
    private static final ConcurrentHashMap<Path, Object> START_LOCKS = new ConcurrentHashMap<>();

    /**
     * How to run the node. {@link #defaults(Path)} gives Cassandra's standard ports; tests use
     * {@link #withFreePorts()}.
     *
     * @param dataDir everything the node writes goes under it (made absolute)
     * @param host listen, rpc and seed address; the driver's contact point
     * @param nativePort CQL port
     * @param storagePort inter-node port (the node still binds it when alone)
     * @param jmxPort local-only JMX port, for nodetool
     * @param maxHeap -Xmx, e.g. {@code 512m}
     * @param libDir the server's jars (see {@link ServerLibrary})
     * @param startTimeout from launch to answering CQL
     * @param stopTimeout from SIGTERM to SIGKILL
     * @param clusterName must stay the same for the life of a data directory
     * @param commitLogSync when the commit log is fsynced relative to acknowledging writes
     * @param memtableSpaceMiB memtable_heap_space and memtable_offheap_space
     * @param javaHome the JDK running the node (11 or 17)
     * @param extraJvmOptions appended after the defaults, so they override them
     * @param detached true: the node outlives this JVM (no shutdown hook, no parent watch); close() still stops it
     */
    public record Settings(
            Path dataDir,
            String host,
            int nativePort,
            int storagePort,
            int jmxPort,
            String maxHeap,
            Path libDir,
            Duration startTimeout,
            Duration stopTimeout,
            String clusterName,
            CommitLogSync commitLogSync,
            int memtableSpaceMiB,
            Path javaHome,
            List<String> extraJvmOptions,
            boolean detached) {

        public Settings {
            dataDir =
                    Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
            Objects.requireNonNull(host, "host");
            requirePort(nativePort);
            requirePort(storagePort);
            requirePort(jmxPort);
            if (nativePort == storagePort || nativePort == jmxPort || storagePort == jmxPort) {
                throw new IllegalArgumentException("native, storage and JMX ports must differ: " + nativePort + ", "
                        + storagePort + ", " + jmxPort);
            }
            if (!HEAP_SIZE.matcher(Objects.requireNonNull(maxHeap, "maxHeap")).matches()) {
                throw new IllegalArgumentException("maxHeap is a JVM size such as 512m or 1g, not " + maxHeap);
            }
            libDir = Objects.requireNonNull(libDir, "libDir").toAbsolutePath().normalize();
            requirePositive(startTimeout, "startTimeout");
            requirePositive(stopTimeout, "stopTimeout");
            Objects.requireNonNull(clusterName, "clusterName");
            Objects.requireNonNull(commitLogSync, "commitLogSync");
            if (memtableSpaceMiB < 16) {
                throw new IllegalArgumentException("memtableSpaceMiB must be at least 16, got " + memtableSpaceMiB);
            }
            javaHome = Objects.requireNonNull(javaHome, "javaHome")
                    .toAbsolutePath()
                    .normalize();
            extraJvmOptions = List.copyOf(extraJvmOptions);
        }

        /**
         * Cassandra's standard ports on 127.0.0.1; a 512 MiB max heap, the smallest at which Cassandra's own memtable
         * sizing (a quarter of the heap) gives the 128 MiB memtables used here, with headroom for caches and
         * compaction; batch commit log sync (every acknowledged write is on disk: see README); 120 s to start.
         */
        public static Settings defaults(Path dataDir) {
            return new Settings(
                    dataDir,
                    "127.0.0.1",
                    9042,
                    7000,
                    7199,
                    "512m",
                    ServerLibrary.defaultLibDir(),
                    Duration.ofSeconds(120),
                    Duration.ofSeconds(30),
                    DEFAULT_CLUSTER_NAME,
                    CommitLogSync.batch(),
                    128,
                    ServerCommand.defaultJavaHome(),
                    List.of(),
                    false);
        }

        /** The CQL address clients connect to. */
        public InetSocketAddress contactPoint() {
            return new InetSocketAddress(host, nativePort);
        }

        /** Three distinct ports that are free now, outside the ephemeral range. */
        public Settings withFreePorts() {
            var ports = freePorts(3);
            return new Settings(
                    dataDir,
                    host,
                    ports[0],
                    ports[1],
                    ports[2],
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withDataDir(Path value) {
            return new Settings(
                    value,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withHost(String value) {
            return new Settings(
                    dataDir,
                    value,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withNativePort(int value) {
            return new Settings(
                    dataDir,
                    host,
                    value,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withStoragePort(int value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    value,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withJmxPort(int value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    value,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withMaxHeap(String value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    value,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withLibDir(Path value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    value,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withStartTimeout(Duration value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    value,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withStopTimeout(Duration value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    value,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withClusterName(String value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    value,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withCommitLogSync(CommitLogSync value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    value,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withMemtableSpaceMiB(int value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    value,
                    javaHome,
                    extraJvmOptions,
                    detached);
        }

        public Settings withJavaHome(Path value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    value,
                    extraJvmOptions,
                    detached);
        }

        public Settings withExtraJvmOptions(List<String> value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    value,
                    detached);
        }

        public Settings withDetached(boolean value) {
            return new Settings(
                    dataDir,
                    host,
                    nativePort,
                    storagePort,
                    jmxPort,
                    maxHeap,
                    libDir,
                    startTimeout,
                    stopTimeout,
                    clusterName,
                    commitLogSync,
                    memtableSpaceMiB,
                    javaHome,
                    extraJvmOptions,
                    value);
        }

        private static void requirePort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Not a TCP port: " + port);
            }
        }

        private static void requirePositive(Duration duration, String name) {
            if (Objects.requireNonNull(duration, name).isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
        }
    }

    /** A port the node needs is taken by another process; retrying on other ports can succeed. */
    public static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final Process process;
    private final Thread shutdownHook;
    private boolean stopped;

    private DevCassandra(Settings settings, Process process) {
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
    public static DevCassandra start(Settings settings) {
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
                        requireFree(settings);
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

    public Settings settings() {
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

    /** A port that is free on the loopback interface right now, outside the ephemeral range. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    static int[] freePorts(int count) {
        var ports = new int[count];
        var random = ThreadLocalRandom.current();
        for (int found = 0, attempts = 0; found < count; attempts++) {
            if (attempts > 1_000) {
                throw new IllegalStateException("No free port between " + FREE_PORT_FIRST + " and " + FREE_PORT_LAST);
            }
            int candidate = random.nextInt(FREE_PORT_FIRST, FREE_PORT_LAST);
            boolean taken = false;
            for (int i = 0; i < found; i++) {
                taken |= ports[i] == candidate;
            }
            if (!taken && bindable(InetAddress.getLoopbackAddress(), candidate)) {
                ports[found++] = candidate;
            }
        }
        return ports;
    }

    private static Optional<DevCassandra> reuseAnswering(Settings settings) {
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
    private static boolean awaitRecordedNode(ProcessHandle node, Settings settings) {
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

    private static void requireFree(Settings settings) {
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.host());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot resolve host " + settings.host(), e);
        }
        for (var port : new int[] {settings.nativePort(), settings.storagePort(), settings.jmxPort()}) {
            if (!bindable(address, port)) {
                throw new PortInUseException("Port " + port + " on " + settings.host() + " is in use; Cassandra "
                        + "needs native " + settings.nativePort() + ", storage " + settings.storagePort()
                        + " and JMX " + settings.jmxPort());
            }
        }
    }

    /**
     * True when a server could listen on the port now. SO_REUSEADDR as Cassandra's own listeners use it: a port whose
     * only leftovers are TIME_WAIT connections (e.g. right after a kill -9) is free; one with a listener is not.
     */
    private static boolean bindable(InetAddress address, int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static DevCassandra launch(Settings settings) throws IOException {
        var dataDir = settings.dataDir();
        var classpath = ServerLibrary.classpath(settings.libDir());
        ServerConfig.write(settings);
        var parentWatch =
                settings.detached() ? Optional.<Path>empty() : Optional.of(ParentWatch.writeAgentJar(dataDir));
        var command = ServerCommand.build(settings, classpath, parentWatch);
        var output = ServerConfig.processOutput(dataDir);
        Files.writeString(
                output,
                "=== " + Instant.now() + " launching: " + String.join(" ", command) + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        var builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(output.toFile()));
        // Agents meant for this JVM (coverage, profilers) must not end up inside Cassandra's.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        long launched = System.nanoTime();
        var process = builder.start();
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
        try {
            if (process.isAlive()) {
                long begun = System.nanoTime();
                process.destroy();
                if (!process.waitFor(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn(
                            "Cassandra pid {} did not stop within {}; killing it",
                            process.pid(),
                            settings.stopTimeout());
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                log.info(
                        "Cassandra pid {} stopped in {} ms",
                        process.pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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

package io.kairos.devcassandra;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How to run the node. {@link #defaults(Path)} gives Cassandra's standard ports; tests use {@link #withFreePorts()}.
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
public record DevCassandraSettings(
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
    private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[mMgG]");

    public DevCassandraSettings {
        dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        Objects.requireNonNull(host, "host");
        requirePort(nativePort);
        requirePort(storagePort);
        requirePort(jmxPort);
        if (nativePort == storagePort || nativePort == jmxPort || storagePort == jmxPort) {
            throw new IllegalArgumentException(
                    "native, storage and JMX ports must differ: " + nativePort + ", " + storagePort + ", " + jmxPort);
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
        javaHome = Objects.requireNonNull(javaHome, "javaHome").toAbsolutePath().normalize();
        extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    /**
     * Cassandra's standard ports on 127.0.0.1; a 512 MiB max heap, the smallest at which Cassandra's own memtable
     * sizing (a quarter of the heap) gives the 128 MiB memtables used here, with headroom for caches and compaction;
     * batch commit log sync (every acknowledged write is on disk: see README); 120 s to start.
     */
    public static DevCassandraSettings defaults(Path dataDir) {
        return new DevCassandraSettings(
                dataDir,
                "127.0.0.1",
                9042,
                7000,
                7199,
                "512m",
                ServerLibrary.defaultLibDir(),
                Duration.ofSeconds(120),
                Duration.ofSeconds(30),
                DevCassandra.DEFAULT_CLUSTER_NAME,
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
    public DevCassandraSettings withFreePorts() {
        var ports = Ports.free(3);
        return with(b -> {
            b.nativePort = ports[0];
            b.storagePort = ports[1];
            b.jmxPort = ports[2];
        });
    }

    /** The same settings for another data directory (another node, or a copy). */
    public DevCassandraSettings withDataDir(Path value) {
        return with(b -> b.dataDir = value);
    }

    public DevCassandraSettings withMaxHeap(String value) {
        return with(b -> b.maxHeap = value);
    }

    public DevCassandraSettings withMemtableSpaceMiB(int value) {
        return with(b -> b.memtableSpaceMiB = value);
    }

    public DevCassandraSettings withExtraJvmOptions(List<String> value) {
        return with(b -> b.extraJvmOptions = value);
    }

    /**
     * A copy with {@code change} applied to its fields, e.g. {@code settings.with(c -> c.jmxPort = 7199)}; the record's
     * invariants are checked again.
     */
    public DevCassandraSettings with(Consumer<Copy> change) {
        var b = new Copy(this);
        change.accept(b);
        return new DevCassandraSettings(
                b.dataDir,
                b.host,
                b.nativePort,
                b.storagePort,
                b.jmxPort,
                b.maxHeap,
                b.libDir,
                b.startTimeout,
                b.stopTimeout,
                b.clusterName,
                b.commitLogSync,
                b.memtableSpaceMiB,
                b.javaHome,
                b.extraJvmOptions,
                b.detached);
    }

    /** The fields of a copy being changed (see {@link #with}). */
    public static final class Copy {
        public Path dataDir;
        public String host;
        public int nativePort;
        public int storagePort;
        public int jmxPort;
        public String maxHeap;
        public Path libDir;
        public Duration startTimeout;
        public Duration stopTimeout;
        public String clusterName;
        public CommitLogSync commitLogSync;
        public int memtableSpaceMiB;
        public Path javaHome;
        public List<String> extraJvmOptions;
        public boolean detached;

        private Copy(DevCassandraSettings s) {
            dataDir = s.dataDir;
            host = s.host;
            nativePort = s.nativePort;
            storagePort = s.storagePort;
            jmxPort = s.jmxPort;
            maxHeap = s.maxHeap;
            libDir = s.libDir;
            startTimeout = s.startTimeout;
            stopTimeout = s.stopTimeout;
            clusterName = s.clusterName;
            commitLogSync = s.commitLogSync;
            memtableSpaceMiB = s.memtableSpaceMiB;
            javaHome = s.javaHome;
            extraJvmOptions = s.extraJvmOptions;
            detached = s.detached;
        }
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

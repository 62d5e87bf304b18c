package io.kairos.devkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to run the dev broker. {@link #defaults(Path)} listens on Kafka's standard 9092; {@link #fromEnvironment(Path)}
 * takes the port from {@value #PORT_ENV}; tests use {@link #withPort(int) withPort(0)} (a free port).
 *
 * @param dataDir everything the broker writes goes under it (made absolute): its config, KRaft metadata and topic logs,
 *     its own log files
 * @param port the PLAINTEXT listener on 127.0.0.1; 0 picks a free port at each start. The controller listener always
 *     gets a free port.
 * @param partitions {@code num.partitions}: partitions of an auto-created topic
 * @param heap the broker JVM's heap
 * @param startTimeout from launch (formatting included) to answering metadata
 * @param stopTimeout from SIGTERM to SIGKILL
 * @param libDir the broker's jars (see {@link BrokerLibrary})
 * @param extraJvmOptions appended after the defaults, so they override them
 */
public record DevKafkaSettings(
        Path dataDir,
        int port,
        int partitions,
        Heap heap,
        Duration startTimeout,
        Duration stopTimeout,
        Path libDir,
        List<String> extraJvmOptions) {

    /** Kafka's standard client port, the dev default. */
    public static final int DEFAULT_PORT = 9092;
    /** Overrides the port of {@link #fromEnvironment(Path)}; {@code 0} means a free port. */
    public static final String PORT_ENV = "KAIROS_DEV_KAFKA_PORT";

    public DevKafkaSettings {
        dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Not a TCP port (0 for a free one): " + port);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        Objects.requireNonNull(heap, "heap");
        requirePositive(startTimeout, "startTimeout");
        requirePositive(stopTimeout, "stopTimeout");
        libDir = Objects.requireNonNull(libDir, "libDir").toAbsolutePath().normalize();
        extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    /**
     * Port 9092, 4 partitions per auto-created topic, a 256-512 MiB heap (a dev broker with a few topics uses well
     * under 200 MiB), 90 s to start, 30 s to stop.
     */
    public static DevKafkaSettings defaults(Path dataDir) {
        return new DevKafkaSettings(
                dataDir,
                DEFAULT_PORT,
                4,
                new Heap("256m", "512m"),
                Duration.ofSeconds(90),
                Duration.ofSeconds(30),
                BrokerLibrary.defaultLibDir(),
                List.of());
    }

    /** {@link #defaults(Path)} with the port from {@value #PORT_ENV} when it is set. */
    public static DevKafkaSettings fromEnvironment(Path dataDir) {
        return fromEnvironment(dataDir, System.getenv());
    }

    static DevKafkaSettings fromEnvironment(Path dataDir, Map<String, String> environment) {
        var settings = defaults(dataDir);
        var port = environment.get(PORT_ENV);
        if (port == null || port.isBlank()) {
            return settings;
        }
        try {
            return settings.withPort(Integer.parseInt(port.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("$" + PORT_ENV + " must be a TCP port or 0, not '" + port + "'", e);
        }
    }

    /** The same settings on another port; 0 picks a free one at each start. */
    public DevKafkaSettings withPort(int value) {
        return new DevKafkaSettings(
                dataDir, value, partitions, heap, startTimeout, stopTimeout, libDir, extraJvmOptions);
    }

    public DevKafkaSettings withPartitions(int value) {
        return new DevKafkaSettings(dataDir, port, value, heap, startTimeout, stopTimeout, libDir, extraJvmOptions);
    }

    public DevKafkaSettings withHeap(Heap value) {
        return new DevKafkaSettings(
                dataDir, port, partitions, value, startTimeout, stopTimeout, libDir, extraJvmOptions);
    }

    public DevKafkaSettings withStartTimeout(Duration value) {
        return new DevKafkaSettings(dataDir, port, partitions, heap, value, stopTimeout, libDir, extraJvmOptions);
    }

    public DevKafkaSettings withExtraJvmOptions(List<String> value) {
        return new DevKafkaSettings(dataDir, port, partitions, heap, startTimeout, stopTimeout, libDir, value);
    }

    /** The same settings for another data directory (another broker, another cluster id). */
    public DevKafkaSettings withDataDir(Path value) {
        return new DevKafkaSettings(value, port, partitions, heap, startTimeout, stopTimeout, libDir, extraJvmOptions);
    }

    /**
     * The broker JVM's heap, as JVM sizes such as {@code 256m} or {@code 1g}.
     *
     * @param initial {@code -Xms}
     * @param max {@code -Xmx}
     */
    public record Heap(String initial, String max) {
        private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]");

        public Heap {
            for (var size : new String[] {initial, max}) {
                if (size == null || !SIZE.matcher(size).matches()) {
                    throw new IllegalArgumentException("Heap sizes are JVM sizes such as 256m or 1g, not " + size);
                }
            }
        }

        List<String> jvmOptions() {
            return List.of("-Xms" + initial, "-Xmx" + max);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (Objects.requireNonNull(duration, name).isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}

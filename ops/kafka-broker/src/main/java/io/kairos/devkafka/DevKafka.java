package io.kairos.devkafka;

import io.kairos.devcassandra.ChildProcess;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.LogTail;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A real Apache Kafka broker for development and tests: one KRaft node (broker and controller) in its own JVM, on the
 * broker's own classpath, listening on 127.0.0.1 only.
 *
 * <p>{@link #start(DevKafkaSettings)} formats the data directory on first use, writes the broker's configuration,
 * launches {@code kafka.Kafka} and returns once the broker lists itself in a Metadata answer (see
 * {@link MetadataProbe}): from then on producers, consumers and topic auto-creation work.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Only a broker this instance launched is ever stopped by it ({@link #startedHere()}); a broker of the same data
 *       directory that already runs (recorded in {@code kafka.pid}, or answering on the asked port with the directory's
 *       cluster id) is reused and left running by {@link #close()}.
 *   <li>A launched broker does not outlive this JVM: a shutdown hook stops it, and the ParentWatch agent inside it
 *       stops it when this JVM dies without running its hooks.
 *   <li>At most one broker runs per data directory: starts are serialised by a file lock.
 *   <li>{@link #close()} sends SIGTERM (Kafka's controlled shutdown) and kills only after
 *       {@link DevKafkaSettings#stopTimeout()}.
 * </ul>
 */
public final class DevKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevKafka.class);
    private static final ConcurrentHashMap<Path, Object> START_LOCKS = new ConcurrentHashMap<>();
    // A free-picked port can be taken between the check and the broker's bind; a new pair of ports usually is not.
    private static final int LAUNCH_ATTEMPTS = 3;

    /** A port the broker needs is taken by another process. */
    public static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }

    private final DevKafkaSettings settings;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private boolean stopped;

    private DevKafka(DevKafkaSettings settings, int port, Process process) {
        this.settings = settings;
        this.port = port;
        this.process = process;
        this.shutdownHook = process == null ? null : new Thread(this::stopQuietly, "dev-kafka-stop-" + port);
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Reuses the broker already running on the data directory, or launches one and waits until it answers. */
    public static DevKafka start(DevKafkaSettings settings) {
        var dataDir = settings.dataDir();
        synchronized (START_LOCKS.computeIfAbsent(dataDir, dir -> new Object())) {
            try {
                Files.createDirectories(dataDir);
                // The file lock serialises starts across JVMs (two test forks or dev shells on one directory).
                try (var channel = FileChannel.open(
                        BrokerFiles.startLock(dataDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    var lock = channel.lock();
                    try {
                        var running = reuse(settings);
                        return running.isPresent() ? running.get() : launch(settings);
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare " + dataDir, e);
            }
        }
    }

    /** {@code 127.0.0.1:port}, what a client's {@code bootstrap.servers} should be. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client port; the one actually used when the settings asked for a free one. */
    public int port() {
        return port;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    public DevKafkaSettings settings() {
        return settings;
    }

    /** True when this instance launched the broker and so stops it on {@link #close()}. */
    public boolean startedHere() {
        return process != null;
    }

    /** The broker's process id, when launched here. */
    public OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /** True while the broker launched here is alive, or while a reused broker answers. */
    public boolean isRunning() {
        return process != null ? process.isAlive() : MetadataProbe.query(port).isPresent();
    }

    /** Stops the broker if it was launched here (graceful, then forced after the stop timeout); idempotent. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stop() is idempotent.
        }
    }

    private static Optional<DevKafka> reuse(DevKafkaSettings settings) {
        var dataDir = settings.dataDir();
        var clusterId = BrokerFiles.clusterId(dataDir).orElse("");
        var recorded = recordedBroker(dataDir);
        var recordedPort = BrokerFiles.configuredPort(dataDir);
        if (recorded.isPresent()
                && recordedPort.isPresent()
                && awaitRecorded(recorded.get(), recordedPort.getAsInt(), clusterId, settings)) {
            log.info(
                    "Reusing Kafka pid {} of {} at port {}; it is not stopped here",
                    recorded.get().pid(),
                    dataDir,
                    recordedPort.getAsInt());
            return Optional.of(new DevKafka(settings, recordedPort.getAsInt(), null));
        }
        if (settings.port() != 0 && !DevCassandra.isFree(settings.port())) {
            var answer = MetadataProbe.query(settings.port());
            if (answer.isPresent() && answer.get().clusterId().equals(clusterId)) {
                log.info("Reusing the Kafka broker of {} at port {}; it is not stopped here", dataDir, settings.port());
                return Optional.of(new DevKafka(settings, settings.port(), null));
            }
            throw new PortInUseException("Port " + settings.port() + " on 127.0.0.1 is in use"
                    + answer.map(a -> " by the Kafka cluster " + a.clusterId() + ", not the one of " + dataDir)
                            .orElse(""));
        }
        return Optional.empty();
    }

    /**
     * Waits for a broker another instance launched on this data directory (still starting, or in another JVM): true
     * once it answers, false when it exits first, which frees the directory for a launch.
     */
    private static boolean awaitRecorded(ProcessHandle broker, int port, String clusterId, DevKafkaSettings settings) {
        if (settings.port() != 0 && settings.port() != port) {
            throw new IllegalStateException("Kafka pid " + broker.pid() + " already runs on " + settings.dataDir()
                    + " at port " + port + ", not " + settings.port() + "; stop it or use another data directory");
        }
        var deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (broker.isAlive()) {
            if (answers(port, clusterId)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka pid " + broker.pid() + " runs on " + settings.dataDir()
                        + " but did not answer at port " + port + " within " + settings.startTimeout());
            }
            sleep(Duration.ofMillis(250));
        }
        return false;
    }

    /** A live process recorded in the pid file that is a broker of this data directory. */
    private static Optional<ProcessHandle> recordedBroker(Path dataDir) {
        var pidFile = BrokerFiles.pidFile(dataDir);
        try {
            var pid = Long.parseLong(Files.readString(pidFile).trim());
            var config = BrokerFiles.serverProperties(dataDir).toString();
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info()
                    .commandLine()
                    .map(line -> line.contains(BrokerCommand.SERVER_CLASS) && line.contains(config))
                    .orElse(false));
        } catch (IOException | NumberFormatException noUsablePidFile) {
            return Optional.empty();
        }
    }

    private static DevKafka launch(DevKafkaSettings settings) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return launchOnce(settings);
            } catch (PortInUseException e) {
                if (attempt == LAUNCH_ATTEMPTS) {
                    throw e;
                }
                log.warn(
                        "Kafka lost a port race, retrying on other ports: {}",
                        e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static DevKafka launchOnce(DevKafkaSettings settings) throws IOException {
        var dataDir = settings.dataDir();
        var classpath = BrokerLibrary.classpath(settings.libDir());
        int port = settings.port() != 0 ? settings.port() : DevCassandra.freePort();
        int controllerPort = DevCassandra.freePort();
        while (controllerPort == port) {
            controllerPort = DevCassandra.freePort();
        }
        long launched = System.nanoTime();
        BrokerFiles.writeConfig(settings, port, controllerPort);
        var clusterId = KraftStorage.clusterIdOrFormat(settings, classpath);
        var process = BrokerCommand.start(BrokerCommand.server(settings, classpath), dataDir);
        Files.writeString(BrokerFiles.pidFile(dataDir), process.pid() + "\n");
        var broker = new DevKafka(settings, port, process);
        try {
            broker.awaitReady(clusterId, launched);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info(
                "Kafka {} answers at {} after {} ms (pid {}, data {})",
                BrokerLibrary.kafkaVersion(),
                broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched),
                process.pid(),
                dataDir);
        return broker;
    }

    private void awaitReady(String clusterId, long launchedNanos) {
        var deadline = launchedNanos + settings.startTimeout().toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw startFailure("exited with status " + process.exitValue() + " before answering");
            }
            var answer = MetadataProbe.query(port);
            if (answer.isPresent() && !answer.get().clusterId().equals(clusterId)) {
                throw new PortInUseException("Another Kafka cluster ("
                        + answer.get().clusterId() + ") took " + bootstrapServers() + " while this one was starting");
            }
            if (answer.isPresent() && answer.get().brokerIds().contains(BrokerFiles.NODE_ID)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw startFailure("did not answer at " + bootstrapServers() + " within " + settings.startTimeout());
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static boolean answers(int port, String clusterId) {
        return MetadataProbe.query(port)
                .filter(a -> a.clusterId().equals(clusterId) && a.brokerIds().contains(BrokerFiles.NODE_ID))
                .isPresent();
    }

    private IllegalStateException startFailure(String what) {
        var tail =
                LogTail.of(BrokerFiles.serverLog(dataDir()), 40) + LogTail.of(BrokerFiles.processOutput(dataDir()), 20);
        var message = "Kafka (pid " + process.pid() + ", data " + dataDir() + ") " + what + "\n" + tail;
        return tail.contains("Address already in use")
                ? new PortInUseException(message)
                : new IllegalStateException(message);
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        ChildProcess.stop(process, settings.stopTimeout(), "Kafka", log);
        try {
            var pidFile = BrokerFiles.pidFile(dataDir());
            if (Files.readString(pidFile).trim().equals(Long.toString(process.pid()))) {
                Files.delete(pidFile);
            }
        } catch (IOException e) {
            log.debug("Could not remove the pid file of {}", dataDir(), e);
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("Stopping Kafka pid {} failed", process.pid(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    @Override
    public String toString() {
        return "DevKafka[" + bootstrapServers() + (startedHere() ? ", pid " + process.pid() : ", reused") + "]";
    }
}

package io.kairos.devkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka broker per test JVM, for the integration tests of every module:
 * {@code TestKafka.shared().bootstrapServers()}.
 *
 * <p>The first call starts the broker (later calls, from any thread, get the same one) on a free port, with its data
 * under the calling module's {@code target/test-kafka-<pid>-<time>} (a temp directory outside Maven), and stops it when
 * the JVM exits; its topics are then deleted and its logs kept. The broker is small, because it shares the machine with
 * the tests: a 64-384 MiB heap and C1-only JIT.
 *
 * <p>Invariant: all tests of the JVM share the broker, so each test that writes uses topics (and consumer groups) of
 * its own.
 *
 * <p>System properties: {@value #BOOTSTRAP_PROPERTY}{@code =host:port} uses a broker that is already running instead of
 * starting one (e.g. one broker for a whole reactor build); {@value #KEEP_DATA_PROPERTY}{@code =true} keeps the topics
 * after the JVM exits.
 */
public final class TestKafka {

    public static final String BOOTSTRAP_PROPERTY = "kairos.test-kafka.bootstrap";
    public static final String KEEP_DATA_PROPERTY = "kairos.test-kafka.keep-data";

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static final Object LOCK = new Object();
    private static volatile TestKafka shared;

    private final String bootstrapServers;
    private final DevKafka broker;

    private TestKafka(String bootstrapServers, DevKafka broker) {
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
    }

    /** The JVM's test broker, started on first use. */
    public static TestKafka shared() {
        var current = shared;
        if (current == null) {
            synchronized (LOCK) {
                current = shared;
                if (current == null) {
                    current = create();
                    shared = current;
                }
            }
        }
        return current;
    }

    /** {@code host:port}, as a client's {@code bootstrap.servers} takes it. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker, when this JVM started it (empty when {@value #BOOTSTRAP_PROPERTY} named an external one). */
    public Optional<DevKafka> broker() {
        return Optional.ofNullable(broker);
    }

    private static TestKafka create() {
        var external = System.getProperty(BOOTSTRAP_PROPERTY);
        if (external != null && !external.isBlank()) {
            log.info("Tests use the Kafka broker at {} ({})", external.strip(), BOOTSTRAP_PROPERTY);
            return new TestKafka(external.strip(), null);
        }
        var settings = DevKafkaSettings.defaults(testDirectory())
                .withPort(0)
                .withHeap(new DevKafkaSettings.Heap("64m", "384m"))
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1"));
        var broker = DevKafka.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndClean(broker), "test-kafka-clean"));
        return new TestKafka(broker.bootstrapServers(), broker);
    }

    private static Path testDirectory() {
        var name = "test-kafka-" + ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36);
        // Surefire and failsafe set basedir to the module running the tests.
        var target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("target");
        if (Files.isDirectory(target)) {
            return target.resolve(name);
        }
        try {
            return Files.createTempDirectory("kairos-").resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopAndClean(DevKafka broker) {
        broker.close();
        if (Boolean.getBoolean(KEEP_DATA_PROPERTY) || broker.isRunning()) {
            return;
        }
        var topics = BrokerFiles.kraftDir(broker.dataDir());
        try (Stream<Path> files = Files.walk(topics)) {
            files.sorted(Comparator.reverseOrder()).forEach(TestKafka::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            // Best effort at JVM exit; `mvn clean` removes what is left.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // As above: best effort.
        }
    }
}

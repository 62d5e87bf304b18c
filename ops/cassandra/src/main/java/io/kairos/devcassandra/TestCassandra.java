package io.kairos.devcassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.devcassandra.DevCassandra.PortInUseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Cassandra node per test JVM, for the integration tests of every module:
 * {@code TestCassandra.shared().contactPoint()}.
 *
 * <p>The first call starts the node (later calls, from any thread, get the same one) on three free ports, with its data
 * under the calling module's {@code target/test-cassandra-<pid>-<time>} (a temp directory outside Maven), and stops it
 * when the JVM exits; its data is then deleted and its logs kept. The node is small, because it shares the machine with
 * everything else: 64 MiB memtables, C1-only JIT (a third less CPU to boot), and a 1 GiB max heap: every test's
 * keyspaces stay until the JVM exits, and the tables' own structures grow the old generation (the node module's ITs had
 * filled 384 MiB by their twelfth schema, and the node died of OutOfMemoryError; at 640 MiB it died again once the
 * schema had the four privacy tables and the node module two more ITs, at 413 tables).
 *
 * <p>Invariants: the node never uses Cassandra's default ports; each test that writes should use its own keyspaces
 * ({@link #createSchema(String)}), since all tests of the JVM share the node.
 *
 * <p>System properties: {@value #CONTACT_POINT_PROPERTY}{@code =host:port} uses a node that is already running instead
 * of starting one (e.g. one node for a whole reactor build); {@value #KEEP_DATA_PROPERTY}{@code =true} keeps the data
 * directory after the JVM exits.
 */
public final class TestCassandra {

    public static final String CONTACT_POINT_PROPERTY = "kairos.test-cassandra.contact-point";
    public static final String KEEP_DATA_PROPERTY = "kairos.test-cassandra.keep-data";

    private static final Logger log = LoggerFactory.getLogger(TestCassandra.class);
    private static final int START_ATTEMPTS = 3;
    private static final Object LOCK = new Object();
    private static volatile TestCassandra shared;

    private final InetSocketAddress contactPoint;
    private final DevCassandra node;

    private TestCassandra(InetSocketAddress contactPoint, DevCassandra node) {
        this.contactPoint = contactPoint;
        this.node = node;
    }

    /** The JVM's test node, started on first use. */
    public static TestCassandra shared() {
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

    /** The node's CQL address. */
    public InetSocketAddress contactPoint() {
        return contactPoint;
    }

    /** {@code host:port}, as the driver's {@code basic.contact-points} takes it. */
    public String contactPointString() {
        return contactPoint.getHostString() + ":" + contactPoint.getPort();
    }

    /** The driver's {@code basic.load-balancing-policy.local-datacenter} for this node. */
    public String localDatacenter() {
        return Cql.LOCAL_DATACENTER;
    }

    /** The node, when this JVM started it (empty when {@value #CONTACT_POINT_PROPERTY} named an external one). */
    public Optional<DevCassandra> node() {
        return Optional.ofNullable(node);
    }

    /** A new session to the node; the caller closes it. */
    public CqlSession openSession() {
        return CassandraSchema.openSession(contactPoint);
    }

    /** Creates the full schema in keyspaces of its own ({@link SchemaSettings#isolated(String)}) and returns them. */
    public SchemaSettings createSchema(String prefix) {
        var schema = SchemaSettings.isolated(prefix);
        try (var session = openSession()) {
            CassandraSchema.apply(session, schema);
        }
        return schema;
    }

    private static TestCassandra create() {
        var external = System.getProperty(CONTACT_POINT_PROPERTY);
        if (external != null && !external.isBlank()) {
            var contact = parseHostPort(external.strip());
            log.info("Tests use the Cassandra at {} ({})", contact, CONTACT_POINT_PROPERTY);
            return new TestCassandra(contact, null);
        }
        var base = testDirectory();
        for (int attempt = 1; ; attempt++) {
            var dataDir = base.resolveSibling(base.getFileName() + (attempt == 1 ? "" : "-" + attempt));
            var settings = DevCassandraSettings.defaults(dataDir)
                    .withFreePorts()
                    .withMaxHeap("1g")
                    .withMemtableSpaceMiB(64)
                    .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1"));
            try {
                var node = DevCassandra.start(settings);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndClean(node), "test-cassandra-clean"));
                return new TestCassandra(node.contactPoint(), node);
            } catch (PortInUseException e) {
                // Ports were free when chosen; another process took one before Cassandra bound it.
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
                log.warn(
                        "Test Cassandra lost a port race, retrying on other ports: {}",
                        e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static Path testDirectory() {
        var name =
                "test-cassandra-" + ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36);
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

    private static void stopAndClean(DevCassandra node) {
        node.close();
        if (Boolean.getBoolean(KEEP_DATA_PROPERTY) || node.isRunning()) {
            return;
        }
        var logs = ServerConfig.logDir(node.dataDir());
        try (Stream<Path> files = Files.walk(node.dataDir())) {
            files.sorted(Comparator.reverseOrder())
                    .filter(path -> !path.startsWith(logs) && !path.equals(node.dataDir()))
                    .forEach(path -> {
                        try {
                            Files.deleteIfExists(path);
                        } catch (IOException notEmptyOrGone) {
                            // best effort, as below
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            // Best effort at JVM exit; `mvn clean` removes what is left.
        }
    }

    private static InetSocketAddress parseHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(CONTACT_POINT_PROPERTY + " is host:port, not " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}

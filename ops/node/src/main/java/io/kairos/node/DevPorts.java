package io.kairos.node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where one {@code kairos dev} instance lives, so that several run side by side on one machine: its data directory
 * ({@code KAIROS_DATA_DIR}, else {@code .kairos} for the default API port 8080 and {@code .kairos-<port>} for any
 * other), the node's ports and its dev Cassandra's. A port that is given ({@code KAIROS_HTTP_PORT},
 * {@code KAIROS_MANAGEMENT_PORT}, {@code KAIROS_REMOTE_PORT}, {@code KAIROS_DEV_CASSANDRA_PORT}) is used as given;
 * every other one is its default when that is free, else a free one. The Cassandra ports (CQL, storage, JMX) are kept
 * in the data directory ({@code dev-ports.properties}) once the node started, so a restart finds the same node.
 *
 * @param http the API
 * @param management Akka Management
 * @param remote Akka remoting (Artery)
 * @param cql the dev Cassandra's native port
 * @param storage its inter-node port (bound even when alone)
 * @param jmx its local JMX port
 */
record DevPorts(int http, int management, int remote, int cql, int storage, int jmx) {
    static final int HTTP = 8080;
    static final int MANAGEMENT = 8558;
    static final int REMOTE = 25520;
    static final int CQL = 9042;
    static final int STORAGE = 7000;
    static final int JMX = 7199;
    static final String FILE = "dev-ports.properties";

    /** The machine's ports as the choice needs them: is one free, and a free one. */
    interface Machine {
        boolean isFree(int port);

        int freePort();
    }

    /** The API port: given, else 8080 when free, else a free one. */
    static int httpPort(Function<String, Optional<String>> env, Machine machine) {
        return port(env, "KAIROS_HTTP_PORT", HTTP, machine);
    }

    /** {@code KAIROS_DATA_DIR}, else {@code .kairos} for the default API port and {@code .kairos-<port>} otherwise. */
    static Path dataDir(Function<String, Optional<String>> env, int httpPort) {
        var dir = env.apply("KAIROS_DATA_DIR").orElse(httpPort == HTTP ? ".kairos" : ".kairos-" + httpPort);
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /**
     * The node's ports for an API on {@code http}, with the dev Cassandra's {@code cassandra} ports (CQL, storage, JMX:
     * {@link #cassandraPorts}; zeros when Cassandra is external).
     */
    static DevPorts choose(
            Function<String, Optional<String>> env, int http, CassandraPorts cassandra, Machine machine) {
        return new DevPorts(
                http,
                port(env, "KAIROS_MANAGEMENT_PORT", MANAGEMENT, machine),
                port(env, "KAIROS_REMOTE_PORT", REMOTE, machine),
                cassandra.cql(),
                cassandra.storage(),
                cassandra.jmx());
    }

    /**
     * The CQL, storage and JMX ports of the dev Cassandra keeping its data in {@code cassandraDir}, which
     * {@code runningHere} says is already up (a previous run left it detached): those recorded in the data directory (a
     * given CQL port overrides), else for a node that is running from before they were recorded Cassandra's defaults,
     * else Cassandra's defaults when all three are free (another dev Cassandra binds storage and JMX before CQL) and
     * free ones otherwise ({@code fresh}: nothing was given or recorded, so other free ones would do as well). A CQL
     * port in use by a Cassandra that is not this directory's is refused: two instances would otherwise write the same
     * persistence ids into one journal. {@link #record} keeps them once the node started.
     */
    static CassandraPorts cassandraPorts(
            Function<String, Optional<String>> env, Path cassandraDir, boolean runningHere, Machine machine) {
        var file = cassandraDir.resolve(FILE);
        var given = env.apply("KAIROS_DEV_CASSANDRA_PORT").map(v -> parse("KAIROS_DEV_CASSANDRA_PORT", v));
        CassandraPorts ports;
        if (Files.isRegularFile(file)) {
            var recorded = read(file);
            ports = new CassandraPorts(given.orElse(recorded[0]), recorded[1], recorded[2], false);
        } else if (runningHere) {
            ports = new CassandraPorts(given.orElse(CQL), STORAGE, JMX, false);
        } else if (given.isEmpty()) {
            ports = machine.isFree(CQL) && machine.isFree(STORAGE) && machine.isFree(JMX)
                    ? new CassandraPorts(CQL, STORAGE, JMX, true)
                    : anyFree(machine);
        } else {
            ports = new CassandraPorts(given.get(), orFree(STORAGE, machine), orFree(JMX, machine), false);
        }
        if (!runningHere && !machine.isFree(ports.cql()))
            throw new IllegalStateException("127.0.0.1:" + ports.cql() + " is taken, not by the dev Cassandra of "
                    + cassandraDir + ": another `kairos dev` or a Cassandra of its own runs there. Give this instance"
                    + " another KAIROS_DEV_CASSANDRA_PORT, or share that Cassandra explicitly with"
                    + " KAIROS_CASSANDRA_CONTACT_POINTS=127.0.0.1:" + ports.cql());
        return ports;
    }

    /** Three distinct free ports (outside the ephemeral range), for when the defaults are taken. */
    static CassandraPorts anyFree(Machine machine) {
        int cql = machine.freePort();
        int storage = machine.freePort();
        int jmx = machine.freePort();
        while (storage == cql) storage = machine.freePort();
        while (jmx == cql || jmx == storage) jmx = machine.freePort();
        return new CassandraPorts(cql, storage, jmx, true);
    }

    /** The dev Cassandra's ports; {@code fresh} when they were picked now, not given or recorded. */
    record CassandraPorts(int cql, int storage, int jmx, boolean fresh) {
        static final CassandraPorts NONE = new CassandraPorts(0, 0, 0, false);

        /** Keeps them in the data directory for the next start. */
        void record(Path cassandraDir) {
            write(cassandraDir.resolve(FILE), new int[] {cql, storage, jmx});
        }
    }

    private static int port(Function<String, Optional<String>> env, String name, int preferred, Machine machine) {
        return env.apply(name).map(v -> parse(name, v)).orElseGet(() -> orFree(preferred, machine));
    }

    private static int orFree(int preferred, Machine machine) {
        return machine.isFree(preferred) ? preferred : machine.freePort();
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'");
        }
    }

    private static int[] read(Path file) {
        var p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return new int[] {
                Integer.parseInt(p.getProperty("cql")),
                Integer.parseInt(p.getProperty("storage")),
                Integer.parseInt(p.getProperty("jmx"))
            };
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    file + " is damaged (" + e.getMessage() + "): delete it to choose again", e);
        }
    }

    private static void write(Path file, int[] ports) {
        var p = new Properties();
        p.setProperty("cql", Integer.toString(ports[0]));
        p.setProperty("storage", Integer.toString(ports[1]));
        p.setProperty("jmx", Integer.toString(ports[2]));
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "The dev Cassandra's ports for this data directory (kairos dev, kairos cluster)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the dev Cassandra's ports in " + file, e);
        }
    }

    /**
     * A lock for this machine's {@code kairos dev} starts (a file in the temporary directory): held from choosing the
     * ports until they are bound, so two instances started at once do not pick the same free port.
     */
    static AutoCloseable startLock() throws IOException {
        var channel = FileChannel.open(
                Path.of(System.getProperty("java.io.tmpdir"), "kairos-dev-start.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        var lock = channel.tryLock();
        if (lock == null) {
            System.out.println("Waiting for another kairos dev on this machine to finish starting …");
            lock = channel.lock();
        }
        var held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }

    /** This machine, through the dev Cassandra launcher's port checks. */
    static Machine machine() {
        return new Machine() {
            @Override
            public boolean isFree(int port) {
                return io.kairos.devcassandra.DevCassandra.isFree(port);
            }

            @Override
            public int freePort() {
                return io.kairos.devcassandra.DevCassandra.freePort();
            }
        };
    }
}

package io.kairos.devcassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kairos's Cassandra schema: the checked-in files {@link #FILES} (ops/cassandra/*.cql, shipped as {@code cql/*.cql}),
 * with keyspace names and replication filled in from {@link SchemaSettings}.
 *
 * <p>Invariants: every statement is {@code IF NOT EXISTS} ({@code CREATE … IF NOT EXISTS}, or {@code ALTER TABLE … ADD
 * IF NOT EXISTS} for a column added to a table an older version created), so {@link #apply} is idempotent, safe to run
 * at every start, and upgrades an older schema; it returns only once the cluster agrees on the schema. It is meant to
 * run from one place at a time (the launcher or an ops command), never from every node at once: concurrent DDL from
 * many clients is what Cassandra handles badly. The files contain no semicolon inside a literal, which is what lets
 * them be split on {@code ;}.
 */
public final class CassandraSchema {

    /** The schema files, in the order they run; a test keeps this list equal to the *.cql files of the module. */
    public static final List<String> FILES = List.of(
            "01-journal.cql",
            "02-snapshot.cql",
            "03-projection.cql",
            "04-models.cql",
            "05-offers.cql",
            "06-dispatch.cql",
            "07-funnel.cql",
            "08-catalog.cql",
            "09-privacy.cql");

    private static final Logger log = LoggerFactory.getLogger(CassandraSchema.class);
    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[a-z_]+}}");
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(60);

    private CassandraSchema() {}

    /**
     * Where the schema goes. Production sets NetworkTopologyStrategy with {@link #networkTopology(Map)}; tests give
     * each test its own keyspaces with {@link #isolated(String)}.
     *
     * @param journalKeyspace akka-persistence-cassandra's journal ({@code akka.persistence.cassandra.journal.keyspace})
     * @param snapshotKeyspace its snapshot store ({@code akka.persistence.cassandra.snapshot.keyspace})
     * @param kairosKeyspace projection offsets ({@code akka.projection.cassandra.offset-store.keyspace}) and Kairos's
     *     own tables
     * @param replication a CQL replication map, e.g. {@code {'class': 'SimpleStrategy', 'replication_factor': 1}}
     */
    public record SchemaSettings(
            String journalKeyspace, String snapshotKeyspace, String kairosKeyspace, String replication) {

        public SchemaSettings {
            requireKeyspace(journalKeyspace);
            requireKeyspace(snapshotKeyspace);
            requireKeyspace(kairosKeyspace);
            Objects.requireNonNull(replication, "replication");
            if (!replication.strip().startsWith("{") || !replication.strip().endsWith("}")) {
                throw new IllegalArgumentException(
                        "replication is a CQL map such as " + simpleStrategy(1) + ", not " + replication);
            }
        }

        /** kairos_journal, kairos_snapshot and kairos, SimpleStrategy with one replica: one dev node. */
        public static SchemaSettings defaults() {
            return new SchemaSettings("kairos_journal", "kairos_snapshot", "kairos", simpleStrategy(1));
        }

        /**
         * Keyspaces of their own for one test: {@code <prefix>_kairos_journal}, {@code <prefix>_kairos_snapshot} and
         * {@code <prefix>_kairos}. Their distinct endings keep any two prefixes, and the defaults, from colliding
         * (unlike appending a suffix: {@code kairos_} + "journal" would be the default journal keyspace).
         */
        public static SchemaSettings isolated(String prefix) {
            var defaults = defaults();
            return new SchemaSettings(
                    prefix + "_" + defaults.journalKeyspace(),
                    prefix + "_" + defaults.snapshotKeyspace(),
                    prefix + "_" + defaults.kairosKeyspace(),
                    defaults.replication());
        }

        public static String simpleStrategy(int replicationFactor) {
            return "{'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
        }

        /** E.g. {@code networkTopology(Map.of("eu-west", 3))}. */
        public static String networkTopology(Map<String, Integer> replicasPerDatacenter) {
            if (replicasPerDatacenter.isEmpty()) {
                throw new IllegalArgumentException("At least one data center");
            }
            return replicasPerDatacenter.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> "'" + e.getKey().replace("'", "''") + "': " + e.getValue())
                    .collect(Collectors.joining(", ", "{'class': 'NetworkTopologyStrategy', ", "}"));
        }

        public SchemaSettings withJournalKeyspace(String value) {
            return new SchemaSettings(value, snapshotKeyspace, kairosKeyspace, replication);
        }

        public SchemaSettings withSnapshotKeyspace(String value) {
            return new SchemaSettings(journalKeyspace, value, kairosKeyspace, replication);
        }

        public SchemaSettings withKairosKeyspace(String value) {
            return new SchemaSettings(journalKeyspace, snapshotKeyspace, value, replication);
        }

        public SchemaSettings withReplication(String value) {
            return new SchemaSettings(journalKeyspace, snapshotKeyspace, kairosKeyspace, value);
        }

        /** The distinct keyspaces, in file order. */
        public List<String> keyspaces() {
            return List.copyOf(new LinkedHashSet<>(List.of(journalKeyspace, snapshotKeyspace, kairosKeyspace)));
        }

        private static void requireKeyspace(String name) {
            if (name == null || !KEYSPACE.matcher(name).matches()) {
                // Lower case only: Cassandra folds unquoted names to lower case, and the Akka plugins do not quote
                // them.
                throw new IllegalArgumentException("Not a keyspace name (a lower-case letter, then up to 47 lower-case "
                        + "letters, digits or underscores): " + name);
            }
        }
    }

    /** Runs every schema statement in order, then waits until the cluster agrees on the schema. */
    public static void apply(CqlSession session, SchemaSettings settings) {
        var statements = statements(settings);
        long begun = System.nanoTime();
        // The driver refreshes its schema metadata after each DDL; skipping that while applying is several times
        // faster.
        session.setSchemaMetadataEnabled(false);
        try {
            for (var cql : statements) {
                session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
            }
        } finally {
            session.setSchemaMetadataEnabled(null);
        }
        awaitSchemaAgreement(session);
        log.info(
                "Schema applied ({} statements, keyspaces {}) in {} ms",
                statements.size(),
                settings.keyspaces(),
                Duration.ofNanos(System.nanoTime() - begun).toMillis());
    }

    /** Drops the keyspaces of the settings (for tests that made their own). */
    public static void drop(CqlSession session, SchemaSettings settings) {
        for (var keyspace : settings.keyspaces()) {
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                    .setTimeout(DDL_TIMEOUT));
        }
        awaitSchemaAgreement(session);
    }

    /** The statements {@link #apply} runs, placeholders filled, in order (e.g. to print for cqlsh). */
    public static List<String> statements(SchemaSettings settings) {
        var statements = new ArrayList<String>();
        for (var file : FILES) {
            statements.addAll(split(render(read(file), settings)));
        }
        return statements;
    }

    /** A session to the node at the contact point, with local data center {@code datacenter1} (SimpleSnitch's). */
    public static CqlSession openSession(InetSocketAddress contactPoint) {
        return openSession(contactPoint, CassandraSecurity.NONE);
    }

    /** As {@link #openSession(InetSocketAddress)}, authenticated and encrypted as {@code security} says. */
    public static CqlSession openSession(InetSocketAddress contactPoint, CassandraSecurity security) {
        return Cql.open(contactPoint, "kairos-dev", Duration.ofSeconds(10), security);
    }

    static String render(String cql, SchemaSettings settings) {
        var rendered = cql.replace("{{journal_keyspace}}", settings.journalKeyspace())
                .replace("{{snapshot_keyspace}}", settings.snapshotKeyspace())
                .replace("{{kairos_keyspace}}", settings.kairosKeyspace())
                .replace("{{replication}}", settings.replication());
        var unknown = PLACEHOLDER.matcher(rendered);
        if (unknown.find()) {
            throw new IllegalStateException("Unknown schema placeholder " + unknown.group());
        }
        return rendered;
    }

    /** Splits a file into statements: comment lines dropped, split on ';', blank pieces ignored. */
    static List<String> split(String cql) {
        var withoutComments =
                cql.lines().filter(line -> !line.strip().startsWith("--")).collect(Collectors.joining("\n"));
        var statements = new ArrayList<String>();
        for (var piece : withoutComments.split(";")) {
            if (!piece.isBlank()) {
                statements.add(piece.strip());
            }
        }
        return statements;
    }

    static String read(String file) {
        try (InputStream in = CassandraSchema.class.getResourceAsStream("/cql/" + file)) {
            if (in == null) {
                throw new IllegalStateException("cql/" + file + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read cql/" + file, e);
        }
    }

    private static void awaitSchemaAgreement(CqlSession session) {
        var deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
        while (!session.checkSchemaAgreement()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Cassandra nodes did not agree on the schema within " + AGREEMENT_TIMEOUT);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for schema agreement", e);
            }
        }
    }
}

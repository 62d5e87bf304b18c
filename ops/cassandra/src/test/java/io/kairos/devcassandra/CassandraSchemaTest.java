package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema applied to a real Cassandra 5.0.9 node (the JVM's {@link TestCassandra}), each test in keyspaces of its
 * own. Rows are written with the statements the Akka plugins themselves use, so a column the plugins need and the
 * schema lacks fails here rather than in a running Kairos.
 */
class CassandraSchemaTest {

    private static CqlSession session;

    @BeforeAll
    static void connect() {
        session = TestCassandra.shared().openSession();
    }

    @AfterAll
    static void disconnect() {
        session.close();
    }

    @Test
    void applyCreatesEveryTableTheAkkaPluginsNeedInTheConfiguredKeyspacesWithTheReplicationAsked() {
        var schema = SchemaSettings.isolated("tables");

        CassandraSchema.apply(session, schema);

        assertThat(tablesOf(schema.journalKeyspace())).containsExactlyInAnyOrderElementsOf(SchemaTables.JOURNAL);
        assertThat(tablesOf(schema.snapshotKeyspace())).containsExactlyInAnyOrderElementsOf(SchemaTables.SNAPSHOT);
        assertThat(tablesOf(schema.kairosKeyspace())).containsExactlyInAnyOrderElementsOf(SchemaTables.KAIROS);
        for (var keyspace : schema.keyspaces()) {
            Row row = session.execute(
                            "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)
                    .one();
            assertThat(row.getMap("replication", String.class, String.class))
                    .isEqualTo(
                            Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1"));
        }
        assertThat(session.checkSchemaAgreement()).isTrue();
    }

    @Test
    void applyingTheSchemaAgainChangesNothingAndKeepsTheData() {
        var schema = applied("again");
        session.execute(
                "INSERT INTO " + schema.journalKeyspace() + ".all_persistence_ids (persistence_id) VALUES ('a|1')");

        CassandraSchema.apply(session, schema);

        assertThat(session.execute("SELECT persistence_id FROM " + schema.journalKeyspace() + ".all_persistence_ids")
                        .all())
                .extracting(r -> r.getString(0))
                .containsExactly("a|1");
    }

    @Test
    void applyingTheSchemaToTablesAnOlderVersionCreatedAddsTheirNewColumnsAndKeepsTheRows() {
        var schema = applied("upgraded");
        var promotions = schema.kairosKeyspace() + ".model_promotions";
        session.execute("DROP TABLE " + promotions);
        // model_promotions as the version before who-acted created it
        session.execute("CREATE TABLE " + promotions
                + " (name text PRIMARY KEY, current text, history list<text>, revision bigint)");
        session.execute(
                "INSERT INTO " + promotions + " (name, current, history, revision) VALUES ('m', '2', ['1'], 2)");

        CassandraSchema.apply(session, schema);

        var row = session.execute("SELECT current, changes FROM " + promotions + " WHERE name = 'm'")
                .one();
        assertThat(row.getString("current")).isEqualTo("2");
        assertThat(row.getList("changes", String.class)).isEmpty();
    }

    @Test
    void theMessagesTableTakesTheJournalsWritesAndReplaysThemInSequenceOrder() {
        var schema = applied("journal");
        // akka-persistence-cassandra 1.1.1, CassandraJournalStatements.writeMessage(withMeta = false).
        var insert = session.prepare("INSERT INTO " + schema.journalKeyspace() + ".messages (persistence_id, "
                + "partition_nr, sequence_nr, timestamp, timebucket, writer_uuid, ser_id, ser_manifest, "
                + "event_manifest, event, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        var writer = UUID.randomUUID().toString();
        for (long seq : new long[] {3, 1, 2}) {
            session.execute(insert.bind(
                    "Shopper|42",
                    0L,
                    seq,
                    Uuids.timeBased(),
                    "20260101T10",
                    writer,
                    33,
                    "ShopperEvent",
                    "",
                    ByteBuffer.wrap(("event " + seq).getBytes(StandardCharsets.UTF_8)),
                    Set.of("shopper-1")));
        }

        var replay = session.execute(
                        "SELECT sequence_nr, event, tags FROM " + schema.journalKeyspace()
                                + ".messages WHERE persistence_id = ? AND partition_nr = ?",
                        "Shopper|42",
                        0L)
                .all();

        assertThat(replay).extracting(r -> r.getLong("sequence_nr")).containsExactly(1L, 2L, 3L);
        assertThat(StandardCharsets.UTF_8
                        .decode(replay.get(2).getByteBuffer("event"))
                        .toString())
                .isEqualTo("event 3");
        assertThat(replay.get(0).getSet("tags", String.class)).containsExactly("shopper-1");
    }

    @Test
    void theLatestSnapshotComesFirst() {
        var schema = applied("snapshot");
        // akka-persistence-cassandra 1.1.1, CassandraSnapshotStatements.writeSnapshot(withMeta = false).
        var insert = session.prepare("INSERT INTO " + schema.snapshotKeyspace() + ".snapshots (persistence_id, "
                + "sequence_nr, timestamp, ser_manifest, ser_id, snapshot_data) VALUES (?, ?, ?, ?, ?, ?)");
        for (long seq : new long[] {100, 300, 200}) {
            session.execute(insert.bind(
                    "Shopper|42", seq, Instant.now().toEpochMilli(), "ShopperState", 33, ByteBuffer.wrap(new byte[] {
                        1, 2, 3
                    })));
        }

        Row latest = session.execute(
                        "SELECT sequence_nr FROM " + schema.snapshotKeyspace()
                                + ".snapshots WHERE persistence_id = ? LIMIT 1",
                        "Shopper|42")
                .one();

        assertThat(latest.getLong("sequence_nr")).isEqualTo(300L);
    }

    @Test
    void aProjectionOffsetIsOneRowPerProjectionKeyThatEachSaveOverwrites() {
        var schema = applied("offsets");
        // akka-projection-cassandra 1.2.5, CassandraOffsetStore.saveOffset.
        var save = session.prepare("INSERT INTO " + schema.kairosKeyspace() + ".offset_store (projection_name, "
                + "partition, projection_key, offset, manifest, last_updated) VALUES (?, ?, ?, ?, ?, ?)");
        session.execute(save.bind("shoppers", 3, "shopper-1", "a-first-timeuuid", "TIMEUUID", Instant.now()));
        session.execute(save.bind("shoppers", 3, "shopper-1", "a-later-timeuuid", "TIMEUUID", Instant.now()));

        var rows = session.execute(
                        "SELECT offset FROM " + schema.kairosKeyspace() + ".offset_store WHERE "
                                + "projection_name = ? AND partition = ? AND projection_key = ?",
                        "shoppers",
                        3,
                        "shopper-1")
                .all();

        assertThat(rows).extracting(r -> r.getString("offset")).containsExactly("a-later-timeuuid");
    }

    /** Keyspaces of their own for one test, with the schema applied. */
    private static SchemaSettings applied(String prefix) {
        var schema = SchemaSettings.isolated(prefix);
        CassandraSchema.apply(session, schema);
        return schema;
    }

    private static Set<String> tablesOf(String keyspace) {
        var tables = new java.util.HashSet<String>();
        session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)
                .forEach(row -> tables.add(row.getString("table_name")));
        return tables;
    }
}

package io.kairos.node;

import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.devcassandra.CassandraSecurity;
import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kairos schema}: creates Kairos's keyspaces and tables from ops/cassandra/*.cql (idempotent). */
@Command(
        name = "schema",
        description =
                "Create the keyspaces and tables from ops/cassandra/*.cql on KAIROS_CASSANDRA_CONTACT_POINTS (idempotent).")
final class SchemaCommand extends LauncherCommand {

    @Option(
            names = "--replication",
            description = "CQL replication map, e.g. \"{'class':'NetworkTopologyStrategy','dc1':3}\". "
                    + "Default: KAIROS_CASSANDRA_REPLICATION, else SimpleStrategy with RF 1.")
    String replication;

    @Override
    public Integer call() {
        var points = Env.cassandraContactPoints();
        apply(
                points,
                replication != null
                        ? replication
                        : Env.get("KAIROS_CASSANDRA_REPLICATION").orElse(null));
        return 0;
    }

    static SchemaSettings settings(String replication) {
        var s = SchemaSettings.defaults()
                .withJournalKeyspace(Env.get("KAIROS_JOURNAL_KEYSPACE").orElse("kairos_journal"))
                .withSnapshotKeyspace(Env.get("KAIROS_SNAPSHOT_KEYSPACE").orElse("kairos_snapshot"))
                .withKairosKeyspace(Env.get("KAIROS_KEYSPACE").orElse("kairos"));
        return replication == null ? s : s.withReplication(replication);
    }

    static void apply(List<InetSocketAddress> points, String replication) {
        var settings = settings(replication);
        // Authenticated and encrypted as the node connects (kairos.cassandra, from KAIROS_CASSANDRA_* variables).
        var security = CassandraSecurity.fromConfig(ConfigFactory.load().getConfig("kairos.cassandra"));
        try (var session = CassandraSchema.openSession(points.get(0), security)) {
            CassandraSchema.apply(session, settings);
        }
        System.out.println("Schema applied: keyspaces " + String.join(", ", settings.keyspaces()));
    }
}

package io.kairos.node;

import com.typesafe.config.ConfigFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kairos node}: a production node on the external Cassandra named by KAIROS_CASSANDRA_CONTACT_POINTS. */
@Command(
        name = "node",
        description =
                "Run a production node against an external Cassandra (KAIROS_CASSANDRA_CONTACT_POINTS, default 127.0.0.1:9042).")
final class NodeCommand extends LauncherCommand {

    @Option(
            names = "--apply-schema",
            description = "Create missing keyspaces and tables from ops/cassandra/*.cql before starting.")
    boolean applySchema;

    @Override
    public Integer call() {
        Env.defaultLogFormat("json");
        var points = Env.cassandraContactPoints();
        if (applySchema)
            SchemaCommand.apply(points, Env.get("KAIROS_CASSANDRA_REPLICATION").orElse(null));
        var system = KairosNode.start(KairosNode.config("production", points, ConfigFactory.empty()));
        system.getWhenTerminated().toCompletableFuture().join();
        return 0;
    }
}

package io.kairos.node;

import akka.actor.ActorSystem;
import akka.stream.alpakka.cassandra.CassandraSessionSettings;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Akka Management readiness check: the node is ready only when the journal answers, i.e. Cassandra responds through the
 * persistence plugin's own session and the journal's {@code messages} table exists.
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {
    private static final String QUERY =
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = 'messages'";

    private final ActorSystem system;
    private final String keyspace;

    public JournalReadinessCheck(ActorSystem system) {
        this.system = system;
        this.keyspace = system.settings().config().getString("akka.persistence.cassandra.journal.keyspace");
    }

    @Override
    public CompletionStage<Boolean> get() {
        var session = CassandraSessionRegistry.get(system)
                .sessionFor(CassandraSessionSettings.create("akka.persistence.cassandra"));
        return session.selectOne(QUERY, keyspace).thenApply(row -> row.isPresent());
    }
}

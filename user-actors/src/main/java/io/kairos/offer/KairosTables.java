package io.kairos.offer;

import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where Kairos's own tables (the read side beside the journal) live: the journal's Cassandra session and the keyspace
 * {@code kairos.offers.cassandra.keyspace}. The stores take their session and table names from here.
 */
public record KairosTables(CassandraSession session, String keyspace) {

    /**
     * The partitions per campaign of the bucketed tables (funnel, outcomes), so no campaign makes one huge partition.
     */
    public static final int BUCKETS = 16;

    public static KairosTables of(ActorSystem<?> system) {
        return new KairosTables(
                CassandraSessionRegistry.get(system).sessionFor("akka.persistence.cassandra"),
                system.settings().config().getString("kairos.offers.cassandra.keyspace"));
    }

    /** The qualified name of one of the tables ({@code keyspace.name}). */
    public String table(String name) {
        return keyspace + "." + name;
    }

    /**
     * Every row of a campaign in a table spread over {@link #BUCKETS} partitions ({@code campaign_id, bucket}): the
     * partitions are read in parallel, the rows come back bucket by bucket.
     */
    static CompletionStage<List<Row>> campaignRows(
            CassandraSession session, String columns, String table, String campaignId) {
        var cql = "SELECT " + columns + " FROM " + table + " WHERE campaign_id = ? AND bucket = ?";
        var reads = new ArrayList<CompletableFuture<List<Row>>>();
        for (int b = 0; b < BUCKETS; b++) {
            reads.add(session.selectAll(cql, campaignId, b).toCompletableFuture());
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(done ->
                        reads.stream().flatMap(read -> read.join().stream()).toList());
    }

    /** The bucket of a row keyed by {@code id} (an offer or decision id) within its campaign. */
    public static int bucket(String id) {
        return Math.abs(id.hashCode() % BUCKETS);
    }
}

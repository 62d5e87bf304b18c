package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-channel response rates learned from outcomes: the configured rate is a Beta prior worth {@code priorWeight}
 * messages, updated with the messages delivered on the channel and those followed by a claim of the offer
 * ({@code <kairos keyspace>.dispatch_channel_outcomes}, written by the dispatch projection). The posterior mean
 * {@code (prior × weight + responded) / (weight + delivered)} is what {@link ChannelChoice} uses; each node refreshes
 * its copy on a timer, so a choice never waits on Cassandra.
 *
 * <p>Counters are not idempotent: a projection envelope replayed after a crash counts again, which nudges a rate by a
 * message or two out of thousands.
 */
public final class ResponseRates {
    private static final Logger log = LoggerFactory.getLogger(ResponseRates.class);

    /** What a channel has shown so far. */
    public record Evidence(long delivered, long responded) {}

    private final CassandraSession session;
    private final String keyspace;
    private final Map<String, Double> priors;
    private final double priorWeight;
    private final Map<String, Evidence> evidence = new ConcurrentHashMap<>();

    public ResponseRates(CassandraSession session, String keyspace, Map<String, Double> priors, double priorWeight) {
        this.session = session;
        this.keyspace = keyspace;
        this.priors = Map.copyOf(priors);
        this.priorWeight = priorWeight;
    }

    /** The posterior mean response rate of a channel: its prior until evidence arrives. */
    public double rate(String channel) {
        return posterior(
                priors.getOrDefault(channel, 0.0), priorWeight, evidence.getOrDefault(channel, new Evidence(0, 0)));
    }

    static double posterior(double prior, double weight, Evidence e) {
        return (prior * weight + e.responded()) / (weight + e.delivered());
    }

    /** Records a delivery on {@code channel}, so a later claim of the offer counts for it. */
    public CompletionStage<Done> delivered(String offerId, String channel) {
        return session.executeWrite(
                        "INSERT INTO " + keyspace + ".dispatch_offer_channels (offer_id, channel) VALUES (?, ?)",
                        offerId,
                        channel)
                .thenCompose(done -> session.executeWrite(
                        "UPDATE " + keyspace
                                + ".dispatch_channel_outcomes SET delivered = delivered + 1 WHERE channel = ?",
                        channel));
    }

    /** Records a response (a claim) to an offer; offers that no channel delivered (in-app) count for none. */
    public CompletionStage<Done> responded(String offerId) {
        return session.selectOne(
                        "SELECT channel FROM " + keyspace + ".dispatch_offer_channels WHERE offer_id = ?", offerId)
                .thenCompose(row -> row.isEmpty()
                        ? java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance())
                        : session.executeWrite(
                                "UPDATE " + keyspace
                                        + ".dispatch_channel_outcomes SET responded = responded + 1 WHERE channel = ?",
                                row.get().getString("channel")));
    }

    /** Reads every channel's evidence into this node's copy. */
    public CompletionStage<Done> refresh() {
        return session.selectAll("SELECT channel, delivered, responded FROM " + keyspace + ".dispatch_channel_outcomes")
                .thenApply(rows -> {
                    for (var r : rows)
                        evidence.put(
                                r.getString("channel"), new Evidence(r.getLong("delivered"), r.getLong("responded")));
                    return Done.getInstance();
                });
    }

    /** Refreshes every {@code interval} for the life of the actor system. */
    public void refreshEvery(Duration interval, ActorSystem<?> system) {
        system.scheduler()
                .scheduleWithFixedDelay(
                        Duration.ZERO,
                        interval,
                        () -> refresh().whenComplete((d, e) -> {
                            if (e != null) log.warn("Could not refresh channel response rates: {}", e.toString());
                        }),
                        system.executionContext());
    }
}

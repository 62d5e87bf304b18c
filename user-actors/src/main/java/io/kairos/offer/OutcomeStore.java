package io.kairos.offer;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Campaign exposures and their outcomes in Cassandra ({@code <kairos keyspace>.campaign_outcomes}): one row per
 * decision ({@code entry = exposure}, with the group), one when its offer is claimed, one per order attributed to it
 * ({@code entry = order:<id>}, its latest net amount). Written by the shopper projection, at least once: every write is
 * an upsert of a row keyed by what it records, so a replayed event writes the same row. A campaign's rows are spread
 * over {@value KairosTables#BUCKETS} partitions (by decision id) so one campaign never makes one huge partition; the
 * stats read all of them.
 */
public record OutcomeStore(CassandraSession session, String table) {
    public static OutcomeStore create(ActorSystem<?> system) {
        var tables = KairosTables.of(system);
        return new OutcomeStore(tables.session(), tables.table("campaign_outcomes"));
    }

    public CompletionStage<Done> exposure(
            String campaignId, String decisionId, String shopperId, boolean holdout, Instant at) {
        return write(campaignId, decisionId, "exposure", shopperId, holdout, null, at);
    }

    public CompletionStage<Done> claimed(String campaignId, String decisionId, String shopperId, Instant at) {
        return write(campaignId, decisionId, "claimed", shopperId, null, null, at);
    }

    public CompletionStage<Done> order(
            String campaignId,
            String decisionId,
            String shopperId,
            boolean holdout,
            String orderId,
            BigDecimal net,
            Instant at) {
        return write(campaignId, decisionId, "order:" + orderId, shopperId, holdout, net, at);
    }

    private CompletionStage<Done> write(
            String campaignId,
            String decisionId,
            String entry,
            String shopperId,
            Boolean holdout,
            BigDecimal amount,
            Instant at) {
        return session.executeWrite(
                "INSERT INTO " + table
                        + " (campaign_id, bucket, decision_id, entry, shopper_id, holdout, amount, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                campaignId,
                KairosTables.bucket(decisionId),
                decisionId,
                entry,
                shopperId,
                holdout,
                amount,
                at);
    }

    /** Everything recorded for a campaign, as people. */
    public CompletionStage<CampaignOutcomes.Builder> read(String campaignId) {
        return KairosTables.campaignRows(session, "decision_id, entry, shopper_id, holdout, amount", table, campaignId)
                .thenApply(rows -> {
                    var builder = new CampaignOutcomes.Builder();
                    for (var row : rows) {
                        var entry = row.getString("entry");
                        var shopper = row.getString("shopper_id");
                        if (entry.equals("exposure")) builder.exposure(shopper, row.getBoolean("holdout"));
                        else if (entry.equals("claimed")) builder.claimed(shopper);
                        else if (entry.startsWith("order:"))
                            builder.order(shopper, entry.substring(6), row.getBigDecimal("amount"));
                    }
                    return builder;
                });
    }
}

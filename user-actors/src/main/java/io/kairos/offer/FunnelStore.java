package io.kairos.offer;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The coupon funnel's facts in Cassandra ({@code <kairos keyspace>.campaign_funnel}, ops/cassandra/07-funnel.cql): one
 * row per (offer, entry), aggregated into a {@link CouponFunnel} on read. Written by the shopper projection at least
 * once: a fact is an upsert of the row keyed by what it records (a cancellation sets only the row's {@code cancelled}
 * column, and a redemption never writes that column), so redelivered facts leave the same rows. A campaign's rows are
 * spread over {@value KairosTables#BUCKETS} partitions by offer id; the stats read all of them.
 */
public record FunnelStore(CassandraSession session, String table) {
    public static FunnelStore create(ActorSystem<?> system) {
        var tables = KairosTables.of(system);
        return new FunnelStore(tables.session(), tables.table("campaign_funnel"));
    }

    /** Records one fact: a new row, or (a cancel) the mark on the row of the same offer and entry. */
    public CompletionStage<Done> write(CouponFunnel.Fact f, Instant at) {
        var key = Arrays.<Object>asList(f.campaignId(), KairosTables.bucket(f.offerId()), f.offerId(), f.entry());
        if (f.cancel()) {
            var cancel = "UPDATE " + table
                    + " SET cancelled = true WHERE campaign_id = ? AND bucket = ? AND offer_id = ? AND entry = ?";
            return session.executeWrite(cancel, key.toArray());
        }
        var insert = "INSERT INTO " + table
                + " (campaign_id, bucket, offer_id, entry, coupon_type, channel, amount, revenue, at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        var values = new ArrayList<Object>(key);
        values.addAll(Arrays.asList(f.couponType(), f.channel(), f.amount(), f.revenue(), at));
        return session.executeWrite(insert, values.toArray());
    }

    /** Writes facts one after the other (a handful per event). */
    public CompletionStage<Done> writeAll(List<CouponFunnel.Fact> facts, Instant at) {
        CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
        for (var f : facts) chain = chain.thenCompose(d -> write(f, at));
        return chain;
    }

    public CompletionStage<CouponFunnel.Result> read(String campaignId) {
        var columns = "offer_id, entry, coupon_type, channel, amount, revenue, cancelled";
        return KairosTables.campaignRows(session, columns, table, campaignId).thenApply(rows -> {
            var builder = new CouponFunnel.Builder();
            for (var row : rows) {
                builder.row(
                        row.getString("offer_id"),
                        row.getString("entry"),
                        row.getString("coupon_type"),
                        row.getString("channel"),
                        row.getBigDecimal("amount"),
                        row.getBigDecimal("revenue"),
                        row.isNull("cancelled") ? null : row.getBoolean("cancelled"));
            }
            return builder.result();
        });
    }
}

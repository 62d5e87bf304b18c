package io.kairos.pricing.catalog;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.kairos.time.NodeClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The catalogue in Cassandra ({@code <kairos keyspace>.catalog_skus}, see ops/cassandra/08-catalog.cql): every SKU a
 * shop sells, in {@value #BUCKETS} partitions by SKU, ordered by SKU in each. Imports are idempotent upserts; reads go
 * by partition ({@code IN} on the SKUs of one bucket); listing pages through the buckets in order.
 *
 * <p>An import reads the rows it replaces (to keep the previous list price for the 30-day lowest) and writes them, all
 * partitions in parallel. Two imports of one SKU at once: the last write wins, and its previous list price may be the
 * one before the other import's.
 */
public final class CatalogStore {
    static final int BUCKETS = 16;
    static final int ROWS_PER_BATCH = 20;
    private static final String COLUMNS =
            "sku, list_price, cost, currency, category, name, list_price_since, previous_list_price, updated_by";

    private final CassandraSession session;
    private final String table;
    private final Clock clock;
    private final CompletionStage<PreparedStatement> upsert;

    public CatalogStore(CassandraSession session, String keyspace, Clock clock) {
        this.session = session;
        this.table = keyspace + ".catalog_skus";
        this.clock = clock;
        this.upsert = session.prepare("INSERT INTO " + table + " (bucket, " + COLUMNS
                + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    public static CatalogStore create(ActorSystem<?> system) {
        var session = CassandraSessionRegistry.get(system).sessionFor("akka.persistence.cassandra");
        var keyspace = system.settings().config().getString("kairos.offers.cassandra.keyspace");
        return new CatalogStore(session, keyspace, NodeClock.get(system).clock());
    }

    /** The bucket a SKU lives in (String.hashCode is specified, so every node agrees). */
    static int bucket(String sku) {
        return Math.floorMod(sku.hashCode(), BUCKETS);
    }

    /**
     * Upserts {@code skus} (distinct SKUs); completes when every row is written. The rows go in unlogged batches of at
     * most {@value #ROWS_PER_BATCH} rows of one partition (one mutation each; typical rows stay under the 5 KiB batch
     * warning), so a 1,000-SKU import is some 50 requests, not 1,000 in flight at once (which exhausted the driver's
     * connection and answered 500 under two concurrent imports).
     */
    public CompletionStage<Done> upsert(List<CatalogSku> skus) {
        var now = clock.instant();
        return get(skus.stream().map(CatalogSku::sku).toList())
                .thenCompose(existing -> upsert.thenCompose(ps -> {
                    var byBucket = new TreeMap<Integer, List<BoundStatement>>();
                    for (var next : skus) {
                        var old = existing.get(next.sku());
                        var row = old == null ? next.importedAt(now) : old.updatedBy(next, now);
                        byBucket.computeIfAbsent(bucket(row.sku()), b -> new ArrayList<>())
                                .add(ps.bind(
                                        bucket(row.sku()),
                                        row.sku(),
                                        row.listPrice(),
                                        row.cost(),
                                        row.currency(),
                                        row.category(),
                                        row.name(),
                                        row.listPriceSince(),
                                        row.previousListPrice(),
                                        row.importedBy(),
                                        now));
                    }
                    var writes = new ArrayList<CompletableFuture<Done>>();
                    for (var rows : byBucket.values()) {
                        for (int from = 0; from < rows.size(); from += ROWS_PER_BATCH) {
                            var batch = BatchStatement.newInstance(DefaultBatchType.UNLOGGED)
                                    .addAll(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_BATCH)));
                            writes.add(session.executeWriteBatch(batch).toCompletableFuture());
                        }
                    }
                    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                            .thenApply(done -> Done.getInstance());
                }));
    }

    /** The entries of {@code skus} the catalogue has. */
    public CompletionStage<Map<String, CatalogSku>> get(Collection<String> skus) {
        var byBucket = new TreeMap<Integer, List<String>>();
        for (var sku : skus)
            byBucket.computeIfAbsent(bucket(sku), b -> new ArrayList<>()).add(sku);
        var reads = new ArrayList<CompletableFuture<List<Row>>>();
        byBucket.forEach((b, inBucket) -> reads.add(session.selectAll(
                        "SELECT " + COLUMNS + " FROM " + table + " WHERE bucket = ? AND sku IN ?", b, inBucket)
                .toCompletableFuture()));
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            var out = new HashMap<String, CatalogSku>();
            for (var read : reads) for (var row : read.join()) out.put(row.getString("sku"), entry(row));
            return out;
        });
    }

    /** A page of the catalogue in (bucket, SKU) order, after {@code cursor} (null: from the start). */
    public CompletionStage<SkuCatalog.Page> page(String cursor, int limit) {
        var from = Cursor.decode(cursor);
        return page(from.bucket(), from.afterSku(), limit, new ArrayList<>());
    }

    private CompletionStage<SkuCatalog.Page> page(int bucket, String after, int limit, List<CatalogSku> acc) {
        if (bucket >= BUCKETS) return CompletableFuture.completedFuture(new SkuCatalog.Page(acc, null));
        int wanted = limit - acc.size() + 1;
        return session.selectAll(
                        "SELECT " + COLUMNS + " FROM " + table + " WHERE bucket = ? AND sku > ? LIMIT ?",
                        bucket,
                        after,
                        wanted)
                .thenCompose(rows -> {
                    for (var row : rows) {
                        if (acc.size() == limit) {
                            var last = acc.get(acc.size() - 1).sku();
                            return CompletableFuture.completedFuture(
                                    new SkuCatalog.Page(acc, new Cursor(bucket, last).encode()));
                        }
                        acc.add(entry(row));
                    }
                    if (acc.size() == limit) {
                        // full: the next page starts after this row (in this bucket or the next)
                        var last = acc.get(acc.size() - 1).sku();
                        return hasMore(bucket, last)
                                .thenApply(more ->
                                        new SkuCatalog.Page(acc, more ? new Cursor(bucket, last).encode() : null));
                    }
                    return page(bucket + 1, "", limit, acc);
                });
    }

    private CompletionStage<Boolean> hasMore(int bucket, String after) {
        return session.selectOne("SELECT sku FROM " + table + " WHERE bucket = ? AND sku > ? LIMIT 1", bucket, after)
                .thenCompose(row -> row.isPresent() || bucket + 1 >= BUCKETS
                        ? CompletableFuture.completedFuture(row.isPresent())
                        : hasMore(bucket + 1, ""));
    }

    private static CatalogSku entry(Row row) {
        return new CatalogSku(
                row.getString("sku"),
                row.getBigDecimal("list_price"),
                row.getBigDecimal("cost"),
                row.getString("currency"),
                row.getString("category"),
                row.getString("name"),
                row.getInstant("list_price_since"),
                row.getBigDecimal("previous_list_price"),
                row.getString("updated_by"));
    }

    /** Where a page ends: a bucket and the last SKU listed in it; opaque to clients (base64url). */
    record Cursor(int bucket, String afterSku) {
        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((bucket + ":" + afterSku).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            if (cursor == null) return new Cursor(0, "");
            try {
                var text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                int bucket = Integer.parseInt(text.substring(0, colon));
                if (bucket < 0 || bucket >= BUCKETS) throw new IllegalArgumentException("bucket out of range");
                return new Cursor(bucket, text.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a catalogue cursor: " + cursor, e);
            }
        }
    }
}

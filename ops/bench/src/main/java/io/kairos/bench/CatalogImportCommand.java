package io.kairos.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench catalog-import}: a shop's whole catalogue through {@code PUT /v1/catalog/skus} (1,000 SKUs per
 * request), against the reference of the same rows written straight to Cassandra in the same run: single-row
 * asynchronous inserts into a copy of {@code catalog_skus} (same DDL, same driver settings as the journal's: QUORUM,
 * protocol v5) with 256 in flight. The import also reads each request's rows first (to keep the previous list price),
 * which the reference does not.
 *
 * <p>Then the node's heap: used heap after a full GC ({@code jcmd GC.run}, then {@code jvm_memory_used_bytes} from
 * {@code /metrics}) before the import, after it, and after every SKU was priced once through {@code GET
 * /v1/prices?skus=…} (which fills the catalogue's per-node cache up to {@code kairos.pricing.catalog .cache-size}); and
 * the time to page through {@code GET /v1/skus}.
 */
@Command(
        name = "catalog-import",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "PUT /v1/catalog/skus of a whole catalogue against raw Cassandra inserts of the same rows in the same run;"
                    + " prints the time, SKUs/s, the ratio and the node's heap before and after.",
            "Starts its own Cassandra node and Kairos node and stops them after."
        })
final class CatalogImportCommand implements Callable<Integer> {
    private static final int PER_REQUEST = 1000;
    private static final int RAW_IN_FLIGHT = 256;

    @Option(names = "--skus", defaultValue = "100000", description = "Catalogue SKUs (default ${DEFAULT-VALUE}).")
    int skus;

    @Option(
            names = "--concurrency",
            defaultValue = "2",
            description = "Import requests in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here (default: the launcher's).")
    String nodeJavaOpts;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("catalog-import");
        System.out.printf(
                "Kairos catalogue import benchmark; run directory %s%nnproc %d, load average %s%n",
                dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage());
        try (var stack = BenchStack.start(root.resolve("kairos"), dir, Optional.ofNullable(nodeJavaOpts))) {
            var report = new StringBuilder();
            long heapBefore = stack.heapAfterGc(http);

            var latencies = new long[(skus + PER_REQUEST - 1) / PER_REQUEST];
            long importNanos = importAll(stack, latencies);
            long heapImported = stack.heapAfterGc(http);

            long rawNanos = rawInserts(stack);

            long listNanos = System.nanoTime();
            int listed = listAll(stack);
            listNanos = System.nanoTime() - listNanos;

            long priceNanos = System.nanoTime();
            priceAll(stack);
            priceNanos = System.nanoTime() - priceNanos;
            long heapPriced = stack.heapAfterGc(http);

            Arrays.sort(latencies);
            double importRate = skus / (importNanos / 1e9);
            double rawRate = skus / (rawNanos / 1e9);
            report.append(
                    "%n%d SKUs, %d per request, %d requests in flight%n".formatted(skus, PER_REQUEST, concurrency));
            report.append("  import PUT /v1/catalog/skus   %7.1f s  %8.0f SKUs/s  request p50 %6.0f ms  p99 %6.0f ms%n"
                    .formatted(
                            importNanos / 1e9,
                            importRate,
                            latencies[latencies.length / 2] / 1e6,
                            latencies[(int) Math.ceil(latencies.length * 0.99) - 1] / 1e6));
            report.append("  reference raw inserts         %7.1f s  %8.0f rows/s (%d in flight)%n"
                    .formatted(rawNanos / 1e9, rawRate, RAW_IN_FLIGHT));
            report.append("  ratio import / raw inserts = %.2f%n".formatted(importRate / rawRate));
            report.append(
                    "  list GET /v1/skus (pages of 1000)  %d SKUs in %.1f s%n".formatted(listed, listNanos / 1e9));
            report.append(
                    "  price every SKU once (GET /v1/prices, 200 per request)  %.1f s%n".formatted(priceNanos / 1e9));
            report.append(
                    "  node heap used after full GC: before %.0f MiB, after import %.0f MiB, after pricing all %.0f MiB"
                                    .formatted(mib(heapBefore), mib(heapImported), mib(heapPriced))
                            + " (%.0f bytes per SKU cached)%n"
                                    .formatted((heapPriced - heapBefore) / (double) Math.min(skus, 100_000)));
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    private static String row(int i) {
        return "{\"sku\":\"%s\",\"listPrice\":%s,\"cost\":%s,\"category\":\"%s\",\"name\":\"%s\"}"
                .formatted(sku(i), listPrice(i), cost(i), category(i), name(i));
    }

    // SKU i of the catalogue, the same in the import and in the reference's rows
    private static String sku(int i) {
        return "sku-" + i;
    }

    private static BigDecimal listPrice(int i) {
        return BigDecimal.valueOf(1000 + (i % 90) * 100 + i % 100, 2);
    }

    private static BigDecimal cost(int i) {
        return BigDecimal.valueOf(500 + (i % 40) * 100, 2);
    }

    private static String category(int i) {
        return "c" + i % 50;
    }

    private static String name(int i) {
        return "SKU " + i;
    }

    private long importAll(BenchStack stack, long[] latencies) throws Exception {
        var pool = Executors.newFixedThreadPool(concurrency);
        try {
            var next = new AtomicInteger();
            var workers = new ArrayList<java.util.concurrent.Future<?>>();
            long start = System.nanoTime();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int r = next.getAndIncrement(); r < latencies.length; r = next.getAndIncrement()) {
                        var body = new StringJoiner(",", "{\"skus\":[", "]}");
                        for (int i = r * PER_REQUEST; i < Math.min(skus, (r + 1) * PER_REQUEST); i++) body.add(row(i));
                        long t0 = System.nanoTime();
                        stack.send(http, "PUT", "/v1/catalog/skus", body.toString(), 200);
                        latencies[r] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (var w : workers) w.get();
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same rows, written straight to a copy of the table. */
    private long rawInserts(BenchStack stack) throws Exception {
        var keyspace = "kairos_bench";
        try (CqlSession session = RawInsertReference.open(stack.cassandra())) {
            var schema = SchemaSettings.defaults().withKairosKeyspace(keyspace);
            for (var statement : CassandraSchema.statements(schema)) {
                if (statement.startsWith("CREATE KEYSPACE IF NOT EXISTS " + keyspace)
                        || statement.startsWith("CREATE TABLE IF NOT EXISTS " + keyspace + ".catalog_skus ")) {
                    session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(30)));
                }
            }
            session.checkSchemaAgreement();
            var insert = session.prepare("INSERT INTO " + keyspace + ".catalog_skus (bucket, sku, list_price, cost,"
                    + " currency, category, name, list_price_since, previous_list_price, updated_by, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            var inFlight = new Semaphore(RAW_IN_FLIGHT);
            var failures = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < skus; i++) {
                inFlight.acquire();
                var sku = sku(i);
                var now = Instant.now();
                session.executeAsync(insert.bind(
                                Math.floorMod(sku.hashCode(), 16),
                                sku,
                                listPrice(i),
                                cost(i),
                                "EUR",
                                category(i),
                                name(i),
                                now,
                                null,
                                "bench",
                                now))
                        .whenComplete((rs, e) -> {
                            if (e != null) failures.incrementAndGet();
                            inFlight.release();
                        });
            }
            inFlight.acquire(RAW_IN_FLIGHT);
            long took = System.nanoTime() - start;
            if (failures.get() > 0) throw new IllegalStateException(failures.get() + " raw inserts failed");
            return took;
        }
    }

    private int listAll(BenchStack stack) throws Exception {
        int listed = 0;
        String cursor = null;
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        do {
            var page = json.readTree(stack.send(
                    http, "GET", "/v1/skus?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), null, 200));
            listed += page.path("skus").size();
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        if (listed != skus) throw new IllegalStateException("listed " + listed + " SKUs, imported " + skus);
        return listed;
    }

    private void priceAll(BenchStack stack) throws Exception {
        for (int from = 0; from < skus; from += 200) {
            var list = new StringJoiner(",");
            for (int i = from; i < Math.min(skus, from + 200); i++) list.add(sku(i));
            stack.send(http, "GET", "/v1/prices?skus=" + list, null, 200);
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}

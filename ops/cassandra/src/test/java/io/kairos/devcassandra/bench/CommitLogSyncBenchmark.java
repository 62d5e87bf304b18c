package io.kairos.devcassandra.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.devcassandra.CommitLogSync;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.DevCassandraSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Write latency and throughput of journal-shaped writes under each commitlog_sync mode, on a real dev node.
 *
 * <p>Each round restarts one node per mode on the same data directory and measures (1) one writer persisting serially,
 * one round trip per event, as a single entity does, and (2) many entities writing concurrently with a bounded number
 * of requests in flight. Rows go through akka-persistence-cassandra 1.1.1's own insert into {@code messages}, 200-byte
 * payloads. It also times raw 4 KiB write+fsync on the same disk, which is the floor batch and group pay.
 *
 * <p>Run from the repository root (prints a table; takes a few minutes):
 *
 * <pre>
 * mvn -q -pl ops/cassandra test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kairos.devcassandra.bench.CommitLogSyncBenchmark \
 *   -Dexec.args="--modes periodic:10000ms,batch,group:2ms,group:10ms --rounds 2"
 * </pre>
 */
public final class CommitLogSyncBenchmark {

    private static final int WARMUP = 2_000;

    private CommitLogSyncBenchmark() {}

    public static void main(String[] args) throws Exception {
        var modes = List.of(
                CommitLogSync.periodic(java.time.Duration.ofSeconds(10)),
                CommitLogSync.batch(),
                CommitLogSync.group(java.time.Duration.ofMillis(2)),
                CommitLogSync.group(java.time.Duration.ofMillis(10)));
        int rounds = 1;
        int serial = 2_000;
        int concurrent = 20_000;
        int inFlight = 32;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--modes" ->
                    modes = java.util.Arrays.stream(args[i + 1].split(","))
                            .map(CommitLogSync::parse)
                            .toList();
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--serial" -> serial = Integer.parseInt(args[i + 1]);
                case "--concurrent" -> concurrent = Integer.parseInt(args[i + 1]);
                case "--in-flight" -> inFlight = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
        }
        var dataDir = Path.of("ops", "cassandra", "target").toFile().isDirectory()
                ? Path.of("ops", "cassandra", "target", "bench-commitlog")
                : Path.of("target", "bench-commitlog");
        BenchSupport.deleteTree(dataDir);
        Files.createDirectories(dataDir);
        System.out.printf("load before: %s%n", BenchSupport.loadAverage());
        System.out.printf("raw fsync on %s: %s%n", dataDir.toAbsolutePath(), rawFsync(dataDir));
        System.out.printf(
                "%-5s %-16s | %-38s | %-34s%n",
                "round",
                "commitlog_sync",
                "serial (1 writer): p50/p90/p99 us, ev/s",
                "concurrent (" + inFlight + " in flight): ev/s, p50/p99 us");
        var settings = DevCassandraSettings.defaults(dataDir).withFreePorts();
        for (int round = 1; round <= rounds; round++) {
            for (var mode : modes) {
                try (var node = DevCassandra.start(settings.with(c -> c.commitLogSync = mode));
                        var session = CassandraSchema.openSession(node.contactPoint())) {
                    CassandraSchema.apply(session, SchemaSettings.defaults());
                    var insert = session.prepare("INSERT INTO kairos_journal.messages (persistence_id, partition_nr, "
                            + "sequence_nr, timestamp, timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, "
                            + "event, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    var run = "r" + round + "-" + mode;
                    concurrentWrites(session, insert, run + "-warmup", WARMUP, inFlight);
                    var serialResult = serialWrites(session, insert, run + "-serial", serial);
                    var concurrentResult = concurrentWrites(session, insert, run + "-concurrent", concurrent, inFlight);
                    System.out.printf("%-5d %-16s | %-38s | %-34s%n", round, mode, serialResult, concurrentResult);
                }
            }
        }
        System.out.printf("load after: %s%n", BenchSupport.loadAverage());
        BenchSupport.deleteTree(dataDir);
    }

    private static String serialWrites(CqlSession session, PreparedStatement insert, String pid, int count) {
        var nanos = new long[count];
        long begun = System.nanoTime();
        for (int seq = 0; seq < count; seq++) {
            long start = System.nanoTime();
            session.execute(bind(insert, pid, seq));
            nanos[seq] = System.nanoTime() - start;
        }
        long total = System.nanoTime() - begun;
        var sorted = BenchSupport.sorted(nanos);
        return String.format(
                "%d/%d/%d, %.0f",
                BenchSupport.micros(sorted, 0.5),
                BenchSupport.micros(sorted, 0.9),
                BenchSupport.micros(sorted, 0.99),
                count / (total / 1e9));
    }

    private static String concurrentWrites(
            CqlSession session, PreparedStatement insert, String run, int count, int inFlight)
            throws InterruptedException {
        var nanos = new long[count];
        var permits = new Semaphore(inFlight);
        var failure = new AtomicReference<Throwable>();
        var futures = new ArrayList<CompletableFuture<?>>(count);
        long begun = System.nanoTime();
        for (int i = 0; i < count && failure.get() == null; i++) {
            permits.acquire();
            int index = i;
            long start = System.nanoTime();
            // 100 entities, each persisting its events in order.
            var future = session.executeAsync(bind(insert, run + "-" + (i % 100), i / 100))
                    .toCompletableFuture();
            futures.add(future.whenComplete((result, error) -> {
                nanos[index] = System.nanoTime() - start;
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                permits.release();
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        if (failure.get() != null) {
            throw new IllegalStateException("A write failed", failure.get());
        }
        long total = System.nanoTime() - begun;
        var sorted = BenchSupport.sorted(nanos);
        return String.format(
                "%.0f, %d/%d",
                count / (total / 1e9), BenchSupport.micros(sorted, 0.5), BenchSupport.micros(sorted, 0.99));
    }

    private static com.datastax.oss.driver.api.core.cql.BoundStatement bind(
            PreparedStatement insert, String pid, long seq) {
        return insert.bind(
                pid,
                0L,
                seq,
                Uuids.timeBased(),
                "20260101T10",
                "bench-writer",
                33,
                "BenchEvent",
                "",
                ByteBuffer.wrap(new byte[200]),
                Set.of("bench"));
    }

    /** 500 sequential 4 KiB appends each followed by fdatasync, on the data directory's file system. */
    private static String rawFsync(Path dir) throws IOException {
        var file = dir.resolve("fsync-probe");
        var nanos = new long[500];
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            var block = ByteBuffer.allocate(4096);
            for (int i = 0; i < nanos.length; i++) {
                block.clear();
                long start = System.nanoTime();
                channel.write(block);
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        var sorted = BenchSupport.sorted(nanos);
        return String.format(
                "4 KiB write+fdatasync p50 %d us, p99 %d us",
                BenchSupport.micros(sorted, 0.5), BenchSupport.micros(sorted, 0.99));
    }
}

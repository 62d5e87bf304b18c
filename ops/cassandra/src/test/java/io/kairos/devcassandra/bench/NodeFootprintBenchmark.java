package io.kairos.devcassandra.bench;

import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.DevCassandraSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What a dev node costs: cold boot to CQL-ready, schema, RSS idle and after writes, graceful stop, warm restart, and
 * restart after kill -9 (commit log replay), for the dev settings and for {@code TestCassandra}'s.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -q -pl ops/cassandra test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kairos.devcassandra.bench.NodeFootprintBenchmark -Dexec.args="--rounds 2"
 * </pre>
 */
public final class NodeFootprintBenchmark {

    private NodeFootprintBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 1;
        var base = Path.of("ops", "cassandra", "target").toFile().isDirectory()
                ? Path.of("ops", "cassandra", "target")
                : Path.of("target");
        System.out.printf("load before: %s%n", BenchSupport.loadAverage());
        System.out.printf(
                "%-6s %-5s | %-22s | %-8s | %-9s | %-10s | %-7s | %-8s | %-8s%n",
                "node",
                "round",
                "cold boot s (cpu s)",
                "schema s",
                "rss idle",
                "rss 20k wr",
                "stop s",
                "warm s",
                "kill-9 s");
        for (int round = 1; round <= rounds; round++) {
            for (var profile : List.of("dev", "test")) {
                var dir = base.resolve("bench-footprint-" + profile);
                BenchSupport.deleteTree(dir);
                var settings = DevCassandraSettings.defaults(dir).withFreePorts();
                if (profile.equals("test")) {
                    // What TestCassandra uses.
                    settings = settings.withMaxHeap("384m")
                            .withMemtableSpaceMiB(64)
                            .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1"));
                }
                System.out.println(measure(profile, round, settings));
                BenchSupport.deleteTree(dir);
            }
        }
        System.out.printf("load after: %s%n", BenchSupport.loadAverage());
    }

    private static String measure(String profile, int round, DevCassandraSettings settings) throws Exception {
        long begun = System.nanoTime();
        var node = DevCassandra.start(settings);
        double boot = seconds(begun);
        long pid = node.pid().orElseThrow();
        double bootCpu = BenchSupport.cpuSeconds(pid);
        long rssIdle;
        long rssLoaded;
        double schema;
        try (var session = CassandraSchema.openSession(node.contactPoint())) {
            begun = System.nanoTime();
            CassandraSchema.apply(session, SchemaSettings.defaults());
            schema = seconds(begun);
            rssIdle = BenchSupport.rssMiB(pid);
            var insert = session.prepare("INSERT INTO kairos_journal.messages (persistence_id, partition_nr, "
                    + "sequence_nr, timestamp, ser_id, ser_manifest, event_manifest, event) "
                    + "VALUES (?, 0, ?, now(), 33, 'BenchEvent', '', ?)");
            var permits = new Semaphore(32);
            var writes = new ArrayList<CompletableFuture<?>>();
            for (int i = 0; i < 20_000; i++) {
                permits.acquire();
                writes.add(session.executeAsync(
                                insert.bind("footprint-" + (i % 100), (long) (i / 100), ByteBuffer.wrap(new byte[200])))
                        .toCompletableFuture()
                        .whenComplete((r, e) -> permits.release()));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            rssLoaded = BenchSupport.rssMiB(pid);
        }
        begun = System.nanoTime();
        node.close();
        double stop = seconds(begun);

        begun = System.nanoTime();
        node = DevCassandra.start(settings);
        double warm = seconds(begun);

        var process = ProcessHandle.of(node.pid().orElseThrow()).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        begun = System.nanoTime();
        node = DevCassandra.start(settings);
        double afterKill = seconds(begun);
        node.close();

        return String.format(
                "%-6s %-5d | %-22s | %-8.1f | %-9s | %-10s | %-7.1f | %-8.1f | %-8.1f",
                profile,
                round,
                String.format("%.1f (%.1f)", boot, bootCpu),
                schema,
                rssIdle + " MiB",
                rssLoaded + " MiB",
                stop,
                warm,
                afterKill);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}

package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starting, reusing, killing and stopping a real node. The tests share one node (a boot costs 10-25 s here) and each
 * restarts it first if an earlier one stopped it, so their order does not matter.
 */
class DevCassandraLifecycleTest {

    private static final Pattern REPLAYED = Pattern.compile("Log replay complete, (\\d+) replayed mutations");

    private static DevCassandraSettings settings;
    private static DevCassandra node;

    @BeforeAll
    static void startNode() {
        settings = DevCassandraSettings.defaults(Path.of(
                        "target",
                        "dev-cassandra-lifecycle-" + ProcessHandle.current().pid()))
                .withFreePorts()
                .withMaxHeap("384m")
                .withMemtableSpaceMiB(64)
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1"));
        node = DevCassandra.start(settings);
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void aKilledNodeReplaysItsCommitLogOnRestartAndLosesNoAcknowledgedWrite() throws Exception {
        var running = running();
        try (var session = CassandraSchema.openSession(running.contactPoint())) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS lifecycle WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS lifecycle.acked (id int PRIMARY KEY, value text)");
            session.execute("TRUNCATE lifecycle.acked");
            var insert = session.prepare("INSERT INTO lifecycle.acked (id, value) VALUES (?, ?)");
            for (int id = 0; id < 200; id++) {
                session.execute(insert.bind(id, "value-" + id));
            }
        }
        var process = ProcessHandle.of(running.pid().orElseThrow()).orElseThrow();
        long logBefore = Files.size(ServerConfig.systemLog(settings.dataDir()));

        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        node = DevCassandra.start(settings);

        assertThat(node.startedHere()).isTrue();
        assertThat(node.pid().orElseThrow()).isNotEqualTo(process.pid());
        try (var session = CassandraSchema.openSession(node.contactPoint())) {
            var rows = session.execute("SELECT id, value FROM lifecycle.acked").all();
            assertThat(rows).hasSize(200).allSatisfy(r -> assertThat(r.getString("value"))
                    .isEqualTo("value-" + r.getInt("id")));
        }
        var replay = REPLAYED.matcher(logSince(logBefore));
        assertThat(replay.find()).as("the restart replayed the commit log").isTrue();
        assertThat(Integer.parseInt(replay.group(1))).isGreaterThanOrEqualTo(200);
    }

    @Test
    void closeStopsTheNodeItStartedGracefully() throws IOException {
        var running = running();
        var process = ProcessHandle.of(running.pid().orElseThrow()).orElseThrow();
        long logBefore = Files.size(ServerConfig.systemLog(settings.dataDir()));

        running.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(running.isRunning()).isFalse();
        assertThat(Cql.acceptsConnections(settings.contactPoint())).isFalse();
        assertThat(ServerConfig.pidFile(settings.dataDir())).doesNotExist();
        // Logged by Cassandra's shutdown hook after draining, which SIGKILL would have skipped.
        assertThat(logSince(logBefore)).contains("Cassandra shutdown complete");
    }

    @Test
    void startReusesANodeThatAlreadyAnswersAndDoesNotStopItOnClose() {
        var running = running();

        try (var second = DevCassandra.start(settings.withDataDir(Path.of("target", "unused-by-reuse")))) {
            assertThat(second.startedHere()).isFalse();
            assertThat(second.pid()).isEmpty();
            assertThat(second.contactPoint()).isEqualTo(running.contactPoint());
        }

        assertThat(running.isRunning()).isTrue();
        assertThat(Cql.localNode(running.contactPoint())).isPresent();
        assertThat(Path.of("target", "unused-by-reuse")).doesNotExist();
    }

    private static DevCassandra running() {
        if (!node.isRunning()) {
            node = DevCassandra.start(settings);
        }
        return node;
    }

    private static String logSince(long offset) throws IOException {
        try (var log =
                new RandomAccessFile(ServerConfig.systemLog(settings.dataDir()).toFile(), "r")) {
            var bytes = new byte[(int) (log.length() - offset)];
            log.seek(offset);
            log.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node is launched with: its yaml, its command line and its settings' rules; no node is started. */
class ServerSetupTest {

    @TempDir
    Path dir;

    @Test
    void theYamlSeedsTheNodeWithItselfOnItsOwnStoragePortAndKeepsEveryDirectoryUnderTheDataDir() {
        var settings = DevCassandraSettings.defaults(dir).with(c -> {
            c.storagePort = 21000;
            c.nativePort = 21042;
            c.jmxPort = 21199;
        });

        var yaml = ServerConfig.yaml(settings);

        assertThat(yaml)
                .contains("seeds: '127.0.0.1:21000'")
                .contains("storage_port: 21000\n")
                .contains("native_transport_port: 21042\n")
                .contains("endpoint_snitch: SimpleSnitch\n")
                .contains("num_tokens: 1\n", "initial_token: 0\n")
                .contains("commitlog_sync: batch\n")
                .contains("memtable_heap_space: 128MiB\n");
        for (var directory : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw")) {
            assertThat(yaml).contains("'" + dir.resolve(directory) + "'");
        }
    }

    @Test
    void quotesInTheClusterNameCannotBreakTheYaml() {
        assertThat(ServerConfig.yaml(DevCassandraSettings.defaults(dir).with(c -> c.clusterName = "Kairos' dev")))
                .contains("cluster_name: 'Kairos'' dev'\n");
    }

    @Test
    void theCommandRunsCassandraDaemonWithJammTheJdkOpeningsAndExtraOptionsLast() {
        var settings = DevCassandraSettings.defaults(dir)
                .withMaxHeap("384m")
                .with(c -> c.jmxPort = 21199)
                .withExtraJvmOptions(List.of("-Xmx1g"));
        var classpath = List.of(Path.of("/lib/cassandra-all-5.0.9.jar"), Path.of("/lib/jamm-0.4.0.jar"));

        var command = ServerCommand.build(settings, classpath, Optional.of(dir.resolve("watch.jar")));

        assertThat(command.get(0))
                .isEqualTo(settings.javaHome().resolve("bin/java").toString());
        assertThat(command)
                .containsSubsequence(
                        "-Xmx384m",
                        "-Xmx1g",
                        "-cp",
                        "/lib/cassandra-all-5.0.9.jar:/lib/jamm-0.4.0.jar",
                        ServerCommand.MAIN_CLASS);
        assertThat(command.get(command.size() - 1)).isEqualTo(ServerCommand.MAIN_CLASS);
        assertThat(command)
                .containsAll(ServerCommand.JVM17_SERVER_OPTIONS)
                .contains(
                        "-javaagent:/lib/jamm-0.4.0.jar",
                        "-Dcassandra-foreground=yes",
                        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                        "-Dcassandra.jmx.local.port=21199",
                        "-Dcassandra.config=" + dir.resolve("cassandra.yaml").toUri(),
                        "-Dlogback.configurationFile=" + dir.resolve("logback.xml"));
        assertThat(command)
                .anyMatch(arg -> arg.startsWith("-javaagent:" + dir.resolve("watch.jar") + "="
                        + ProcessHandle.current().pid() + ":"));
    }

    @Test
    void aDetachedNodeHasNoParentWatch() {
        var command = ServerCommand.build(
                DevCassandraSettings.defaults(dir).with(c -> c.detached = true),
                List.of(Path.of("/lib/cassandra-all-5.0.9.jar"), Path.of("/lib/jamm-0.4.0.jar")),
                Optional.empty());

        assertThat(command)
                .filteredOn(arg -> arg.startsWith("-javaagent:"))
                .containsExactly("-javaagent:/lib/jamm-0.4.0.jar");
    }

    @Test
    void settingsRejectSharedPortsAndNonsenseSizes() {
        var settings = DevCassandraSettings.defaults(dir);

        assertThatThrownBy(() -> settings.with(c -> c.storagePort = settings.nativePort()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withMaxHeap("512")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.with(c -> c.startTimeout = Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(settings.dataDir()).isAbsolute();
    }

    @Test
    void freePortsAreDistinctAndOutsideTheEphemeralRange() {
        var settings = DevCassandraSettings.defaults(dir).withFreePorts();

        assertThat(List.of(settings.nativePort(), settings.storagePort(), settings.jmxPort()))
                .doesNotHaveDuplicates()
                .allSatisfy(port -> assertThat(port).isBetween(20_000, 32_000))
                .doesNotContain(9042, 7000, 7199);
    }

    @Test
    void commitLogSyncModesRenderTheirYamlAndParseBack() {
        assertThat(CommitLogSync.batch().yaml()).isEqualTo("commitlog_sync: batch\n");
        assertThat(CommitLogSync.group(Duration.ofMillis(15)).yaml())
                .isEqualTo("commitlog_sync: group\ncommitlog_sync_group_window: 15ms\n");
        assertThat(CommitLogSync.periodic(Duration.ofSeconds(10)).yaml())
                .isEqualTo("commitlog_sync: periodic\ncommitlog_sync_period: 10000ms\n");
        for (var mode : List.of(
                CommitLogSync.batch(),
                CommitLogSync.group(Duration.ofMillis(2)),
                CommitLogSync.periodic(Duration.ofMillis(10_000)))) {
            assertThat(CommitLogSync.parse(mode.toString())).isEqualTo(mode);
        }
        assertThat(CommitLogSync.periodic(Duration.ofSeconds(10)).durableOnAck())
                .isFalse();
        assertThat(CommitLogSync.group(Duration.ofMillis(2)).durableOnAck()).isTrue();
        assertThatThrownBy(() -> CommitLogSync.parse("fsync")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommitLogSync.parse("group")).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node must not outlive the JVM that launched it, even when that JVM is killed and runs no shutdown hook. */
class ParentWatchTest {

    @Test
    void theNodeStopsGracefullyWhenTheJvmThatLaunchedItIsKilled() throws Exception {
        var dataDir = Path.of(
                        "target", "parent-watch-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        int[] ports = Ports.free(3);
        var launcher = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DevCassandraMain.class.getName(),
                        dataDir.toString(),
                        Integer.toString(ports[0]),
                        Integer.toString(ports[1]),
                        Integer.toString(ports[2]))
                .redirectErrorStream(true)
                .start();
        ProcessHandle node = null;
        try {
            var ready = CompletableFuture.supplyAsync(() -> readyLine(launcher));
            var line = ready.get(240, TimeUnit.SECONDS);
            node = ProcessHandle.of(Long.parseLong(line.replaceAll(".*pid=(\\d+).*", "$1")))
                    .orElseThrow();

            launcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            node.onExit().get(60, TimeUnit.SECONDS);
            assertThat(node.isAlive()).isFalse();
            assertThat(Files.readString(ServerConfig.processOutput(dataDir)))
                    .contains("kairos-parent-watch: launching JVM");
            assertThat(Files.readString(ServerConfig.systemLog(dataDir))).contains("Cassandra shutdown complete");
        } finally {
            launcher.destroyForcibly();
            if (node != null) {
                node.destroyForcibly();
            }
        }
    }

    /** The launcher's READY line; fails with its output when it exits before printing one. */
    private static String readyLine(Process launcher) {
        var seen = new ArrayList<String>();
        // Not closed here: after READY a daemon thread keeps draining it, so the launcher never blocks on a full pipe.
        var out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    var drain = new Thread(() -> out.lines().forEach(ignored -> {}), "launcher-output");
                    drain.setDaemon(true);
                    drain.start();
                    return line;
                }
                seen.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("The launcher exited without READY:\n" + String.join("\n", seen));
    }
}

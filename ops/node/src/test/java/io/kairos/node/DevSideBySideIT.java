package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.devcassandra.DevCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code kairos dev} processes started at the same moment on one machine, each given only its API port: each gets a
 * data directory, a dev Cassandra and management, remoting and Cassandra ports of its own, serves its own events only,
 * and on SIGTERM stops with its Cassandra inside its shutdown phases, without a shard region timing out.
 */
class DevSideBySideIT {
    private static final Pattern CASSANDRA = Pattern.compile("Cassandra {4}127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management {3}http://127\\.0\\.0\\.1:(\\d+)/ready");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twoDevInstancesRunSideBySideAndStopCleanly(@TempDir Path work) throws Exception {
        var basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        var classpath = ClusterHarness.nodeClasspath(basedir);
        int[] api = {DevCassandra.freePort(), DevCassandra.freePort()};
        var processes = new ArrayList<Process>();
        try {
            for (int port : api) processes.add(dev(classpath, work, port));
            for (int i = 0; i < 2; i++) awaitBanner(work.resolve("dev-" + api[i] + ".out"));
            var first = Files.readString(work.resolve("dev-" + api[0] + ".out"));
            var second = Files.readString(work.resolve("dev-" + api[1] + ".out"));
            assertThat(first).contains("Data         " + work.resolve(".kairos-" + api[0]));
            assertThat(second).contains("Data         " + work.resolve(".kairos-" + api[1]));
            assertThat(port(CASSANDRA, first)).isNotEqualTo(port(CASSANDRA, second));
            assertThat(port(MANAGEMENT, first)).isNotEqualTo(port(MANAGEMENT, second));

            for (int port : api) {
                var events = "{\"events\":[{\"eventId\":\"side-" + port + "\",\"shopperId\":\"only-on-" + port
                        + "\",\"type\":\"view\",\"occurredAt\":\""
                        + Instant.now().minusSeconds(5) + "\"}]}";
                var accepted = http.send(
                        request(port, "/v1/events", "dev-ingest")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(events))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(accepted.statusCode()).as("%s", accepted.body()).isEqualTo(202);
            }
            for (int port : api) {
                for (int other : api) {
                    var read = http.send(
                            request(port, "/v1/shoppers/only-on-" + other, "dev-admin")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(read.statusCode())
                            .as("only-on-%s read on %s", other, port)
                            .isEqualTo(port == other ? 200 : 404);
                }
            }

            for (var p : processes) p.destroy(); // SIGTERM
            for (var p : processes) assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (int port : api) {
                var output = Files.readString(work.resolve("dev-" + port + ".out"));
                assertThat(output)
                        .as("the output of the node on %s ends", port)
                        .contains("Stopping the dev Cassandra node")
                        .containsPattern("Cassandra pid \\d+ stopped");
                // the offending lines themselves (the whole output is too long for a failure message)
                assertThat(output.lines().filter(DevSideBySideIT::shutdownTimeout))
                        .as("shutdown timeouts of the node on %s", port)
                        .isEmpty();
            }
        } finally {
            for (var p : processes) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            // A dev Cassandra outlives its node by design (detached): none of this test's may outlive the test.
            ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().orElse("").contains(work.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** {@code kairos dev} as the launcher runs it, in {@code work}, with only its API port given. */
    private static Process dev(String classpath, Path work, int port) throws Exception {
        var command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                classpath,
                "io.kairos.node.KairosMain",
                "dev");
        var builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("dev-" + port + ".out").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KAIROS_"));
        builder.environment().put("KAIROS_HTTP_PORT", Integer.toString(port));
        return builder.start();
    }

    private static void awaitBanner(Path output) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.exists(output) && Files.readString(output).contains("Kairos dev node is up"));
    }

    private static boolean shutdownTimeout(String line) {
        return line.contains("Graceful shutdown of shard region timed out")
                || line.contains("Coordinated shutdown phase");
    }

    private static int port(Pattern pattern, String output) {
        var m = pattern.matcher(output);
        assertThat(m.find()).as("%s in the banner", pattern).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static HttpRequest.Builder request(int port, String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30));
    }
}

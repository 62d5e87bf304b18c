package io.kairos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading Gatling 3.14's console summary, from logs of real runs against a node. */
class GatlingSummaryTest {

    @Test
    void readsCountsPercentilesAndThroughputOfAPassingRun() throws IOException {
        var summary = GatlingSummary.parse(log("ok-run.log"));

        assertCounts(summary, 120, 120, 0, 20.0);
        assertThat(summary.percentilesMs())
                .containsExactlyInAnyOrderEntriesOf(Map.of(50.0, 25.0, 95.0, 280.0, 99.0, 401.0, 99.9, 404.0));
        assertThat(summary.meanMs()).isEqualTo(55.0);
        assertThat(summary.maxMs()).isEqualTo(404.0);
        assertThat(summary.errors()).isEmpty();
    }

    @Test
    void readsTheFinalSummaryNotTheProgressBlocksAndGroupsErrors() throws IOException {
        var summary = GatlingSummary.parse(log("failed-run.log"));

        assertCounts(summary, 500, 0, 500, 0.0);
        assertThat(summary.percentile(99)).isEqualTo(25_115.0);
        assertThat(summary.errors())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "status.find.is(202), found 503", 401L,
                        "i.n.c.ConnectTimeoutException: connection timed out after 10000 ms: /127.0.0.1:23080", 89L,
                        "i.g.h.c.i.PrematureCloseException: Premature close", 10L));
    }

    @Test
    void separatesOkAndFailedRequestsOfAnOverloadedRun() throws IOException {
        var summary = GatlingSummary.parse(log("overloaded-run.log"));

        assertCounts(summary, 150, 21, 129, 0.91);
        assertThat(summary.percentile(50)).isEqualTo(5_267.0);
        assertThat(summary.okP99Ms()).as("the acknowledged requests' p99").isEqualTo(2_849.0);
        assertThat(summary.koP99Ms()).as("the refused requests' p99").isEqualTo(8_782.0);
        assertThat(summary.errors()).containsExactly(Map.entry("status.find.is(202), found 503", 129L));
    }

    @Test
    void readsCountsWithThousandsSeparatorsInTheErrorBlock() throws IOException {
        var summary = GatlingSummary.parse(log("saturated-run.log"));

        assertCounts(summary, 6_834, 4_658, 2_176, 116.45);
        assertThat(summary.errors())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "status.find.is(202), found 503", 1_732L,
                        "Request timeout after 10000 ms", 332L,
                        "Request timeout to 127.0.0.1/127.0.0.1:22554 after 10000 ms", 112L));
        assertThat(summary.errors().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(summary.ko());
    }

    @Test
    void refusesOutputWithoutASummary() {
        assertThatThrownBy(() -> GatlingSummary.parse(
                        List.of("Simulation io.kairos.bench.load.IngestSimulation started...", "Run crashed")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Global Information");
    }

    @Test
    void namesTheMissingPercentile() throws IOException {
        var summary = GatlingSummary.parse(log("ok-run.log"));

        assertThatThrownBy(() -> summary.percentile(75)).hasMessageContaining("75.0");
    }

    /** Requests in all, of which ok and failed (ko), and ok requests per second. */
    private static void assertCounts(GatlingSummary summary, long requests, long ok, long ko, double okPerSecond) {
        assertThat(summary.requests()).isEqualTo(requests);
        assertThat(summary.ok()).isEqualTo(ok);
        assertThat(summary.ko()).isEqualTo(ko);
        assertThat(summary.okPerSecond()).isEqualTo(okPerSecond);
    }

    private static List<String> log(String name) throws IOException {
        try (InputStream in = GatlingSummaryTest.class.getResourceAsStream("/gatling/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}

package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.tools.ToolsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The shop simulator's small version (issue 14), Kairos through the HTTP API of a real dev node on a simulated clock: a
 * week of 600 shoppers against no coupons and a blanket coupon. Kairos issues and redeems coupons, the node's campaigns
 * never spend beyond the budget, and the simulator moved the node's clock through the week; once the week's outcomes
 * are final in simulated time, a training run reads its decisions from the journal. A second shop on the same node is
 * refused.
 */
class ShopSimIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "2027-02-01T00:00:00Z";

    @Test
    void aWeekOfAShopDrivesKairosOnItsSimulatedClockWithinBudget() throws Exception {
        try (var node = NodeHarness.start(
                NodeHarness.freshSchema("shopsim"),
                // a dev node's cold start: a quarter of the decisions explore while no model is trained
                "kairos.mode = dev\nkairos.offers.exploration.cold-start = 0.25\n"
                        + "kairos.clock { mode = simulated, start = \"" + START + "\" }")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var out = new StringWriter();
            var err = new StringWriter();
            var chart = Files.createTempFile("shop-sim", ".png");
            int exit = shopSim(
                    node,
                    out,
                    err,
                    "--shoppers=600",
                    "--days=7",
                    "--budget=300",
                    "--seed=11",
                    "--policies=none,blanket,kairos",
                    "--chart=" + chart,
                    "--json");
            assertThat(exit).as(err.toString()).isZero();
            var report = JSON.readTree(out.toString());
            var kairos = report.path("policies").path("kairos");
            assertThat(kairos.path("issued").asLong()).as(out.toString()).isPositive();
            assertThat(kairos.path("redeemed").asLong())
                    .isLessThanOrEqualTo(kairos.path("issued").asLong());
            assertThat(kairos.path("budgetUsedByNode").asDouble()).isLessThanOrEqualTo(300.0);
            assertThat(report.path("policies").path("none").path("issued").asLong())
                    .isZero();
            assertThat(report.path("policies")
                            .path("blanket")
                            .path("budgetUsed")
                            .asDouble())
                    .isLessThanOrEqualTo(300.0);
            assertThat(Files.size(chart)).isPositive();
            // the simulator moved the node's clock to its last day
            var clock = Instant.parse(
                    JSON.readTree(node.get("/v1/dev/clock").body()).path("now").asText());
            assertThat(clock).isEqualTo(Instant.parse(START).plus(Duration.ofDays(6)));

            // a second shop on the same node is refused: the first one's shoppers would take this one's coupons
            var refused = new StringWriter();
            int second = shopSim(
                    node, new StringWriter(), refused, "--shoppers=50", "--days=1", "--seed=12", "--policies=kairos");
            assertThat(second).isNotZero();
            assertThat(refused.toString()).contains("already has campaigns", "fresh data");

            // once the week's outcome window has passed in simulated time, the learning loop reads its decisions
            // (dated in simulated time, written in real time) from the journal
            assertThat(node.post("/v1/dev/clock", "{\"advanceBy\":\"P15D\"}").statusCode())
                    .isEqualTo(200);
            // the clock's jump is past the loop's schedule too: an operator's run waits for a scheduled one (409)
            var started = new java.util.concurrent.atomic.AtomicReference<java.net.http.HttpResponse<String>>();
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        started.set(node.post("/v1/models/offer-uplift/train", "{}"));
                        return started.get().statusCode() != 409;
                    });
            assertThat(started.get().statusCode()).as(started.get().body()).isEqualTo(202);
            var run = new java.util.concurrent.atomic.AtomicReference<com.fasterxml.jackson.databind.JsonNode>();
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        for (var r : JSON.readTree(
                                        node.get("/v1/models/offer-uplift").body())
                                .path("runs"))
                            if (r.path("trigger").asText().equals("operator")) {
                                run.set(r);
                                return true;
                            }
                        return false;
                    });
            int read = run.get().path("training").path("decisions").asInt()
                    + run.get().path("evaluation").path("decisions").asInt();
            assertThat(read).as("%s", run.get()).isPositive();
        }
    }

    /** {@code ./kairos shop-sim} against {@code node} with its admin key, its output and errors into the writers. */
    private static int shopSim(NodeHarness node, StringWriter out, StringWriter err, String... options) {
        var args = new java.util.ArrayList<>(java.util.List.of(
                "shop-sim", "--url=http://127.0.0.1:" + node.httpPort, "--api-key=" + NodeHarness.ADMIN_KEY));
        args.addAll(java.util.List.of(options));
        return ToolsMain.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
    }
}

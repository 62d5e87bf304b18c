package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The operator console in a real browser: {@code ops/console-test/console.spec.mjs} (Playwright's library driving
 * Debian's Chromium) against a node with campaigns, SKUs, shoppers and offers. Every page loads without a console error
 * and draws its charts, a campaign is created, paused and resumed through the UI, an auditor can neither see nor make a
 * change, the page fits a phone's width; screenshots go to {@code ops/node/target/console-screenshots}. {@code .ci/run}
 * installs Chromium and the script's {@code node_modules} and sets {@code KAIROS_BROWSER_TEST=required}; elsewhere the
 * test is skipped when either is missing.
 */
class ConsoleBrowserIT {
    private static final Path SCRIPT_DIR =
            Path.of("..", "console-test").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String OPERATOR = "console-operator-key";
    private static final String AUDITOR = "console-auditor-key";

    private static void ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    @Test
    void everyPageWorksInChromiumAndTheRolesHold() throws Exception {
        boolean ready = Files.isExecutable(CHROMIUM)
                && Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("playwright-core"));
        if ("required".equals(System.getenv("KAIROS_BROWSER_TEST")))
            assertThat(ready)
                    .as("Chromium at %s and npm ci in %s (.ci/run installs both)", CHROMIUM, SCRIPT_DIR)
                    .isTrue();
        Assumptions.assumeTrue(ready, "Chromium or the console test's node_modules are not installed");

        var schema = NodeHarness.freshSchema("console");
        try (var node = NodeHarness.start(
                schema,
                """
                kairos.http.api-keys = "admin=%s,ingest=ingest-key-for-tests,operator=%s;id=console-operator,\
                auditor=%s;id=console-auditor"
                kairos.offers.exploration { epsilon = 0, cold-start = 0 }
                """
                        .formatted(NodeHarness.ADMIN_KEY, OPERATOR, AUDITOR))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var data = seed(node);
            var shots = Path.of("target", "console-screenshots").toAbsolutePath();
            var process = new ProcessBuilder("node", "console.spec.mjs")
                    .directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true);
            process.environment()
                    .putAll(Map.of(
                            "KAIROS_URL", "http://127.0.0.1:" + node.httpPort,
                            "OPERATOR_KEY", OPERATOR,
                            "AUDITOR_KEY", AUDITOR,
                            "CAMPAIGN", data.get("campaign"),
                            "SKU", data.get("sku"),
                            "SHOPPER", data.get("shopper"),
                            "SCREENSHOTS", shots.toString(),
                            "CHROMIUM", CHROMIUM.toString()));
            var run = process.start();
            boolean finished = run.waitFor(4, TimeUnit.MINUTES);
            var output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) run.destroyForcibly();
            System.out.println("console.spec.mjs: " + output);
            assertThat(finished)
                    .as("the browser run finished within 4 minutes: " + output)
                    .isTrue();
            assertThat(run.exitValue()).as(output).isZero();
            assertThat(output).contains("\"ok\":true");
            try (var files = Files.list(shots)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .contains("campaigns.png", "campaign.png", "sku.png", "live.png", "campaign-created.png");
            }
        }
    }

    /** Campaigns, a catalogue with two dynamically priced SKUs, shoppers with events and offers. */
    private static Map<String, String> seed(NodeHarness node) throws Exception {
        var now = Instant.now();
        var catalog = new ArrayList<String>();
        for (int i = 0; i < 20; i++)
            catalog.add(
                    "{\"sku\":\"con-sku-%d\",\"listPrice\":20.00,\"cost\":8.00,\"category\":\"c%d\",\"name\":\"Tea %d\"}"
                            .formatted(i, i % 4, i));
        ok(node.put("/v1/catalog/skus", "{\"skus\":[" + String.join(",", catalog) + "]}"), 200);
        for (var sku : new String[] {"con-sku-0", "con-sku-1"})
            ok(
                    node.put(
                            "/v1/skus/" + sku,
                            """
                {"listPrice": 20.00, "cost": 8.00, "floor": 14.00, "ceiling": 26.00, "maxStepPercent": 10,
                 "minMarginPercent": 10, "repriceEvery": "PT1H", "policy": "thompson"}"""),
                    200);
        for (int c = 0; c < 3; c++)
            ok(
                    node.post(
                            "/v1/campaigns",
                            """
                {"campaignId":"con-c%d","name":"Console %d","coupon":{"type":"amount_off","value":%d},"budget":1000,
                 "validDays":7,"startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"even",
                 "holdoutPercent":20,"caps":{"perShopper":1,"perShopperDays":30}}"""
                                    .formatted(
                                            c, c, 2 + c, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(28)))),
                    201);
        for (int s = 0; s < 12; s++) {
            var id = "con-s" + s;
            ok(
                    node.post(
                            "/v1/events",
                            "{\"events\":[{\"eventId\":\"%s\",\"shopperId\":\"%s\",\"type\":\"view\",\"sku\":\"con-sku-%d\",\"occurredAt\":\"%s\"}]}"
                                    .formatted(UUID.randomUUID(), id, s % 20, now.minusSeconds(60))),
                    202);
            ok(node.post("/v1/shoppers/" + id + "/offers/decide", ""), 200);
        }
        return Map.of("campaign", "con-c0", "sku", "con-sku-0", "shopper", "con-s0");
    }
}

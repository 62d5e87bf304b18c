package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.Sealed;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The learning loop closes on a real node: shoppers with a known response get decisions from a new profit campaign (no
 * model yet: the safe rule, and the campaign explores every decision), buy or not, and the loop trains on those
 * decisions, beats the safe rule off-policy and promotes its model, which then scores the next decisions. A challenger
 * that may not see what tells the shoppers apart is worse and is not promoted.
 *
 * <p>The truth: in the north 10 % buy without the coupon and 70 % with it; in the south 30 % buy without it and 5 %
 * with it. Orders are worth 100; the coupon is 5 off; the margin 30 %.
 */
class LearningLoopIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOPPERS = 800;
    private static final Duration OUTCOME_WINDOW = Duration.ofSeconds(30);

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    @Test
    void theLoopPromotesAModelLearnedFromTheNodesOwnDecisionsAndKeepsItAgainstAWorseOne() throws Exception {
        try (var node = NodeHarness.start(
                NodeHarness.freshSchema("learn"), config("kairos.learning.watch.champion-share = 0"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            createCampaign(node, "learn-it", ",\"exploration\":1");
            // The counters live in the JVM's default registry, which earlier nodes of this test JVM also counted in
            // (ApiFuzzIT's train requests, for one): this test's runs are what it adds.
            double promotedBefore = runs(node, "promoted");
            double keptBefore = runs(node, "kept");
            var noRuns = node.get("/v1/models/offer-uplift");
            assertThat(noRuns.statusCode()).as(noRuns.body()).isEqualTo(404);

            var ids = new ArrayList<String>();
            for (int i = 0; i < SHOPPERS; i++) ids.add("learner-" + i);
            awaitCampaigns(node);
            decideAndBuy(node, ids, COUPONS_WORK_IN_THE_NORTH, 11);
            // outcomes are final once the outcome window has passed
            Thread.sleep(OUTCOME_WINDOW.plusSeconds(2).toMillis());

            var first = train(node, "{}", 1);
            assertThat(first.path("verdict").asText()).as("%s", first).isEqualTo("promoted");
            assertThat(first.path("champion").asText()).isEqualTo("safe-rule@1");
            assertThat(first.path("challenger").asText()).isEqualTo("1");
            assertThat(first.path("trigger").asText()).isEqualTo("operator");
            // the rows: every issued offer and every holdout (exploration's "no offer" trains nothing)
            int rows = first.path("training").path("decisions").asInt()
                    + first.path("evaluation").path("decisions").asInt();
            assertThat(rows).isBetween(SHOPPERS / 2, SHOPPERS);
            assertThat(first.path("comparison").path("difference").path("low").asDouble())
                    .as("%s", first)
                    .isPositive();
            var model = json(node.get("/v1/models/offer-uplift").body());
            assertThat(model.path("promoted").asText()).isEqualTo("1");
            assertThat(model.path("active").asText()).isEqualTo("1");
            assertThat(model.path("versions")
                            .get(0)
                            .path("properties")
                            .path("trainedBy")
                            .asText())
                    .isEqualTo("learning-loop");

            // the next decision is scored by the promoted model, served through DJL
            assertThat(put(node, "/v1/shoppers/after-promotion/profile", "{\"region\":\"north\"}")
                            .join()
                            .statusCode())
                    .isEqualTo(200);
            var decided = json(
                    node.post("/v1/shoppers/after-promotion/offers/decide", "").body());
            assertThat(decided.hasNonNull("decisionId")).as("%s", decided).isTrue();
            var decisionId = decided.path("decisionId").asText();
            var audited = new AtomicReference<JsonNode>();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        var r = node.get("/v1/audit/decisions/" + decisionId);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        audited.set(json(r.body()));
                    });
            var scoredBy = audited.get().path("model");
            assertThat(scoredBy.path("name").asText()).as("%s", audited.get()).isEqualTo("offer-uplift");
            assertThat(scoredBy.path("version").asText()).isEqualTo("1");
            assertThat(scoredBy.path("engine").asText()).startsWith("OnnxRuntime");

            // a challenger blind to the region treats everyone alike: worse than the champion, so not promoted
            var second = train(node, "{\"excludeFeatures\":[\"region\"]}", 2);
            assertThat(second.path("verdict").asText()).as("%s", second).isEqualTo("kept");
            assertThat(second.path("champion").asText()).isEqualTo("offer-uplift@1");
            assertThat(second.path("challenger").asText()).isEqualTo("2");
            assertThat(second.path("comparison").path("difference").path("low").asDouble())
                    .as("%s", second)
                    .isNotPositive();
            model = json(node.get("/v1/models/offer-uplift").body());
            assertThat(model.path("promoted").asText()).isEqualTo("1");
            assertThat(model.path("runs").size()).isEqualTo(2);
            assertThat(runs(node, "promoted") - promotedBefore).isEqualTo(1.0);
            assertThat(runs(node, "kept") - keptBefore).isEqualTo(1.0);

            decisionsReplayIdenticalAcrossAPromotion(node);
        }
    }

    /**
     * The loop's promotion is watched live: half the decisions after it stay on the safe rule it replaced (a share this
     * high only to keep the test short). Then the north stops answering the coupon (it buys less with it than without),
     * so the promoted model, which sends it to the north, earns less over the holdout group than the safe rule, and the
     * next run rolls the promotion back by itself: the safe rule decides again.
     */
    @Test
    void aPromotionThatEarnsLessLiveThanTheChampionIsRolledBackByItself() throws Exception {
        var halfOnTheChampion = config(
                """
                kairos.learning.watch.champion-share = 0.5
                kairos.learning.watch.min-decisions-per-arm = 60
                """);
        try (var node = NodeHarness.start(NodeHarness.freshSchema("watch"), halfOnTheChampion)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            createCampaign(node, "explored", ",\"exploration\":1");
            awaitCampaigns(node);
            var before = new ArrayList<String>();
            for (int i = 0; i < SHOPPERS; i++) before.add("before-" + i);
            decideAndBuy(node, before, COUPONS_WORK_IN_THE_NORTH, 11);
            Thread.sleep(OUTCOME_WINDOW.plusSeconds(2).toMillis());
            var promoted = train(node, "{}", 1);
            assertThat(promoted.path("verdict").asText()).as("%s", promoted).isEqualTo("promoted");

            // the exploring campaign ends; a new one explores only as the node does by default
            var paused = send(node, "PATCH", "/v1/campaigns/explored", "{\"status\":\"paused\"}")
                    .join();
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            createCampaign(node, "live", "");
            var after = new ArrayList<String>();
            for (int i = 0; i < 600; i++) after.add("after-" + i);
            decideAndBuy(node, after, (north, treated) -> treated ? 0.05 : (north ? 0.3 : 0.3), 12);
            Thread.sleep(OUTCOME_WINDOW.plusSeconds(2).toMillis());

            var watched = train(node, "{}", 2);
            assertThat(watched.path("verdict").asText()).as("%s", watched).isEqualTo("rolled-back");
            assertThat(watched.path("champion").asText()).isEqualTo("safe-rule");
            assertThat(watched.path("challenger").asText()).isEqualTo("1");
            var live = watched.path("comparison");
            assertThat(live.path("estimator").asText()).isEqualTo("live-holdout");
            assertThat(live.path("difference").path("estimate").asDouble())
                    .as("%s", watched)
                    .isNegative();
            var model = json(node.get("/v1/models/offer-uplift").body());
            assertThat(model.has("promoted")).as("%s", model).isFalse();
            assertThat(model.path("changes").get(0).path("action").asText()).isEqualTo("rollback");
            assertThat(model.path("changes").get(0).path("actor").asText()).isEqualTo("learning-loop");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !json(node.get("/v1/models/offer-uplift")
                            .body())
                    .has("active"));
        }
    }

    /**
     * 200 decisions scored by the promoted model (version 1) are re-derived from their records: all identical. After
     * version 2 is promoted they still are (re-scored by version 1, loaded from the store). A record altered in the
     * decisions table is reported different, with the altered field.
     */
    private static void decisionsReplayIdenticalAcrossAPromotion(NodeHarness node) throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 200; i++) ids.add("replayed-" + i);
        all(node, ids, id -> put(node, "/v1/shoppers/" + id + "/profile", "{\"region\":\"" + region(id) + "\"}"));
        var decisions = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        all(node, ids, id -> post(node, "/v1/shoppers/" + id + "/offers/decide", "")
                .thenApply(r -> {
                    try {
                        var decided = json(r.body());
                        if (decided.hasNonNull("decisionId"))
                            decisions.add(decided.path("decisionId").asText());
                    } catch (Exception e) {
                        throw new IllegalStateException(r.body(), e);
                    }
                    return r;
                }));
        assertThat(decisions).hasSize(200);
        // the decisions table is written by the shopper projection, a moment after each decision
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (var id : decisions)
                        if (node.get("/v1/audit/decisions/" + id).statusCode() != 200) return false;
                    return true;
                });
        var scored = scoredReplays(node, decisions);
        assertThat(scored)
                .as("replays scored by version 1 while it is promoted")
                .isNotEmpty();

        var promoted = node.post("/v1/models/offer-uplift/promote", "{\"version\":\"2\"}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(json(node.get("/v1/models/offer-uplift").body())
                        .path("active")
                        .asText())
                .isEqualTo("2");
        assertThat(scoredReplays(node, decisions))
                .as("replays scored by version 1 from the store after version 2 was promoted")
                .hasSameSizeAs(scored);

        var altered = scored.get(0).path("decisionId").asText();
        try (var session = TestCassandra.shared().openSession()) {
            var table = node.schema.kairosKeyspace() + ".decisions";
            var row = session.execute(
                            "SELECT shopper_id, persistence_id, record FROM " + table + " WHERE decision_id = ?",
                            altered)
                    .one();
            // the row is sealed under its person's key: altered as someone holding the key would (without it, any
            // change fails the cipher's check and the decision cannot be read at all)
            var keys = PersonKeys.get(node.system);
            var journal = row.getString("persistence_id");
            var secret = keys.secretOf(row.getString("shopper_id"))
                    .toCompletableFuture()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .orElseThrow();
            var sealed = row.getString("record").substring("sealed:".length());
            var opened = keys.seals()
                    .open(journal, secret, new Sealed(Base64.getDecoder().decode(sealed)));
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) json((String) opened.value());
            var response = (com.fasterxml.jackson.databind.node.ObjectNode) body.path("record")
                    .path("scoring")
                    .path("candidates")
                    .get(0)
                    .path("response");
            response.put("uplift", response.path("uplift").asDouble() + 0.05);
            var resealed = keys.seals().seal(journal, secret, opened.subject(), body.toString());
            session.execute(
                    "UPDATE " + table + " SET record = ? WHERE decision_id = ?",
                    "sealed:" + Base64.getEncoder().encodeToString(resealed.data()),
                    altered);
        }
        var verdict =
                json(node.post("/v1/audit/decisions/" + altered + "/replay", "").body());
        assertThat(verdict.path("rederivable").asBoolean()).as("%s", verdict).isTrue();
        assertThat(verdict.path("identical").asBoolean()).as("%s", verdict).isFalse();
        assertThat(verdict.path("differences").findValuesAsText("field"))
                .as("%s", verdict)
                .containsExactly("scoring.candidates[0].response.uplift");
    }

    /**
     * Replays every decision, each asserted re-derivable and identical; returns the verdicts of those a model scored (a
     * holdout is not scored, and one whose scoring missed its deadline was decided by the safe rule), each asserted
     * re-scored by version 1.
     */
    private static List<JsonNode> scoredReplays(NodeHarness node, java.util.Collection<String> decisions)
            throws Exception {
        var scored = new ArrayList<JsonNode>();
        for (var id : decisions) {
            var r = node.post("/v1/audit/decisions/" + id + "/replay", "");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            var verdict = json(r.body());
            assertThat(verdict.path("rederivable").asBoolean())
                    .as("%s", verdict)
                    .isTrue();
            assertThat(verdict.path("identical").asBoolean()).as("%s", verdict).isTrue();
            if (verdict.path("kind").asText().equals("holdout")) continue;
            // a decision whose scoring missed its deadline fell back to the safe rule, and is replayed by it
            if (verdict.path("model").asText().startsWith("safe-rule@")) continue;
            assertThat(verdict.path("model").asText()).as("%s", verdict).isEqualTo("offer-uplift@1");
            scored.add(verdict);
        }
        return scored;
    }

    /**
     * The node's settings for these tests: short outcome windows, runs only when asked, small minimums; and
     * {@code more}.
     */
    private static String config(String more) {
        return """
                kairos.offers.outcome-window = %ds
                kairos.learning.scheduled = off
                kairos.learning.lookback = 1h
                kairos.learning.evaluation-share = 0.4
                kairos.learning.min-training-decisions = 150
                kairos.learning.min-evaluation-decisions = 100
                kairos.learning.bootstrap-resamples = 300
                """
                        .formatted(OUTCOME_WINDOW.toSeconds())
                + more;
    }

    /** A campaign of 5 off, holding out 30 %, with the profit objective and a margin of 30 %. */
    private static void createCampaign(NodeHarness node, String id, String more) throws Exception {
        var now = Instant.now();
        var created = node.post(
                "/v1/campaigns",
                """
                {"campaignId":"%s","name":"IT","coupon":{"type":"amount_off","value":5},"budget":100000,
                 "validDays":7,"startsAt":"%s","endsAt":"%s","objective":"profit","marginRate":0.3,
                 "pacing":"asap","holdoutPercent":30%s}"""
                        .formatted(id, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), more));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** How likely a shopper buys, by region and by whether the decision issued the coupon. */
    private interface Truth {
        double rate(boolean north, boolean treated);
    }

    private static final Truth COUPONS_WORK_IN_THE_NORTH =
            (north, treated) -> treated ? (north ? 0.7 : 0.05) : (north ? 0.1 : 0.3);

    /** Waits until the node's catalogue has the campaigns (they arrive through Distributed Data). */
    private static void awaitCampaigns(NodeHarness node) {
        assertThat(put(node, "/v1/shoppers/probe/profile", "{\"region\":\"north\"}")
                        .join()
                        .statusCode())
                .isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> json(node.post("/v1/shoppers/probe/offers/decide", "")
                                .body())
                        .hasNonNull("decisionId"));
    }

    /**
     * Gives each shopper a profile with their region and one decision; those who buy by {@code truth} then place an
     * order worth 100, all at once.
     */
    private static void decideAndBuy(NodeHarness node, List<String> ids, Truth truth, long seed) throws Exception {
        all(node, ids, id -> put(node, "/v1/shoppers/" + id + "/profile", "{\"region\":\"" + region(id) + "\"}"));
        var treated = new java.util.concurrent.ConcurrentHashMap<String, Boolean>();
        all(node, ids, id -> post(node, "/v1/shoppers/" + id + "/offers/decide", "")
                .thenApply(r -> {
                    try {
                        treated.put(id, json(r.body()).path("offers").size() > 0);
                    } catch (Exception e) {
                        throw new IllegalStateException(r.body(), e);
                    }
                    return r;
                }));
        assertThat(treated).hasSize(ids.size());
        var random = new Random(seed);
        var orders = new ArrayList<String>();
        var at = Instant.now();
        for (var id : ids) {
            if (random.nextDouble() < truth.rate(region(id).equals("north"), treated.get(id)))
                orders.add("{\"eventId\":\"" + id + "-order\",\"shopperId\":\"" + id
                        + "\",\"type\":\"order\",\"orderId\":\"" + id + "-o\",\"amount\":100,\"occurredAt\":\""
                        + at + "\"}");
        }
        for (int from = 0; from < orders.size(); from += 500) {
            var r = node.post(
                    "/v1/events",
                    "{\"events\":[" + String.join(",", orders.subList(from, Math.min(orders.size(), from + 500)))
                            + "]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
    }

    private static String region(String id) {
        return Integer.parseInt(id.substring(id.indexOf('-') + 1)) % 2 == 0 ? "north" : "south";
    }

    /** Starts a run and waits for the model's history to hold {@code runs} runs; returns the newest. */
    private static JsonNode train(NodeHarness node, String body, int runs) throws Exception {
        var started = node.post("/v1/models/offer-uplift/train", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        var newest = new AtomicReference<JsonNode>();
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    var r = node.get("/v1/models/offer-uplift");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    var history = json(r.body()).path("runs");
                    assertThat(history.size()).isEqualTo(runs);
                    newest.set(history.get(0));
                });
        return newest.get();
    }

    private interface Call {
        CompletableFuture<HttpResponse<String>> send(String id) throws Exception;
    }

    /** One call per shopper, 8 at a time; every answer must be a 2xx. */
    private static void all(NodeHarness node, List<String> ids, Call call) throws Exception {
        var permits = new Semaphore(8);
        var replies = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (var id : ids) {
            permits.acquire();
            replies.add(call.send(id).whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).join();
        assertThat(replies).allSatisfy(r -> assertThat(r.join().statusCode() / 100)
                .as(r.join().body())
                .isEqualTo(2));
    }

    private static CompletableFuture<HttpResponse<String>> put(NodeHarness node, String path, String body) {
        return send(node, "PUT", path, body);
    }

    private static CompletableFuture<HttpResponse<String>> post(NodeHarness node, String path, String body) {
        return send(node, "POST", path, body);
    }

    private static CompletableFuture<HttpResponse<String>> send(
            NodeHarness node, String method, String path, String body) {
        var request = node.request(path, Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return node.sendRetrying(request, 20);
    }

    /** {@code kairos_learning_runs_total} of the uplift model with {@code verdict}, 0 when not yet counted. */
    private static double runs(NodeHarness node, String verdict) throws Exception {
        var series = "kairos_learning_runs_total{model=\"offer-uplift\",verdict=\"" + verdict + "\"} ";
        return node.management("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
                .findFirst()
                .orElse(0);
    }
}

package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The node on the real Cassandra: 1,000 events for 10 shoppers posted over HTTP are all in the journal after the node
 * restarts, with the same counts and lifecycle stages, and re-posting them reports every one as a duplicate; the audit
 * endpoints replay the same history, windowed by persistence time.
 */
class NodeRestartIT {
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final int SHOPPERS = 10;
    private static final int EVENTS_PER_SHOPPER = 100;

    private static List<String> batches() {
        var now = Instant.now().minusSeconds(3600);
        var events = new ArrayList<String>();
        for (int i = 0; i < EVENTS_PER_SHOPPER; i++) {
            for (int s = 0; s < SHOPPERS; s++) {
                var shopper = "it-shopper-" + s;
                var at = now.plusSeconds(i * 10L);
                // shopper s places s orders (so stages differ: new, active, repeat), the rest are views and carts
                var isOrder = i < s;
                var type = isOrder ? "order" : (i % 3 == 0 ? "add_to_cart" : "view");
                var extra = isOrder
                        ? ",\"orderId\":\"o-" + s + "-" + i + "\",\"amount\":" + (10 + i)
                        : ",\"category\":\"cat-" + (i % 4) + "\"";
                events.add("{\"eventId\":\"" + shopper + "-e" + i + "\",\"shopperId\":\"" + shopper + "\",\"type\":\""
                        + type + "\",\"occurredAt\":\"" + at + "\"" + extra + "}");
            }
        }
        var batches = new ArrayList<String>();
        for (int from = 0; from < events.size(); from += 100) {
            batches.add("{\"events\":[" + String.join(",", events.subList(from, from + 100)) + "]}");
        }
        return batches;
    }

    private static JsonNode json(String body) throws Exception {
        return mapper.readTree(body);
    }

    @Test
    void everyAcknowledgedEventSurvivesARestartAndIsRecognisedAsADuplicate() throws Exception {
        var schema = NodeHarness.freshSchema("restart");
        var batches = batches();
        Map<String, JsonNode> before = new HashMap<>();
        Instant halfway = null;

        try (var node = NodeHarness.start(schema)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            int accepted = 0;
            for (int b = 0; b < batches.size(); b++) {
                if (b == batches.size() / 2) {
                    Thread.sleep(50); // a clear gap in persistence time, for the audit checks below
                    halfway = Instant.now();
                    Thread.sleep(50);
                }
                var r = node.post("/v1/events", batches.get(b));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                accepted += json(r.body()).path("accepted").asInt();
            }
            assertThat(accepted).isEqualTo(SHOPPERS * EVENTS_PER_SHOPPER);
            for (int s = 0; s < SHOPPERS; s++) {
                var r = node.get("/v1/shoppers/it-shopper-" + s);
                assertThat(r.statusCode()).isEqualTo(200);
                before.put("it-shopper-" + s, json(r.body()));
            }
        }
        assertThat(before.get("it-shopper-0").path("lifecycle").path("stage").asText())
                .isEqualTo("new");
        assertThat(before.get("it-shopper-1").path("lifecycle").path("stage").asText())
                .isEqualTo("active");
        assertThat(before.get("it-shopper-5").path("lifecycle").path("stage").asText())
                .isEqualTo("repeat");

        try (var node = NodeHarness.start(schema)) {
            // the journal itself holds every behaviour event, counted per shopper through the read journal
            for (int s = 0; s < SHOPPERS; s++) {
                var pid = ShopperEntity.ENTITY_KEY.name() + "|it-shopper-" + s;
                var recorded = node.journal(pid).stream()
                        .filter(env -> env.event() instanceof ShopperEvent.BehaviourRecorded)
                        .toList();
                assertThat(recorded).as(pid).hasSize(EVENTS_PER_SHOPPER);
            }
            for (int s = 0; s < SHOPPERS; s++) {
                var id = "it-shopper-" + s;
                var after = json(node.get("/v1/shoppers/" + id).body());
                assertThat(after.path("eventCount").asInt()).isEqualTo(EVENTS_PER_SHOPPER);
                assertThat(after.path("eventCount")).isEqualTo(before.get(id).path("eventCount"));
                assertThat(after.path("lifecycle")).isEqualTo(before.get(id).path("lifecycle"));
                assertThat(after.path("rfm").path("frequency"))
                        .isEqualTo(before.get(id).path("rfm").path("frequency"));
            }
            int duplicates = 0;
            for (var batch : batches) {
                var r = node.post("/v1/events", batch);
                assertThat(r.statusCode()).isEqualTo(202);
                assertThat(json(r.body()).path("accepted").asInt()).isZero();
                duplicates += json(r.body()).path("duplicates").asInt();
            }
            assertThat(duplicates).isEqualTo(SHOPPERS * EVENTS_PER_SHOPPER);

            // auditors see the same history, windowed by persistence time: half the events were persisted after
            // `halfway`
            var lines = node.get("/v1/audit/shoppers/it-shopper-3/events?clock=recorded&from=" + halfway)
                    .body()
                    .strip()
                    .split("\n");
            long recordedLater = java.util.Arrays.stream(lines)
                    .filter(l -> l.contains("\"type\":\"BehaviourRecorded\""))
                    .count();
            assertThat(recordedLater).isEqualTo(EVENTS_PER_SHOPPER / 2);
            var then = json(node.get("/v1/audit/shoppers/it-shopper-3/state?clock=recorded&at=" + halfway)
                    .body());
            assertThat(then.path("shopper").path("eventCount").asInt()).isEqualTo(EVENTS_PER_SHOPPER / 2);
            var now = json(node.get("/v1/audit/shoppers/it-shopper-3/state").body());
            assertThat(now.path("shopper").path("eventCount"))
                    .isEqualTo(before.get("it-shopper-3").path("eventCount"));
            assertThat(now.path("shopper").path("lifecycle").path("stage"))
                    .isEqualTo(before.get("it-shopper-3").path("lifecycle").path("stage"));
        }
    }
}

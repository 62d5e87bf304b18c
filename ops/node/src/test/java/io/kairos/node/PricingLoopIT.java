package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.pricing.demand.DemandProjection;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Dynamic pricing in a real node on the real Cassandra, end to end: an operator configures a SKU with a short cadence;
 * views and orders posted to {@code POST /v1/events} reach the SKU's entity through the demand projection (offsets
 * stored in the test's {@code kairos} keyspace); the SKU reprices within its guardrails; {@code GET /v1/prices/{sku}}
 * serves the new price from the price view and the price history shows it; after a restart of the node the SKU has the
 * same price and history, without anyone asking it first (a remembered entity).
 */
class PricingLoopIT {
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final String SKU = "it-tea";
    // The entity's minimum cadence and timer are shortened for the test; demand reaches the entities within ~2 s.
    private static final String FAST_PRICING =
            """
      kairos.pricing.min-reprice-every = 2s
      kairos.pricing.reprice-timer.tick-interval = 500ms
      kairos.pricing.demand-projection.group-within = 200ms
      akka.persistence.cassandra.events-by-tag.eventual-consistency-delay = 1s
      akka.persistence.cassandra.query.refresh-interval = 500ms
      """;
    private static final String CONFIG =
            """
      {"listPrice": 20.00, "cost": 8.00, "floor": 14.00, "ceiling": 26.00, "maxStepPercent": 10,
       "minMarginPercent": 10, "repriceEvery": "%s", "policy": "thompson"}""";

    private static JsonNode json(String body) throws Exception {
        return mapper.readTree(body);
    }

    private static String events(Instant at) {
        var events = new ArrayList<String>();
        for (int s = 0; s < 10; s++) {
            var shopper = "loop-shopper-" + s;
            for (int i = 0; i < 5; i++) {
                events.add("{\"eventId\":\"v" + i + "\",\"shopperId\":\"" + shopper + "\",\"type\":\"view\",\"sku\":\""
                        + SKU + "\",\"occurredAt\":\"" + at.plusMillis(s * 10 + i) + "\"}");
            }
            events.add("{\"eventId\":\"o1\",\"shopperId\":\"" + shopper + "\",\"type\":\"order\",\"sku\":\"" + SKU
                    + "\",\"quantity\":2,\"orderId\":\"ord-" + s + "\",\"amount\":40.00,\"occurredAt\":\""
                    + at.plusMillis(s * 10 + 5) + "\"}");
            // a SKU that is not dynamically priced: skipped by the projection
            events.add("{\"eventId\":\"v9\",\"shopperId\":\"" + shopper
                    + "\",\"type\":\"view\",\"sku\":\"not-priced\",\"occurredAt\":\"" + at.plusMillis(s * 10 + 6)
                    + "\"}");
        }
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    @Test
    void demandFromTheEventStreamRepricesASkuWithinItsGuardrailsAndSurvivesARestart() throws Exception {
        var schema = NodeHarness.freshSchema("pricing");
        JsonNode historyBefore;
        JsonNode priceBefore;
        try (var node = NodeHarness.start(schema, FAST_PRICING)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            // first an hourly cadence: the list price stays while the demand arrives
            var put = node.put("/v1/skus/" + SKU, CONFIG.formatted("PT1H"));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(json(put.body()).path("price").path("price").decimalValue())
                    .isEqualByComparingTo("20.00");

            var posted = node.post("/v1/events", events(Instant.now()));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            assertThat(json(posted.body()).path("accepted").asInt()).isEqualTo(70);

            // every view and order line of the SKU reaches its entity exactly once
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        var demand = json(node.get("/v1/skus/" + SKU).body()).path("demand");
                        assertThat(demand.path("views").asLong()).isEqualTo(50);
                        assertThat(demand.path("units").asLong()).isEqualTo(20);
                    });
            assertThat(node.get("/v1/prices/not-priced").statusCode()).isEqualTo(404);
            assertThat(json(node.get("/v1/prices/" + SKU).body()).path("price").decimalValue())
                    .isEqualByComparingTo("20.00");

            // a 2-second cadence: the SKU reprices from what it observed; wait for a change, then check every point
            // against the guardrails
            assertThat(node.put("/v1/skus/" + SKU, CONFIG.formatted("PT2S")).statusCode())
                    .isEqualTo(200);
            var history = new AtomicReference<JsonNode>();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        history.set(json(
                                node.get("/v1/skus/" + SKU + "/price-history").body()));
                        return history.get()
                                .path("points")
                                .findValuesAsText("reason")
                                .contains("reprice");
                    });
            BigDecimal previous = null;
            for (var point : history.get().path("points")) {
                var price = point.path("price").decimalValue();
                assertThat(price).isBetween(new BigDecimal("14.00"), new BigDecimal("26.00"));
                if (previous != null && point.path("reason").asText().equals("reprice")) {
                    var maxStep = previous.multiply(new BigDecimal("0.10")).setScale(2, RoundingMode.CEILING);
                    assertThat(price.subtract(previous).abs()).isLessThanOrEqualTo(maxStep);
                }
                previous = price;
            }

            // stop repricing (a long cadence leaves the legal price as it is), then read the state to compare
            assertThat(node.put("/v1/skus/" + SKU, CONFIG.formatted("PT1H")).statusCode())
                    .isEqualTo(200);
            historyBefore =
                    json(node.get("/v1/skus/" + SKU + "/price-history").body()).path("points");
            var lastPoint = historyBefore.get(historyBefore.size() - 1);
            priceBefore = json(node.get("/v1/prices/" + SKU).body());
            assertThat(priceBefore.path("price")).isEqualTo(lastPoint.path("price"));
            assertThat(priceBefore.path("decisionId")).isEqualTo(lastPoint.path("decisionId"));
            assertThat(priceBefore.path("validFrom")).isEqualTo(lastPoint.path("validFrom"));

            // the projection committed its offsets in the test's kairos keyspace
            try (var session = TestCassandra.shared().openSession()) {
                var keys = new ArrayList<String>();
                session.execute("SELECT projection_name, projection_key FROM " + schema.kairosKeyspace()
                                + ".offset_store")
                        .forEach(row -> {
                            if (row.getString("projection_name").equals(DemandProjection.NAME))
                                keys.add(row.getString("projection_key"));
                        });
                assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("shopper-"));
            }
        }

        try (var node = NodeHarness.start(schema, FAST_PRICING)) {
            // nobody asks the SKU: sharding restarts the remembered entity, which republishes its price to the view
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> node.get("/v1/prices/" + SKU).statusCode() == 200);
            assertThat(json(node.get("/v1/prices/" + SKU).body())).isEqualTo(priceBefore);
            assertThat(json(node.get("/v1/skus/" + SKU + "/price-history").body())
                            .path("points"))
                    .isEqualTo(historyBefore);
            var sku = json(node.get("/v1/skus/" + SKU).body());
            assertThat(sku.path("demand").path("views").asLong()).isEqualTo(50);
            assertThat(sku.path("repriceEvery").asText()).isEqualTo("PT1H");
        }
    }

    /**
     * Pricing and offers meet at checkout: items are priced from the node's price view (one price for everyone), and a
     * coupon larger than the margin allows is cut at the SKU's margin floor, cost × (1 + minMargin) = 8.00 × 1.10.
     */
    @Test
    void checkoutPricesItemsAtTheDynamicPriceAndNoCouponTakesThemBelowTheMarginFloor() throws Exception {
        var schema = NodeHarness.freshSchema("checkout");
        try (var node = NodeHarness.start(schema, "kairos.offers.exploration { epsilon = 0, cold-start = 0 }")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            assertThat(node.put("/v1/skus/it-mug", CONFIG.formatted("PT1H")).statusCode())
                    .isEqualTo(200);
            var now = Instant.now();
            var campaign = node.post(
                    "/v1/campaigns",
                    """
          {"campaignId":"mug-15","name":"Mug","coupon":{"type":"amount_off","value":15},"budget":100,"validDays":7,
           "startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap"}"""
                            .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
            assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(201);
            var posted = node.post(
                    "/v1/events",
                    "{\"events\":[{\"eventId\":\"e1\",\"shopperId\":\"mug-buyer\",\"type\":\"view\","
                            + "\"sku\":\"it-mug\",\"occurredAt\":\"" + now + "\"}]}");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            node.awaitOffers("mug-buyer", 1);

            var quote = node.post(
                    "/v1/checkout/quote",
                    "{\"shopperId\":\"mug-buyer\",\"items\":[{\"sku\":\"it-mug\",\"quantity\":1}]}");
            assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
            var q = json(quote.body());
            var price = json(node.get("/v1/prices/it-mug").body()).path("price").decimalValue();
            assertThat(q.path("lines").get(0).path("unitPrice").decimalValue()).isEqualByComparingTo(price);
            assertThat(q.path("best").path("itemDiscount").decimalValue())
                    .isEqualByComparingTo(price.subtract(new BigDecimal("8.80")));
            assertThat(q.path("total").decimalValue()).isEqualByComparingTo("8.80");

            var unpriced = node.post(
                    "/v1/checkout/quote",
                    "{\"shopperId\":\"mug-buyer\",\"items\":[{\"sku\":\"no-price\",\"quantity\":1}]}");
            assertThat(unpriced.statusCode()).as(unpriced.body()).isEqualTo(422);
        }
    }
}

package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignState;
import io.kairos.offer.PriceLookup;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEvent;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Offers on a real node and the real Cassandra: 2,000 shoppers deciding at once against one campaign never take it over
 * its budget (checked by replaying the campaign's journal, not from a counter) and none loses its decision to a late
 * reservation answer, a decision leads to its record at the audit endpoint and a restart changes no decision;
 * concurrent redemptions of one coupon succeed once, cancelling gives usage and budget back and the stats show it; a
 * cart abandonment due while the node was down still fires.
 */
class OffersIT {
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final int SHOPPERS = 2_000;
    private static final int REPEATS = 2_000;
    private static final int IN_FLIGHT = 128;
    private static final int BURST = 1_000;

    private static JsonNode json(String body) throws Exception {
        return mapper.readTree(body);
    }

    private static String campaign(String id, String budget, String extra) {
        var now = Instant.now();
        return """
        {"campaignId":"%s","name":"IT","coupon":{"type":"amount_off","value":5},"budget":%s,"validDays":7,
         "startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap"%s}"""
                .formatted(id, budget, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), extra);
    }

    private static void postEvents(NodeHarness node, List<String> events) throws Exception {
        for (int from = 0; from < events.size(); from += 500) {
            var r = node.post(
                    "/v1/events",
                    "{\"events\":[" + String.join(",", events.subList(from, Math.min(events.size(), from + 500)))
                            + "]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
    }

    private static String event(String shopper, String type, Instant at) {
        return "{\"eventId\":\"" + shopper + "-" + type + "-" + at.toEpochMilli() + "\",\"shopperId\":\"" + shopper
                + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + at + "\"}";
    }

    private static List<EventEnvelope> journal(NodeHarness node, String persistenceId) throws Exception {
        return node.journal(persistenceId);
    }

    /** Every shopper event, through the shopper tags. */
    private static List<EventEnvelope> shopperEvents(NodeHarness node) throws Exception {
        var journal = node.tags();
        var all = new ArrayList<EventEnvelope>();
        for (int t = 0; t < 8; t++) {
            all.addAll(journal.currentEventsByTag("shopper-" + t, Offset.noOffset())
                    .runWith(Sink.seq(), node.system)
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS));
        }
        return all;
    }

    private static List<ShopperEvent.OfferIssued> issuedIn(List<EventEnvelope> events) {
        return events.stream()
                .filter(e -> e.event() instanceof ShopperEvent.OfferIssued)
                .map(e -> (ShopperEvent.OfferIssued) e.event())
                .toList();
    }

    private static List<CampaignEntity.Event> campaignEvents(NodeHarness node, String id) throws Exception {
        return journal(node, CampaignEntity.ENTITY_KEY.name() + "|" + id).stream()
                .map(e -> (CampaignEntity.Event) e.event())
                .toList();
    }

    /**
     * One campaign's hot spot (issue 19): 2,000 shoppers decide at once against it, then 2,000 repeats with 128 in
     * flight. The budget (1,000 coupons) stops it exactly, no decision is refused because a reservation went
     * unanswered, every reservation is an offer a shopper holds, and the stats count offers, not reservations.
     */
    @Test
    void concurrentDecisionsNeverExceedTheBudgetAndARestartChangesNoDecision() throws Exception {
        var schema = NodeHarness.freshSchema("offers");
        var budget = new BigDecimal("5000");
        Map<String, String> decisionsBefore = new HashMap<>();
        int campaignEventsBefore;
        String auditedId;
        JsonNode auditedBefore;
        try (var node = NodeHarness.start(
                schema, PriceLookup.NONE, ConfigFactory.parseString("kairos.http.ask-timeout = 20s"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var created =
                    node.post("/v1/campaigns", campaign("budget-it", budget.toPlainString(), ",\"holdoutPercent\":10"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            var at = Instant.now().minusSeconds(600);
            var events = new ArrayList<String>();
            for (int s = 0; s < SHOPPERS; s++) events.add(event("buyer-" + s, "app_open", at));
            postEvents(node, events);

            // every shopper at once (1,000 connections at a time, under Akka HTTP's max-connections; a client re-sends
            // after a 503 from admission control, after Retry-After) ...
            var replies = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            var burst = new Semaphore(BURST);
            for (int s = 0; s < SHOPPERS; s++) {
                burst.acquire();
                replies.add(decide(node, "buyer-" + s).whenComplete((r, e) -> burst.release()));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            // ... then everyone again, shuffled, 128 in flight at a time
            var order = new ArrayList<String>();
            for (int i = 0; i < REPEATS; i++) order.add("buyer-" + (i % SHOPPERS));
            Collections.shuffle(order, new Random(7));
            var permits = new Semaphore(IN_FLIGHT);
            for (var shopper : order) {
                permits.acquire();
                replies.add(decide(node, shopper).whenComplete((r, e) -> permits.release()));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            assertThat(replies).allSatisfy(r -> assertThat(r.join().statusCode())
                    .as(r.join().body())
                    .isEqualTo(200));

            // the budget, from the campaign's journal: at no point did reserved + spent exceed it
            var campaignEvents = campaignEvents(node, "budget-it");
            var states = CampaignState.replay(campaignEvents);
            assertThat(states.stream()
                            .filter(st -> st.reserved().add(st.spent()).compareTo(st.budget()) > 0))
                    .as("states over budget")
                    .isEmpty();
            var reserved = new HashSet<String>();
            campaignEvents.stream()
                    .filter(e -> e instanceof CampaignEntity.BudgetReserved)
                    .forEach(e -> reserved.add(((CampaignEntity.BudgetReserved) e).offerId()));
            // no reservation was given back: none went unanswered long enough for its shopper to give up
            assertThat(campaignEvents).noneMatch(e -> e instanceof CampaignEntity.ReservationReleased);
            var last = states.get(states.size() - 1);
            assertThat(last.reserved()).isEqualByComparingTo(new BigDecimal(5 * reserved.size()));
            // ~1,800 people outside the holdout wanted an offer: the budget (1,000 coupons of 5) stopped them exactly
            assertThat(reserved).hasSize(1_000);

            // the offers in the shoppers' journals are exactly the reservations held, one per person
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> issuedIn(shopperEvents(node)).size() >= reserved.size());
            var shopperEvents = shopperEvents(node);
            var issued = issuedIn(shopperEvents);
            assertThat(issued.stream().map(i -> i.offer().offerId()).toList())
                    .as("offers issued")
                    .containsExactlyInAnyOrderElementsOf(reserved);
            assertThat(new HashSet<>(
                            issued.stream().map(i -> i.decision().shopperId()).toList()))
                    .hasSize(issued.size());
            long holdouts = shopperEvents.stream()
                    .filter(e -> e.event() instanceof ShopperEvent.HoldoutAssigned)
                    .count();
            assertThat(holdouts).isBetween(140L, 260L);
            // not one decision was lost to a late reservation answer
            assertThat(shopperEvents.stream()
                            .map(EventEnvelope::event)
                            .filter(e -> e instanceof ShopperEvent.NoOfferDecided n
                                    && n.outcome().equals("refused:unavailable")))
                    .as("decisions refused as unavailable")
                    .isEmpty();
            // the stats count the offers shoppers hold, the same figure as the funnel, and the reservations apart
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        var stats =
                                json(node.get("/v1/campaigns/budget-it/stats").body());
                        assertThat(stats.path("issued").asLong())
                                .as("%s", stats)
                                .isEqualTo(issued.size());
                        assertThat(stats.path("funnel")
                                        .path("total")
                                        .path("issued")
                                        .asLong())
                                .isEqualTo(issued.size());
                        assertThat(stats.path("reservations").path("made").asLong())
                                .isEqualTo(reserved.size());
                        assertThat(stats.path("reservations").path("released").asLong())
                                .isZero();
                    });
            for (var i : issued)
                decisionsBefore.put(i.decision().shopperId(), i.decision().decisionId());

            campaignEventsBefore = campaignEvents.size();
            auditedId = issued.get(0).decision().decisionId();
            var id = auditedId;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> node.get("/v1/audit/decisions/" + id).statusCode() == 200);
            auditedBefore = json(node.get("/v1/audit/decisions/" + id).body());
            assertThat(auditedBefore.path("candidates")).isNotEmpty();
            assertThat(auditedBefore.path("reservation").path("amount").decimalValue())
                    .isEqualByComparingTo("5");
            assertThat(auditedBefore.path("journal").path("sequenceNr").asLong())
                    .isPositive();
        }

        try (var node = NodeHarness.start(schema)) {
            // after the restart every person with an offer still has exactly that offer, and deciding again issues
            // nothing new
            var sample = new ArrayList<>(decisionsBefore.entrySet()).subList(0, 50);
            for (var e : sample) {
                var r = node.post("/v1/shoppers/" + e.getKey() + "/offers/decide", "");
                assertThat(r.statusCode()).isEqualTo(200);
                var offers = json(r.body()).path("offers");
                assertThat(offers).hasSize(1);
                assertThat(offers.get(0).path("decisionId").asText()).isEqualTo(e.getValue());
            }
            var audited = json(node.get("/v1/audit/decisions/" + auditedId).body());
            assertThat(audited).isEqualTo(auditedBefore);
            Thread.sleep(1_000); // past the events-by-tag delay: anything the requests above issued would be visible
            assertThat(issuedIn(shopperEvents(node))).hasSize(decisionsBefore.size());
            assertThat(campaignEvents(node, "budget-it")).hasSize(campaignEventsBefore);
        }
    }

    /**
     * Asks for a shopper's offers, re-sending after a 503 (admission control) with {@code Retry-After}; one
     * {@code Idempotency-Key} per call, so a re-sent request gets the first answer.
     */
    private static CompletableFuture<HttpResponse<String>> decide(NodeHarness node, String shopper) {
        var request = node.request("/v1/shoppers/" + shopper + "/offers/decide", Duration.ofSeconds(90))
                .header("Idempotency-Key", "decide-" + shopper + "-" + java.util.UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return node.sendRetrying(request, 60);
    }

    /**
     * Posts an order, re-sending it after a 503 (the documented answer to overload) with the same order id, after
     * {@code Retry-After} with jitter.
     */
    private static CompletableFuture<HttpResponse<String>> order(NodeHarness node, String body, int attempts) {
        var request = node.request("/v1/orders", Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return node.sendRetrying(request, attempts);
    }

    /**
     * A shop's first profit campaign with no trained model: the safe rule ranks "no offer" best, so only exploration
     * issues. The campaign explores every decision (its own {@code exploration}: 1), so offers go out from its first
     * decisions, each decision is recorded with its propensity, the no-offer ones included, and the stats say why.
     */
    @Test
    void aNewCampaignWithoutAModelExploresFromItsFirstDecisionsAndItsStatsSayWhy() throws Exception {
        try (var node = NodeHarness.start(NodeHarness.freshSchema("explore"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var created = node.post(
                    "/v1/campaigns",
                    campaign("explore-it", "1000", ",\"exploration\":1")
                            .replace("\"objective\":\"activation\"", "\"objective\":\"profit\""));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(json(created.body()).path("exploration").asDouble()).isEqualTo(1.0);
            int shoppers = 30;
            var events = new ArrayList<String>();
            var at = Instant.now().minusSeconds(60);
            for (int s = 0; s <= shoppers; s++) events.add(event("explorer-" + s, "app_open", at));
            postEvents(node, events);
            // The campaign reaches the node's catalogue through Distributed Data: a decision names a decisionId once
            // it has a candidate to decide about (issued or not).
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> json(node.post("/v1/shoppers/explorer-0/offers/decide", "")
                                    .body())
                            .hasNonNull("decisionId"));
            int issued = 0;
            String noOffer = null;
            for (int s = 1; s <= shoppers; s++) {
                var answer = json(node.post("/v1/shoppers/explorer-" + s + "/offers/decide", "")
                        .body());
                assertThat(answer.hasNonNull("decisionId"))
                        .as(answer.toString())
                        .isTrue();
                if (answer.path("offers").size() > 0) issued++;
                else noOffer = answer.path("decisionId").asText();
            }
            // Binomial(30, 1/2): [5, 25] holds with probability > 0.9998
            assertThat(issued).isBetween(5, 25);
            // the decisions table is written by the shopper projection, a moment behind
            var auditedAnswer = new java.util.concurrent.atomic.AtomicReference<JsonNode>();
            final String noOfferId = noOffer;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        var r = node.get("/v1/audit/decisions/" + noOfferId);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        auditedAnswer.set(json(r.body()));
                    });
            var audited = auditedAnswer.get();
            assertThat(audited.path("kind").asText()).as("%s", audited).isEqualTo("none");
            assertThat(audited.path("propensity").asDouble()).isEqualTo(0.5);
            assertThat(audited.path("exploration").path("explored").asBoolean()).isTrue();

            // the stats count every decision by how it ended for the campaign (the probe's included)
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        var decisions = json(node.get("/v1/campaigns/explore-it/stats")
                                        .body())
                                .path("decisions");
                        var byReason = decisions.path("byReason");
                        // every decision once: an offer the draw issued, or no offer (ranked best, and drawn)
                        assertThat(byReason.path("explored").asLong()
                                        + byReason.path("no-offer-best").asLong()
                                        + byReason.path("no-offer-explored").asLong())
                                .as("%s", decisions)
                                .isEqualTo(shoppers + 1);
                        assertThat(byReason.path("issued").asLong()).isZero();
                        assertThat(decisions.path("exploredReserved").decimalValue())
                                .isEqualByComparingTo(new BigDecimal("5")
                                        .multiply(BigDecimal.valueOf(
                                                byReason.path("explored").asLong())));
                    });
        }
    }

    @Test
    void oneCouponIsRedeemedOnceAndCancellingGivesItsUsageAndBudgetBack() throws Exception {
        var schema = NodeHarness.freshSchema("orders");
        PriceLookup prices = sku -> sku.startsWith("sku-")
                ? Optional.of(new PriceLookup.SkuPrice(
                        new BigDecimal("20.00"), new BigDecimal("8.00"), new BigDecimal("10.00")))
                : Optional.empty();
        // No exploration: the racer's request must issue (a "no offer" draw would leave nothing to race for).
        var cartDelay = ConfigFactory.parseString(
                "kairos.offers.triggers.cart-abandonment-delay = 4s\nkairos.offers.exploration { epsilon = 0, cold-start = 0 }");
        try (var node = NodeHarness.start(schema, prices, cartDelay)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            // one offer per person: the first order makes the racer active, a lifecycle trigger, which must not issue
            // another
            assertThat(node.post(
                                    "/v1/campaigns",
                                    campaign("orders-it", "100", ",\"caps\":{\"perShopper\":1,\"perShopperDays\":30}"))
                            .statusCode())
                    .isEqualTo(201);
            postEvents(node, List.of(event("racer", "view", Instant.now().minusSeconds(5))));
            var offer = node.awaitOffers("racer", 1).get(0);
            var couponId = offer.path("couponId").asText();

            // 200 orders race for one coupon; like any client, each retries a 503 with its own order id
            var replies = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 200; i++) {
                var body = "{\"orderId\":\"race-" + i
                        + "\",\"shopperId\":\"racer\",\"items\":[{\"sku\":\"sku-1\",\"quantity\":1}],\"couponIds\":[\""
                        + couponId + "\"]}";
                replies.add(order(node, body, 30));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            var statuses = new HashMap<Integer, Integer>();
            replies.forEach(r -> statuses.merge(r.join().statusCode(), 1, Integer::sum));
            var created = replies.stream()
                    .map(CompletableFuture::join)
                    .filter(r -> r.statusCode() == 201 || r.statusCode() == 200)
                    .toList();
            assertThat(created).as("statuses %s", statuses).hasSize(1);
            assertThat(statuses.get(409)).as("statuses %s", statuses).isEqualTo(199);
            var commits = campaignEvents(node, "orders-it").stream()
                    .filter(e -> e instanceof CampaignEntity.ReservationCommitted)
                    .toList();
            assertThat(commits).hasSize(1);
            var winner = json(created.get(0).body()).path("orderId").asText();
            var stats = json(node.get("/v1/campaigns/orders-it/stats").body());
            assertThat(stats.path("redeemed").asInt()).isEqualTo(1);
            assertThat(stats.path("spent").decimalValue()).isEqualByComparingTo("5");

            var cancelled = node.post("/v1/orders/" + winner + "/cancel", "");
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            stats = json(node.get("/v1/campaigns/orders-it/stats").body());
            assertThat(stats.path("redeemed").asInt()).isZero();
            assertThat(stats.path("returned").asInt()).isEqualTo(1);
            assertThat(stats.path("spent").decimalValue()).isEqualByComparingTo("0");
            assertThat(stats.path("reserved").decimalValue()).isEqualByComparingTo("5");
            assertThat(json(node.get("/v1/shoppers/racer/offers").body())
                            .path("offers")
                            .get(0)
                            .path("status")
                            .asText())
                    // never claimed (the order redeemed it straight from the wallet): it comes back as issued
                    .isEqualTo("issued");
            // the projection's view of the campaign catches up: one treated person, whose only order was cancelled
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var s = json(node.get("/v1/campaigns/orders-it/stats").body());
                assertThat(s.path("treatment").path("people").asInt()).isEqualTo(1);
                assertThat(s.path("treatment").path("converted").asInt()).isZero();
            });

            // a cart abandoned just before the node goes down
            postEvents(node, List.of(event("cart-shopper", "add_to_cart", Instant.now())));
        }
        try (var node = NodeHarness.start(schema, prices, cartDelay)) {
            // the wake-up row written before the restart is swept by the new node once due
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> journal(node, ShopperEntity.ENTITY_KEY.name() + "|cart-shopper").stream()
                            .anyMatch(e -> e.event() instanceof ShopperEvent.OfferIssued i
                                    && i.decision().trigger().equals("cart_abandoned")));
        }
    }
}

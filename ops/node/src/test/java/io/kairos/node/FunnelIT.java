package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.query.Offset;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kairos.http.campaign.CampaignBodies;
import io.kairos.offer.CouponFunnel;
import io.kairos.offer.FunnelStore;
import io.kairos.offer.PriceLookup;
import io.kairos.privacy.PersonKeys;
import io.kairos.shopper.FunnelFacts;
import io.kairos.shopper.JournalReadSide;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperSettings;
import io.kairos.tracking.TrackingTokens;
import io.kairos.tracking.TrackingTokens.Kind;
import io.kairos.tracking.TrackingTokens.Link;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The coupon funnel on a real node and the real Cassandra: a scripted history (offers issued; deliveries reported
 * through {@code RecordDelivery}, one twice, one failed; messages opened and clicked through {@code GET /t/{token}},
 * one link twice; claims; orders redeeming coupons; a cancellation) gives, in {@code GET /v1/campaigns/{id}/stats},
 * exactly the funnel computed from the journal ({@link JournalReadSide}) and the numbers the script implies; facts
 * delivered again (at-least-once projection) leave the stored funnel unchanged.
 */
class FunnelIT {
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final String CAMPAIGN = "funnel-it";

    private static JsonNode json(String body) throws Exception {
        return mapper.readTree(body);
    }

    private static void ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    @Test
    void theStatsFunnelEqualsTheFunnelOfTheJournalAndTheScript() throws Exception {
        var schema = NodeHarness.freshSchema("funnel");
        PriceLookup prices = sku -> sku.startsWith("sku-")
                ? Optional.of(new PriceLookup.SkuPrice(new BigDecimal("30.00"), new BigDecimal("10.00"), null))
                : Optional.empty();
        // No exploration: every eligible request issues (a "no offer" draw would leave a shopper without one).
        try (var node = NodeHarness.start(
                schema,
                prices,
                ConfigFactory.parseString("kairos.offers.exploration { epsilon = 0, cold-start = 0 }"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var now = Instant.now();
            ok(
                    node.post(
                            "/v1/campaigns",
                            """
          {"campaignId":"%s","name":"IT","coupon":{"type":"amount_off","value":5},"budget":1000,"validDays":7,
           "startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap","caps":{"perShopper":1,"perShopperDays":30}}"""
                                    .formatted(
                                            CAMPAIGN, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)))),
                    201);

            // six shoppers, one offer each
            var offers = new JsonNode[6];
            for (int i = 0; i < 6; i++) {
                ok(
                        node.post(
                                "/v1/events",
                                "{\"events\":[{\"eventId\":\"v-" + i + "\",\"shopperId\":\"f" + i
                                        + "\",\"type\":\"view\",\"occurredAt\":\"" + now.minusSeconds(5) + "\"}]}"),
                        202);
                // the campaign reaches this node's catalogue through Distributed Data: ask until the offer is issued
                var shopper = "/v1/shoppers/f" + i + "/offers/decide";
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            var r = node.post(shopper, "");
                            return r.statusCode() == 200
                                    && json(r.body()).path("offers").size() == 1;
                        });
                offers[i] = json(node.get("/v1/shoppers/f" + i + "/offers").body())
                        .path("offers")
                        .get(0);
            }
            // delivered: f0 (reported twice), f1, f2, f3; f5 failed
            var sharding = ClusterSharding.get(node.system);
            for (int i : new int[] {0, 0, 1, 2, 3, 5}) {
                var offerId = offers[i].path("offerId").asText();
                boolean delivered = i != 5;
                sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "f" + i)
                        .<Done>ask(
                                r -> new ShopperCommand.RecordDelivery(
                                        offerId,
                                        "in_app",
                                        delivered,
                                        delivered ? null : "bounced",
                                        new BigDecimal("0.002"),
                                        Instant.now(),
                                        r),
                                Duration.ofSeconds(10))
                        .toCompletableFuture()
                        .get(15, TimeUnit.SECONDS);
            }
            // opened through tracked links: f0 (an open, twice), f1 (a click), f2 (an open)
            var tokens = TrackingTokens.create(node.system);
            var noRedirects = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            // f1's link names its person by pseudonym, as the links dispatch sends do
            var f1 = (PersonKeys.Pseudonymous)
                    PersonKeys.get(node.system).find("f1").toCompletableFuture().get(15, TimeUnit.SECONDS);
            for (int i : new int[] {0, 0, 1, 2}) {
                var token = tokens.mint(new Link(
                        i == 1 ? f1.pseudonym() : "f" + i,
                        offers[i].path("offerId").asText(),
                        offers[i].path("couponId").asText(),
                        offers[i].path("channel").asText(),
                        i == 1 ? Kind.CLICK : Kind.OPEN,
                        URI.create("https://shop.example/c/" + i),
                        now.plus(Duration.ofDays(1)),
                        i == 1));
                var r = noRedirects.send(
                        HttpRequest.newBuilder(node.uri("/t/" + token)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(302);
                assertThat(r.headers().firstValue("Location")).contains("https://shop.example/c/" + i);
            }
            // claimed: f0, f1; orders redeeming: f0, f1, f4 (unclaimed); f1's order cancelled
            for (int i : new int[] {0, 1})
                ok(
                        node.post(
                                "/v1/shoppers/f" + i + "/coupons/"
                                        + offers[i].path("couponId").asText() + "/claim",
                                ""),
                        200);
            for (int i : new int[] {0, 1, 4}) {
                ok(
                        node.post(
                                "/v1/orders",
                                "{\"orderId\":\"fo-" + i + "\",\"shopperId\":\"f" + i
                                        + "\",\"items\":[{\"sku\":\"sku-1\",\"quantity\":1}]," + "\"couponIds\":[\""
                                        + offers[i].path("couponId").asText() + "\"]}"),
                        201);
            }
            ok(node.post("/v1/orders/fo-1/cancel", ""), 200);

            var journal = node.tags();
            var tags = ShopperSettings.create(node.system).projectionTags();
            var fromJournal = new JournalReadSide(node.system, journal, tags)
                    .funnel(CAMPAIGN)
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            // what the script implies: redeemed f0 and f4, 25.00 each; discounts 5 each; four deliveries at 0.002; f5
            // undelivered
            var cost = new BigDecimal("10.008");
            var expectedTotal = new CouponFunnel.Row(
                    null,
                    null,
                    6,
                    4,
                    3,
                    2,
                    2,
                    1,
                    new BigDecimal("50.00"),
                    new BigDecimal("10.00"),
                    new BigDecimal("0.008"),
                    cost,
                    new BigDecimal("50.00")
                            .subtract(cost)
                            .divide(cost, MathContext.DECIMAL64)
                            .setScale(6, java.math.RoundingMode.HALF_EVEN)
                            .doubleValue());
            assertSameRow(fromJournal.total(), expectedTotal);
            // every offer came from a decision that ranked it best (no exploration here), and the stats say so
            assertThat(fromJournal.decisions().byReason()).isEqualTo(java.util.Map.of("issued", 6L));
            assertThat(fromJournal.rows()).singleElement().satisfies(row -> {
                assertThat(row.couponType()).isEqualTo("amount_off");
                assertThat(row.channel()).isEqualTo(offers[0].path("channel").asText());
            });

            // the stats (projection → Cassandra) catch up with the journal and then equal it
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        var funnel = json(node.get("/v1/campaigns/" + CAMPAIGN + "/stats")
                                        .body())
                                .path("funnel");
                        assertSameJson(funnel.path("total"), fromJournal.total());
                        assertThat(json(node.get("/v1/campaigns/" + CAMPAIGN + "/stats")
                                                .body())
                                        .path("decisions")
                                        .path("byReason")
                                        .path("issued")
                                        .asLong())
                                .isEqualTo(6);
                        assertThat(funnel.path("byCouponTypeAndChannel"))
                                .hasSize(fromJournal.rows().size());
                        for (int i = 0; i < fromJournal.rows().size(); i++)
                            assertSameJson(
                                    funnel.path("byCouponTypeAndChannel").get(i),
                                    fromJournal.rows().get(i));
                    });

            // at least once: every fact delivered again changes nothing stored
            var store = FunnelStore.create(node.system);
            var stored = store.read(CAMPAIGN).toCompletableFuture().get(30, TimeUnit.SECONDS);
            var envelopes = akka.stream.javadsl.Source.from(tags)
                    .flatMapConcat(tag -> journal.currentEventsByTag(tag, Offset.noOffset()))
                    .runWith(Sink.seq(), node.system)
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            for (var env : envelopes) {
                store.writeAll(FunnelFacts.of((ShopperEvent) env.event()), Instant.now())
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(store.read(CAMPAIGN).toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isEqualTo(stored);
            assertSameRow(stored.total(), fromJournal.total());
        }
    }

    /** Equal counts, money compared by value (scales differ between computed and stored decimals). */
    private static void assertSameRow(CouponFunnel.Row actual, CouponFunnel.Row expected) {
        assertThat(List.of(
                        actual.issued(),
                        actual.delivered(),
                        actual.opened(),
                        actual.claimed(),
                        actual.redeemed(),
                        actual.undelivered()))
                .containsExactly(
                        expected.issued(),
                        expected.delivered(),
                        expected.opened(),
                        expected.claimed(),
                        expected.redeemed(),
                        expected.undelivered());
        assertThat(actual.revenue()).isEqualByComparingTo(expected.revenue());
        assertThat(actual.discounts()).isEqualByComparingTo(expected.discounts());
        assertThat(actual.messageCost()).isEqualByComparingTo(expected.messageCost());
        assertThat(actual.cost()).isEqualByComparingTo(expected.cost());
        assertThat(actual.roi()).isEqualTo(expected.roi());
    }

    /**
     * The API's funnel row holds the row's fields under their own names, money in whole cents (a sub-cent message cost
     * such as 4 × 0.002 is answered as 0.01; the ROI is computed before rounding).
     */
    private static void assertSameJson(JsonNode actual, CouponFunnel.Row expected) throws Exception {
        assertSameRow(mapper.treeToValue(actual, CouponFunnel.Row.class), CampaignBodies.FunnelStats.cents(expected));
        assertThat(actual.path("couponType").textValue()).isEqualTo(expected.couponType());
        assertThat(actual.path("channel").textValue()).isEqualTo(expected.channel());
    }
}

package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.kairos.metrics.KairosMetrics;
import io.kairos.shopper.ShopperCommand;
import io.kairos.tracking.TrackingSettings;
import io.kairos.tracking.TrackingTokens;
import io.kairos.tracking.TrackingTokens.Kind;
import io.kairos.tracking.TrackingTokens.Link;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;

/**
 * Tracked links ({@code GET /t/{token}}) and the coupon funnel in the campaign stats, through the real routes and
 * entities on the in-memory journal (stats read the journal through {@code JournalReadSide}); every response is checked
 * against the OpenAPI document.
 */
public class TrackingApiTest extends ShopperRouteTest {
    private static final URI TARGET = URI.create("https://shop.example/p/42?utm_source=kairos");

    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private Link link(String shopperId, JsonNode offer, Kind kind, Instant expiresAt) {
        return new Link(
                shopperId,
                offer.path("offerId").asText(),
                offer.path("couponId").asText(),
                "in_app",
                kind,
                TARGET,
                expiresAt,
                false);
    }

    private JsonNode shopper(String id) {
        return body(get("/v1/shoppers/" + id, "ingest-key"));
    }

    private void delivered(String shopperId, String offerId, String cost) throws Exception {
        AskPattern.<ShopperCommand, Done>ask(
                        fixture.shopper(shopperId),
                        r -> new ShopperCommand.RecordDelivery(
                                offerId, "in_app", true, null, new BigDecimal(cost), NOW, r),
                        Duration.ofSeconds(5),
                        fixture.typed().scheduler())
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    public void aTrackedClickRecordsOneEventPerWindowOpensTheOfferAndRedirectsWithoutAKey() {
        var shopper = "s-" + tag;
        var offer = issue(shopper, "c-" + tag, FIVE_OFF);
        long before = shopper(shopper).path("eventCount").asLong();
        double recorded = links("recorded");
        double duplicate = links("duplicate");
        var token = fixture.trackingTokens.mint(link(shopper, offer, Kind.CLICK, NOW.plus(Duration.ofDays(7))));

        var followed = get("/t/" + token, null);
        followed.assertStatusCode(302);
        followed.assertHeaderExists("Location", TARGET.toString());
        followed.assertHeaderExists("Cache-Control", "no-store");
        var after = shopper(shopper);
        assertThat(after.path("eventCount").asLong()).isEqualTo(before + 1);
        assertThat(after.path("scores").has("message_click")).isTrue();
        assertThat(after.path("offers").get(0).path("status").asText()).isEqualTo("opened");

        // The same link again within the dedup window: redirected, not recorded twice.
        get("/t/" + token, null).assertStatusCode(302);
        assertThat(shopper(shopper).path("eventCount").asLong()).isEqualTo(before + 1);
        // An open link of the same offer is another event.
        get("/t/" + fixture.trackingTokens.mint(link(shopper, offer, Kind.OPEN, NOW.plus(Duration.ofDays(7)))), null)
                .assertStatusCode(302);
        assertThat(shopper(shopper).path("eventCount").asLong()).isEqualTo(before + 2);
        assertThat(shopper(shopper).path("scores").has("message_open")).isTrue();
        assertThat(links("recorded") - recorded).isEqualTo(2.0);
        assertThat(links("duplicate") - duplicate).isEqualTo(1.0);
    }

    private static double links(String outcome) {
        return KairosMetrics.TRACKED_LINKS.labelValues(outcome).get();
    }

    @Test
    public void forgedChangedExpiredAndForeignLinksAre404WithoutSayingWhyAndRecordNothing() {
        var shopper = "s-" + tag;
        var offer = issue(shopper, "c-" + tag, FIVE_OFF);
        long before = shopper(shopper).path("eventCount").asLong();
        var valid = fixture.trackingTokens.mint(link(shopper, offer, Kind.CLICK, NOW.plus(Duration.ofDays(7))));
        var foreign = new TrackingTokens(new TrackingSettings(
                "another-secret-of-another-deployment-0123",
                List.of(),
                List.of("shop.example"),
                URI.create("https://t.example"),
                Duration.ofSeconds(1),
                Duration.ofMinutes(10)));
        var otherShopper = link("victim-" + tag, offer, Kind.CLICK, NOW.plus(Duration.ofDays(7)));
        var parts = valid.split("\\.");
        var refusals = java.util.stream.Stream.of("bad_signature", "unknown_key", "expired", "malformed")
                .mapToDouble(TrackingApiTest::links)
                .toArray();
        var forgedPayload = fixture.trackingTokens.mint(otherShopper).split("\\.")[0] + "." + parts[1] + "." + parts[2];
        for (var token : List.of(
                valid.substring(0, valid.length() - 2),
                valid.substring(0, 20) + (valid.charAt(20) == 'x' ? 'y' : 'x') + valid.substring(21),
                forgedPayload,
                foreign.mint(link(shopper, offer, Kind.CLICK, NOW.plus(Duration.ofDays(7)))),
                fixture.trackingTokens.mint(link(shopper, offer, Kind.CLICK, NOW)),
                "not-a-token")) {
            var refused = get("/t/" + token, null);
            refused.assertStatusCode(404);
            assertThat(refused.contentTypeString()).startsWith("application/problem+json");
            assertThat(body(refused).path("detail").asText()).isEqualTo("invalid or expired link");
        }
        assertThat(shopper(shopper).path("eventCount").asLong()).isEqualTo(before);
        // why each was refused shows only in the metrics: three bad signatures, a foreign key, an expiry, a malformed
        // token
        assertThat(new double[] {
                    links("bad_signature") - refusals[0],
                    links("unknown_key") - refusals[1],
                    links("expired") - refusals[2],
                    links("malformed") - refusals[3]
                })
                .containsExactly(3, 1, 1, 1);
        assertThat(shopper(shopper).path("offers").get(0).path("status").asText())
                .isEqualTo("issued");
        testRoute(route).run(HttpRequest.POST("/t/" + valid)).assertStatusCode(405);
    }

    @Test
    public void theFunnelInTheStatsFollowsAnOfferFromIssueToRedemptionAndCancellation() throws Exception {
        fixture.price("sku-" + tag, "30.00", null);
        var shopper = "s-" + tag;
        var campaignId = "c-" + tag;
        var offer = issue(shopper, campaignId, FIVE_OFF);
        var couponId = offer.path("couponId").asText();
        var funnel = body(get("/v1/campaigns/" + campaignId + "/stats", "operator-key"))
                .path("funnel");
        assertThat(funnel.path("total").path("issued").asInt()).isEqualTo(1);
        assertThat(funnel.path("total").path("delivered").asInt()).isZero();
        assertThat(funnel.path("total").has("roi")).isFalse();

        delivered(shopper, offer.path("offerId").asText(), "0.01");
        delivered(shopper, offer.path("offerId").asText(), "0.01");
        get("/t/" + fixture.trackingTokens.mint(link(shopper, offer, Kind.OPEN, NOW.plus(Duration.ofDays(7)))), null)
                .assertStatusCode(302);
        post("/v1/shoppers/" + shopper + "/coupons/" + couponId + "/claim", "", "ingest-key")
                .assertStatusCode(200);
        var order = "{\"orderId\":\"o-" + tag + "\",\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"sku-" + tag
                + "\",\"quantity\":1}],\"couponIds\":[\"" + couponId + "\"]}";
        post("/v1/orders", order, "ingest-key").assertStatusCode(201);

        funnel = body(get("/v1/campaigns/" + campaignId + "/stats", "operator-key"))
                .path("funnel");
        assertThat(funnel.path("byCouponTypeAndChannel")).hasSize(1);
        var row = funnel.path("byCouponTypeAndChannel").get(0);
        assertThat(row.path("couponType").asText()).isEqualTo("amount_off");
        assertThat(row.path("channel").asText()).isEqualTo("in_app");
        for (var r : List.of(row, funnel.path("total"))) {
            assertThat(List.of(
                            r.path("issued").asInt(),
                            r.path("delivered").asInt(),
                            r.path("opened").asInt(),
                            r.path("claimed").asInt(),
                            r.path("redeemed").asInt(),
                            r.path("undelivered").asInt()))
                    .containsExactly(1, 1, 1, 1, 1, 0);
            assertThat(r.path("revenue").decimalValue()).isEqualByComparingTo("25.00");
            assertThat(r.path("discounts").decimalValue()).isEqualByComparingTo("5.00");
            assertThat(r.path("messageCost").decimalValue()).isEqualByComparingTo("0.01");
            assertThat(r.path("cost").decimalValue()).isEqualByComparingTo("5.01");
            // (25 − 5.01) / 5.01
            assertThat(r.path("roi").asDouble()).isEqualTo(3.99002);
        }

        post("/v1/orders/o-" + tag + "/cancel", "", "ingest-key").assertStatusCode(200);
        var total = body(get("/v1/campaigns/" + campaignId + "/stats", "auditor-key"))
                .path("funnel")
                .path("total");
        assertThat(total.path("redeemed").asInt()).isZero();
        assertThat(total.path("claimed").asInt()).isEqualTo(1);
        assertThat(total.path("revenue").decimalValue()).isEqualByComparingTo("0");
        assertThat(total.path("cost").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(total.path("roi").asDouble()).isEqualTo(-1.0);
    }
}

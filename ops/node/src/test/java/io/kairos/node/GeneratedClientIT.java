package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kairos.client.ApiClient;
import io.kairos.client.ApiException;
import io.kairos.client.api.DefaultApi;
import io.kairos.client.model.Campaign;
import io.kairos.client.model.CampaignRequest;
import io.kairos.client.model.CampaignRequestCaps;
import io.kairos.client.model.CampaignStats;
import io.kairos.client.model.CatalogImport;
import io.kairos.client.model.CatalogImportSkusInner;
import io.kairos.client.model.Coupon;
import io.kairos.client.model.DecideResponse;
import io.kairos.client.model.Event;
import io.kairos.client.model.EventType;
import io.kairos.client.model.EventsRequest;
import io.kairos.client.model.Item;
import io.kairos.client.model.Offer;
import io.kairos.client.model.Order;
import io.kairos.client.model.OrderRequest;
import io.kairos.client.model.QuoteRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API contract as client developers meet it: a Java client generated from {@code openapi.yaml} at build time
 * ({@code ops/api-client}), used as generated, drives a shop's session against a real node on the real Cassandra — the
 * operator imports the catalogue and creates a campaign, the shop records a shopper's events, decides, claims the
 * coupon, quotes the cart and places the order, and the operator reads the campaign's stats. Every body the client
 * sends is one its models built and every answer one they parsed; a problem+json rejection reaches the caller as the
 * client's {@link ApiException} with its status. The management port answers as {@code management.yaml} says.
 */
class GeneratedClientIT {
    private static final String INGEST_KEY = "ingest-key-for-tests";
    private static final String OPERATOR_KEY = "operator-key-for-tests";
    private static final String SHOPPER = "alice";
    private static final String SKU = "boots-42";

    private static NodeHarness node;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeHarness.start(
                NodeHarness.freshSchema("client"),
                "kairos.http.api-keys = \"admin=%s,ingest=%s,operator=%s\""
                        .formatted(NodeHarness.ADMIN_KEY, INGEST_KEY, OPERATOR_KEY));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> node.management("/ready").statusCode() == 200);
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) node.close();
    }

    /** The generated client as an app would set it up: the node's address, a timeout, the key as a bearer token. */
    private static DefaultApi api(String key) {
        var client = new ApiClient()
                .setHost("127.0.0.1")
                .setPort(node.httpPort)
                .setReadTimeout(Duration.ofSeconds(30))
                .setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return new DefaultApi(client);
    }

    private static Event event(String id, EventType type, OffsetDateTime at) {
        return new Event().eventId(id).shopperId(SHOPPER).type(type).occurredAt(at);
    }

    @Test
    void aShopperSessionThroughTheGeneratedClient() throws Exception {
        var operator = api(OPERATOR_KEY);
        var shop = api(INGEST_KEY);
        var now = OffsetDateTime.now(ZoneOffset.UTC);

        var imported = operator.importCatalog(new CatalogImport()
                .skus(List.of(new CatalogImportSkusInner()
                        .sku(SKU)
                        .listPrice(new BigDecimal("80.00"))
                        .cost(new BigDecimal("30.00"))
                        .name("Hiking boots"))));
        assertThat(imported.getUpserted()).isEqualTo(1);

        var campaign = operator.createCampaign(new CampaignRequest()
                .campaignId("winter")
                .name("Winter")
                .coupon(new Coupon().type(Coupon.TypeEnum.AMOUNT_OFF).value(new BigDecimal("5")))
                .budget(new BigDecimal("500"))
                .validDays(7)
                .startsAt(now.minusHours(1))
                .endsAt(now.plusDays(30))
                .holdoutPercent(BigDecimal.ZERO)
                // one coupon per shopper: else the decision a lifecycle change wakes (her order's) may issue her a
                // second
                .caps(new CampaignRequestCaps().perShopper(1).perShopperDays(30))
                .objective(CampaignRequest.ObjectiveEnum.ACTIVATION));
        assertThat(campaign.getStatus()).isEqualTo(Campaign.StatusEnum.ACTIVE);
        assertThat(campaign.getAvailable()).isEqualByComparingTo("500");

        var recorded = shop.postEvents(new EventsRequest()
                .events(List.of(
                        event("e1", EventType.APP_OPEN, now.minusMinutes(3)),
                        event("e2", EventType.VIEW, now.minusMinutes(2)).sku(SKU),
                        event("e3", EventType.ADD_TO_CART, now.minusMinutes(1))
                                .sku(SKU)
                                .quantity(1))));
        assertThat(recorded.getAccepted()).isEqualTo(3);
        assertThat(recorded.getDuplicates()).isZero();

        // The campaign reaches the node's catalogue through Distributed Data: the first decisions may find none.
        var decided = new AtomicReference<DecideResponse>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    decided.set(shop.decideOffers(SHOPPER, null));
                    return !decided.get().getOffers().isEmpty();
                });
        assertThat(decided.get().getPreview()).isFalse();
        var offer = decided.get().getOffers().get(0);
        assertThat(offer.getCampaignId()).isEqualTo("winter");
        assertThat(offer.getStatus()).isEqualTo(Offer.StatusEnum.ISSUED);
        assertThat(offer.getDecisionId()).isEqualTo(decided.get().getDecisionId());
        var couponId = offer.getCouponId();

        var claimed = shop.claimCoupon(SHOPPER, couponId);
        assertThat(claimed.getStatus()).isEqualTo(Offer.StatusEnum.CLAIMED);
        assertThat(claimed.getClaimedAt()).isNotNull();
        var missing = catchThrowableOfType(ApiException.class, () -> shop.claimCoupon(SHOPPER, "no-such-coupon"));
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseBody()).contains("\"status\":404");

        var cart = List.of(new Item().sku(SKU).quantity(1));
        var quote = shop.quoteCheckout(new QuoteRequest().shopperId(SHOPPER).items(cart));
        assertThat(quote.getSubtotal()).isEqualByComparingTo("80.00");
        assertThat(quote.getBest().getCouponIds()).as("%s", quote).containsExactly(couponId);
        assertThat(quote.getBest().getDiscount()).isEqualByComparingTo("5");
        assertThat(quote.getTotal()).isEqualByComparingTo("75.00");

        var order = shop.placeOrder(new OrderRequest()
                .orderId("order-1")
                .shopperId(SHOPPER)
                .items(cart)
                .couponIds(List.of(couponId)));
        assertThat(order.getStatus()).isEqualTo(Order.StatusEnum.PLACED);
        assertThat(order.getCoupons()).singleElement().satisfies(applied -> {
            assertThat(applied.getCouponId()).isEqualTo(couponId);
            assertThat(applied.getDiscount()).isEqualByComparingTo("5");
        });
        assertThat(order.getTotal()).isEqualByComparingTo("75.00");

        // Money and counts come from the campaign at once; `claimed` and the funnel from the shopper projection.
        var stats = new AtomicReference<CampaignStats>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            stats.set(operator.getCampaignStats("winter"));
            return stats.get().getClaimed() == 1
                    && stats.get().getFunnel().getTotal().getRedeemed() == 1;
        });
        assertThat(stats.get().getIssued()).as("%s", stats.get()).isEqualTo(1);
        assertThat(stats.get().getRedeemed()).isEqualTo(1);
        assertThat(stats.get().getSpent()).isEqualByComparingTo("5");
        assertThat(stats.get().getReserved()).isEqualByComparingTo("0");
        assertThat(stats.get().getAvailable()).isEqualByComparingTo("495");
        assertThat(stats.get().getFunnel().getTotal().getRevenue()).isEqualByComparingTo("75.00");
    }

    @Test
    void theManagementPortAnswersAsManagementYamlSays() throws Exception {
        for (var probe : List.of("/ready", "/alive")) {
            var r = node.management(probe);
            assertThat(r.statusCode()).as(probe).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(probe).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/plain"));
            assertThat(r.body()).as(probe).isEqualTo("OK");
        }
        var scrape = node.management("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(scrape.body()).contains("# TYPE ");
    }
}

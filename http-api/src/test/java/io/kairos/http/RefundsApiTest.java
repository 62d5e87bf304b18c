package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import io.kairos.shopper.ShopperEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;

/**
 * Orders after they are placed, through the real routes and entities: {@code GET /v1/orders/{id}}, partial and full
 * refunds giving coupon budget back pro rata (and the whole discount of a threshold coupon the kept items no longer
 * qualify for), idempotency by key, and an order sent both through the API and as {@code order} events counting once as
 * demand.
 */
public class RefundsApiTest extends ShopperRouteTest {
    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode place(String shopper, String couponId, String items) {
        var order = "{\"orderId\":\"o-" + tag + "\",\"shopperId\":\"" + shopper + "\",\"items\":" + items
                + ",\"couponIds\":[\"" + couponId + "\"]}";
        var placed = post("/v1/orders", order, "ingest-key");
        placed.assertStatusCode(201);
        return body(placed);
    }

    private JsonNode refund(String json, String key, int status) {
        var request = HttpRequest.POST("/v1/orders/o-" + tag + "/refund");
        if (json != null) request = request.withEntity(ContentTypes.APPLICATION_JSON, json);
        if (key != null) request = request.addHeader(RawHeader.create("Idempotency-Key", key));
        var r = send(request, "ingest-key");
        r.assertStatusCode(status);
        return body(r);
    }

    private BigDecimal available(String campaignId) {
        return body(get("/v1/campaigns/" + campaignId, "operator-key"))
                .path("available")
                .decimalValue();
    }

    @Test
    public void aPartialRefundGivesTheCouponsBudgetBackProRataAndAFullOneTheRest() {
        fixture.price("a-" + tag, "10.00", null);
        fixture.price("b-" + tag, "20.00", null);
        var shopper = "s-" + tag;
        var campaignId = "c-" + tag;
        var couponId = issue(shopper, campaignId, FIVE_OFF).path("couponId").asText();
        var placed = place(
                shopper,
                couponId,
                "[{\"sku\":\"a-" + tag + "\",\"quantity\":2},{\"sku\":\"b-" + tag + "\",\"quantity\":1}]");
        var discountOnA = placed.path("lines").get(0).path("discount").decimalValue();
        var before = available(campaignId);

        var partial = refund("{\"lines\":[{\"sku\":\"a-" + tag + "\",\"quantity\":1}]}", "r1-" + tag, 200);
        var back = discountOnA.divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP);
        assertThat(partial.path("status").asText()).isEqualTo("partially_refunded");
        var r1 = partial.path("refunds").get(0);
        assertThat(r1.path("amount").decimalValue()).isEqualByComparingTo(new BigDecimal("10.00").subtract(back));
        assertThat(r1.path("coupons").get(0).path("budgetReturned").decimalValue())
                .isEqualByComparingTo(back);
        assertThat(r1.path("coupons").get(0).path("withheld").asBoolean()).isFalse();
        assertThat(available(campaignId)).isEqualByComparingTo(before.add(back));

        // the same key again: the order as it is, nothing refunded twice
        var repeat = refund("{\"lines\":[{\"sku\":\"a-" + tag + "\",\"quantity\":1}]}", "r1-" + tag, 200);
        assertThat(repeat.path("refunds")).hasSize(1);
        assertThat(available(campaignId)).isEqualByComparingTo(before.add(back));

        // more than is left, and a SKU not in the order: both named at once
        var tooMuch = refund(
                "{\"lines\":[{\"sku\":\"a-" + tag + "\",\"quantity\":2},{\"sku\":\"zz-" + tag + "\",\"quantity\":1}]}",
                null,
                422);
        assertThat(tooMuch.path("detail").asText()).contains("a-" + tag, "zz-" + tag);

        // the body null (what generated clients send for the optional body left out) refunds the rest
        var full = refund("null", "r2-" + tag, 200);
        assertThat(full.path("status").asText()).isEqualTo("refunded");
        var paid = placed.path("total").decimalValue();
        assertThat(full.path("refunded").decimalValue()).isEqualByComparingTo(paid);
        assertThat(full.path("refunds").get(1).path("full").asBoolean()).isTrue();
        // the whole discount is back with the campaign, and the coupon usable again (reserved again)
        assertThat(available(campaignId)).isEqualByComparingTo(before);
        assertThat(firstOfferStatus(shopper)).isEqualTo("issued");
        refund(null, null, 422);

        var read = body(get("/v1/orders/o-" + tag, "ingest-key"));
        assertThat(read).isEqualTo(full);
        get("/v1/orders/none-" + tag, "ingest-key").assertStatusCode(404);
        post("/v1/orders/none-" + tag + "/refund", null, "ingest-key").assertStatusCode(404);
    }

    @Test
    public void anOrderWhosePlacementWasRejectedIsNotFound() {
        fixture.price("r-" + tag, "10.00", null);
        var shopper = "r-" + tag;
        issue(shopper, "c-" + tag, FIVE_OFF);
        // the id is bound to the shopper by the attempt, but the order is refused: no such coupon
        post(
                        "/v1/orders",
                        "{\"orderId\":\"o-" + tag + "\",\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"r-"
                                + tag + "\",\"quantity\":1}],\"couponIds\":[\"no-such-coupon\"]}",
                        "ingest-key")
                .assertStatusCode(422);
        get("/v1/orders/o-" + tag, "ingest-key").assertStatusCode(404);
        assertThat(refund(null, null, 404).path("detail").asText()).contains("never placed");
        post("/v1/orders/o-" + tag + "/cancel", null, "ingest-key").assertStatusCode(404);
    }

    @Test
    public void aThresholdCouponTheKeptItemsNoLongerQualifyForIsWithheldFromTheRefund() {
        fixture.price("t-" + tag, "20.00", null);
        var shopper = "t-" + tag;
        var campaignId = "ct-" + tag;
        var couponId = issue(shopper, campaignId, "{\"type\":\"threshold_amount_off\",\"value\":10,\"minSpend\":50}")
                .path("couponId")
                .asText();
        place(shopper, couponId, "[{\"sku\":\"t-" + tag + "\",\"quantity\":3}]");
        var before = available(campaignId);

        // 40.00 kept < 50.00: the whole 10.00 goes back to the campaign and is withheld from the 20.00 refunded
        var partial = refund("{\"lines\":[{\"sku\":\"t-" + tag + "\",\"quantity\":1}]}", null, 200);
        var r = partial.path("refunds").get(0);
        assertThat(r.path("amount").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(r.path("coupons").get(0).path("withheld").asBoolean()).isTrue();
        assertThat(r.path("coupons").get(0).path("budgetReturned").decimalValue())
                .isEqualByComparingTo("10.00");
        assertThat(available(campaignId)).isEqualByComparingTo(before.add(new BigDecimal("10.00")));
        // the coupon was used: it stays redeemed, and cannot be claimed again
        post("/v1/shoppers/" + shopper + "/coupons/" + couponId + "/claim", "", "ingest-key")
                .assertStatusCode(409);
    }

    @Test
    public void anOrderSentAsEventsAndThroughTheApiCountsOnceAsDemand() {
        fixture.price("d-" + tag, "10.00", null);
        var shopper = "d-" + tag;
        var couponId = issue(shopper, "cd-" + tag, FIVE_OFF).path("couponId").asText();
        var orderEvent = "{\"events\":[{\"eventId\":\"e-" + tag + "\",\"shopperId\":\"" + shopper
                + "\",\"type\":\"order\",\"orderId\":\"o-" + tag + "\",\"amount\":20,\"sku\":\"d-" + tag
                + "\",\"quantity\":2,\"occurredAt\":\"2026-11-23T09:30:00Z\"}]}";
        post("/v1/events", orderEvent, "ingest-key").assertStatusCode(202);
        place(shopper, couponId, "[{\"sku\":\"d-" + tag + "\",\"quantity\":2}]");
        var late = orderEvent.replace("e-" + tag, "e2-" + tag);
        post("/v1/events", late, "ingest-key").assertStatusCode(202);

        var events = PersistenceTestKit.create(fixture.typed()).persistedInStorage("Shopper|" + shopper);
        assertThat(events.stream()
                        .filter(e -> e instanceof ShopperEvent.OrderPlaced)
                        .map(e -> ((ShopperEvent.OrderPlaced) e).recordedBefore()))
                .containsExactly(true);
        assertThat(events.stream()
                        .filter(e -> e instanceof ShopperEvent.BehaviourRecorded r
                                && r.event().type() == io.kairos.shopper.EventType.ORDER)
                        .map(e -> ((ShopperEvent.BehaviourRecorded) e).orderPlacedBefore()))
                .containsExactly(false, true);
    }
}

package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import java.util.List;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;

/**
 * Campaigns, offers, checkout, orders, stats and audit through the real routes and real entities (in-memory journal),
 * every response checked against the served OpenAPI document: roles, validation, status codes and bodies.
 */
public class OffersApiTest extends ShopperRouteTest {

    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- campaigns ----

    @Test
    public void operatorsCreateReadAndPatchCampaigns() {
        var id = "c-" + tag;
        var created = post(
                "/v1/campaigns",
                campaign(id, FIVE_OFF, ",\"holdoutPercent\":10,\"channels\":[\"in_app\",\"push\"]"),
                "operator-key");
        created.assertStatusCode(201);
        assertThat(body(created).path("status").asText()).isEqualTo("active");
        assertThat(body(created).path("available").decimalValue()).isEqualByComparingTo("100");
        assertThat(body(created).has("overbooking")).isFalse();
        // an overbooked campaign: its coupons may reserve three times its budget
        var overbooked = post("/v1/campaigns", campaign("ob-" + tag, FIVE_OFF, ",\"overbooking\":3"), "operator-key");
        overbooked.assertStatusCode(201);
        assertThat(body(overbooked).path("overbooking").decimalValue()).isEqualByComparingTo("3");
        assertThat(body(overbooked).path("available").decimalValue()).isEqualByComparingTo("300");
        post(
                        "/v1/campaigns",
                        campaign(id, FIVE_OFF, ",\"holdoutPercent\":10,\"channels\":[\"in_app\",\"push\"]"),
                        "operator-key")
                .assertStatusCode(201);
        post("/v1/campaigns", campaign(id, "{\"type\":\"amount_off\",\"value\":6}", ""), "operator-key")
                .assertStatusCode(409);

        get("/v1/campaigns/" + id, "auditor-key").assertStatusCode(200);
        var paused = send(
                HttpRequest.PATCH("/v1/campaigns/" + id)
                        .withEntity(ContentTypes.APPLICATION_JSON, "{\"status\":\"paused\"}"),
                "operator-key");
        paused.assertStatusCode(200);
        assertThat(body(paused).path("status").asText()).isEqualTo("paused");
        get("/v1/campaigns/nope-" + tag, "operator-key").assertStatusCode(404);
        var raised = send(
                HttpRequest.PATCH("/v1/campaigns/" + id).withEntity(ContentTypes.APPLICATION_JSON, "{\"budget\":150}"),
                "admin-key1");
        raised.assertStatusCode(200);

        // who acted, in the audit: the ids of the keys, never the keys; the refused creation changed nothing
        var changes =
                body(get("/v1/audit/campaigns/" + id + "/state", "auditor-key")).path("changes");
        assertThat(changes.findValuesAsText("action")).containsExactly("created", "updated", "updated");
        assertThat(changes.findValuesAsText("actor")).containsExactly("ops-console", "ops-console", "admin-1");
        assertThat(changes.findValuesAsText("detail"))
                .containsExactly("budget 100.00", "status paused", "budget 150.00");
        assertThat(changes.toString()).doesNotContain("operator-key").doesNotContain("admin-key1");
    }

    @Test
    public void campaignBodiesAreValidatedFieldByField() {
        var r = post(
                "/v1/campaigns",
                campaign("v-" + tag, "{\"type\":\"percent_off\",\"value\":20}", ",\"holdoutPercent\":100"),
                "operator-key");
        r.assertStatusCode(400);
        assertThat(body(r).path("errors").findValuesAsText("field")).contains("coupon.maxDiscount", "holdoutPercent");
        r = post(
                "/v1/campaigns",
                campaign("v-" + tag, "{\"type\":\"bundle\",\"value\":3.005,\"skus\":[\"a\"]}", ",\"marginRate\":0"),
                "operator-key");
        assertThat(body(r).path("errors").findValuesAsText("field")).contains("coupon.value", "marginRate");
        for (var overbooking : List.of("0.5", "21")) {
            r = post(
                    "/v1/campaigns", campaign("v-" + tag, FIVE_OFF, ",\"overbooking\":" + overbooking), "operator-key");
            r.assertStatusCode(400);
            assertThat(body(r).path("errors").findValuesAsText("field")).containsExactly("overbooking");
        }
        r = post(
                "/v1/campaigns",
                """
        {"campaignId":"v2","name":"x","coupon":{"type":"amount_off","value":1},"budget":1,"validDays":0,
         "startsAt":"2026-12-01T00:00:00Z","endsAt":"2026-11-01T00:00:00Z"}""",
                "operator-key");
        assertThat(body(r).path("errors").findValuesAsText("field")).contains("validDays", "endsAt");
        // the coupon's own rules are listed with the other fields' problems, not on the next try
        r = post(
                "/v1/campaigns",
                """
        {"name":"x","coupon":{"type":"bundle","value":3.005,"skus":["a"]},"budget":1,
         "startsAt":"2026-12-01T00:00:00Z","endsAt":"2027-01-01T00:00:00Z"}""",
                "operator-key");
        r.assertStatusCode(400);
        assertThat(body(r).path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("campaignId", "validDays", "coupon.value", "coupon.skus");
    }

    @Test
    public void rolesAreEnforcedOnTheNewResources() {
        post("/v1/campaigns", campaign("r-" + tag, FIVE_OFF, ""), "ingest-key").assertStatusCode(403);
        post("/v1/campaigns", campaign("r-" + tag, FIVE_OFF, ""), "auditor-key").assertStatusCode(403);
        get("/v1/shoppers/x/offers", "operator-key").assertStatusCode(403);
        post("/v1/shoppers/x/offers/decide", null, "operator-key").assertStatusCode(403);
        get("/v1/campaigns", "ingest-key").assertStatusCode(403);
        get("/v1/audit/decisions/d1", "ingest-key").assertStatusCode(403);
        post("/v1/orders/o1/cancel", "{}", "auditor-key").assertStatusCode(403);
        send(
                        HttpRequest.PATCH("/v1/campaigns/x")
                                .withEntity(ContentTypes.APPLICATION_JSON, "{\"status\":\"paused\"}"),
                        "auditor-key")
                .assertStatusCode(403);
    }

    // ---- offers, audit ----

    @Test
    public void anIssuedOfferLeadsToItsFullDecisionRecord() {
        var shopper = "s-" + tag;
        var offer = issue(shopper, "c-" + tag, FIVE_OFF);
        assertThat(offer.path("status").asText()).isEqualTo("issued");
        assertThat(offer.path("channel").asText()).isEqualTo("in_app");

        var audit = get("/v1/audit/decisions/" + offer.path("decisionId").asText(), "auditor-key");
        audit.assertStatusCode(200);
        var d = body(audit);
        assertThat(d.path("kind").asText()).isEqualTo("offer");
        assertThat(d.path("shopperId").asText()).isEqualTo(shopper);
        assertThat(d.path("model").path("source").asText()).isEqualTo("safe-rule");
        assertThat(d.path("model").path("note").asText()).contains("no uplift model");
        assertThat(d.path("candidates")).hasSize(1);
        assertThat(d.path("propensity").asDouble()).isPositive();
        assertThat(d.path("reservation").path("amount").decimalValue()).isEqualByComparingTo("5");
        assertThat(d.path("offer").path("couponId").asText())
                .isEqualTo(offer.path("couponId").asText());
        assertThat(d.path("journal").path("persistenceId").asText()).isEqualTo("Shopper|" + shopper);
        get("/v1/audit/decisions/unknown-" + tag, "auditor-key").assertStatusCode(404);
        // re-derived from its record: the safe rule scores again, the campaign's terms value again, the seed draws
        // again
        var replay = post("/v1/audit/decisions/" + offer.path("decisionId").asText() + "/replay", null, "auditor-key");
        replay.assertStatusCode(200);
        var verdict = body(replay);
        assertThat(verdict.path("rederivable").asBoolean()).as("%s", verdict).isTrue();
        assertThat(verdict.path("identical").asBoolean()).as("%s", verdict).isTrue();
        assertThat(verdict.path("differences")).isEmpty();
        assertThat(verdict.path("compared").asInt()).isGreaterThan(10);
        post("/v1/audit/decisions/unknown-" + tag + "/replay", null, "auditor-key")
                .assertStatusCode(404);
        // the campaign's decisions of a window, streamed: one verdict per line, then the counts
        var window = post(
                "/v1/audit/decisions/replay",
                "{\"from\":\"2000-01-01T00:00:00Z\",\"to\":\"2100-01-01T00:00:00Z\",\"campaignId\":\"c-" + tag + "\"}",
                "auditor-key");
        window.assertStatusCode(200);
        var lines = window.entityString()
                .lines()
                .map(l -> {
                    try {
                        return mapper.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("decisionId").asText())
                .isEqualTo(offer.path("decisionId").asText());
        assertThat(lines.get(1).path("summary").path("replayed").asInt()).isEqualTo(1);
        assertThat(lines.get(1).path("summary").path("identical").asInt()).isEqualTo(1);
        post(
                        "/v1/audit/decisions/replay",
                        "{\"from\":\"2100-01-01T00:00:00Z\",\"to\":\"2000-01-01T00:00:00Z\"}",
                        "auditor-key")
                .assertStatusCode(400);
        post("/v1/audit/decisions/" + offer.path("decisionId").asText() + "/replay", null, "ingest-key")
                .assertStatusCode(403);
        // the campaign and its ledger, rebuilt from its journal: now, and before it existed
        var campaignState = get("/v1/audit/campaigns/c-" + tag + "/state", "auditor-key");
        campaignState.assertStatusCode(200);
        assertThat(body(campaignState)
                        .path("state")
                        .path("campaign")
                        .path("campaignId")
                        .asText())
                .isEqualTo("c-" + tag);
        assertThat(body(campaignState)
                        .path("state")
                        .path("ledger")
                        .path("issued")
                        .asInt())
                .isEqualTo(1);
        assertThat(body(campaignState)
                        .path("state")
                        .path("campaign")
                        .path("reserved")
                        .decimalValue())
                .isEqualByComparingTo("5");
        assertThat(body(campaignState).path("changes").findValuesAsText("actor"))
                .as("who created it: the operator key's id")
                .containsExactly("ops-console");
        get("/v1/audit/campaigns/c-" + tag + "/state?at=2000-01-01T00:00:00Z", "auditor-key")
                .assertStatusCode(404);
        get("/v1/audit/campaigns/c-" + tag + "/state", "ingest-key").assertStatusCode(403);
        // the shopper view shows the offer too
        assertThat(body(get("/v1/shoppers/" + shopper, "ingest-key")).path("offers"))
                .hasSize(1);
    }

    @Test
    public void readingTheWalletIssuesNothingAndDecidingDoes() {
        var shopper = "w-" + tag;
        post("/v1/campaigns", campaign("w-" + tag, FIVE_OFF, ""), "operator-key")
                .assertStatusCode(201);
        knownShopper(shopper);
        assertThat(body(get("/v1/shoppers/" + shopper + "/offers", "ingest-key"))
                        .path("offers"))
                .isEmpty();
        var decided = post("/v1/shoppers/" + shopper + "/offers/decide", null, "ingest-key");
        decided.assertStatusCode(200);
        assertThat(body(decided).path("preview").asBoolean()).isFalse();
        assertThat(body(decided).path("offers")).hasSize(1);
        assertThat(body(decided).path("decisionId").asText())
                .isEqualTo(
                        body(decided).path("offers").get(0).path("decisionId").asText());
        assertThat(body(get("/v1/shoppers/" + shopper + "/offers", "ingest-key"))
                        .path("offers"))
                .hasSize(1);
    }

    @Test
    public void theSameIdempotencyKeyAnswersTheFirstDecision() {
        var shopper = "i-" + tag;
        post("/v1/campaigns", campaign("i1-" + tag, FIVE_OFF, ""), "operator-key")
                .assertStatusCode(201);
        knownShopper(shopper);
        var first = send(
                HttpRequest.POST("/v1/shoppers/" + shopper + "/offers/decide")
                        .addHeader(RawHeader.create("Idempotency-Key", "k-" + tag)),
                "ingest-key");
        post("/v1/campaigns", campaign("i2-" + tag, FIVE_OFF, ""), "operator-key")
                .assertStatusCode(201);
        var again = send(
                HttpRequest.POST("/v1/shoppers/" + shopper + "/offers/decide")
                        .addHeader(RawHeader.create("Idempotency-Key", "k-" + tag)),
                "ingest-key");
        assertThat(body(again).path("decisionId")).isEqualTo(body(first).path("decisionId"));
        assertThat(body(again).path("offers")).hasSize(1);
        send(
                        HttpRequest.POST("/v1/shoppers/" + shopper + "/offers/decide")
                                .addHeader(RawHeader.create("Idempotency-Key", "bad key")),
                        "ingest-key")
                .assertStatusCode(400);
    }

    @Test
    public void aGuestIsShownPreviewsItCannotRedeem() {
        var campaignId = "g-" + tag;
        post(
                        "/v1/campaigns",
                        campaign(campaignId, FIVE_OFF, ",\"description\":\"Five off\",\"terms\":\"One per order\""),
                        "operator-key")
                .assertStatusCode(201);
        var guest = post("/v1/shoppers/guest-" + tag + "/offers/decide", null, "ingest-key");
        guest.assertStatusCode(200);
        assertThat(body(guest).path("preview").asBoolean()).isTrue();
        assertThat(body(guest).path("decisionId").isMissingNode()).isTrue();
        var preview = body(guest).path("offers").findParents("campaignId").stream()
                .filter(o -> o.path("campaignId").asText().equals(campaignId))
                .findFirst()
                .orElseThrow();
        assertThat(preview.path("status").asText()).isEqualTo("preview");
        assertThat(preview.path("preview").asBoolean()).isTrue();
        assertThat(preview.path("couponId").isMissingNode()).isTrue();
        assertThat(preview.path("name").asText()).isNotEmpty();
        assertThat(preview.path("terms").asText()).isEqualTo("One per order");
        assertThat(preview.path("currency").asText()).isEqualTo("EUR");
        // nothing was kept for the guest
        get("/v1/shoppers/guest-" + tag, "ingest-key").assertStatusCode(404);
        assertThat(body(get("/v1/campaigns/" + campaignId, "ingest-key"))
                        .path("reserved")
                        .decimalValue())
                .isEqualByComparingTo("0");
    }

    @Test
    public void campaignsAreListedAPageAtATime() {
        for (int i = 0; i < 3; i++) {
            post("/v1/campaigns", campaign("l" + i + "-" + tag, FIVE_OFF, ""), "operator-key")
                    .assertStatusCode(201);
        }
        var ids = new java.util.ArrayList<String>();
        String cursor = null;
        do {
            var page = body(get("/v1/campaigns?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), "auditor-key"));
            assertThat(page.path("campaigns").size()).isLessThanOrEqualTo(2);
            page.path("campaigns").forEach(c -> ids.add(c.path("campaignId").asText()));
            cursor = page.path("nextCursor").isMissingNode()
                    ? null
                    : page.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(ids).isSorted().doesNotHaveDuplicates().contains("l0-" + tag, "l1-" + tag, "l2-" + tag);
        get("/v1/campaigns?status=stopped", "operator-key").assertStatusCode(400);
        get("/v1/campaigns?limit=0", "operator-key").assertStatusCode(400);
        get("/v1/campaigns?cursor=%25%25", "operator-key").assertStatusCode(400);
    }

    @Test
    public void aShopperSeesWhatItPaysWithItsWallet() {
        fixture.price("sp-" + tag, "30.00", null);
        var shopper = "p-" + tag;
        var offer = issue(shopper, "p-" + tag, FIVE_OFF);
        var prices = get("/v1/shoppers/" + shopper + "/prices?skus=sp-" + tag + ",none-" + tag, "ingest-key");
        prices.assertStatusCode(200);
        var entry = body(prices).path("prices").get(0);
        assertThat(entry.path("price").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(entry.path("discount").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(entry.path("youPay").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(entry.path("coupons").get(0).asText())
                .isEqualTo(offer.path("couponId").asText());
        assertThat(entry.path("explanation").asText())
                .contains(offer.path("couponId").asText());
        assertThat(body(prices).path("missing").get(0).asText()).isEqualTo("none-" + tag);

        var guest = body(get("/v1/shoppers/guest-" + tag + "/prices?skus=sp-" + tag, "ingest-key"));
        assertThat(guest.path("prices").get(0).path("youPay").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(guest.path("prices").get(0).path("coupons")).isEmpty();
        get("/v1/shoppers/" + shopper + "/prices", "ingest-key").assertStatusCode(400);
        get("/v1/shoppers/" + shopper + "/prices?skus=a", "operator-key").assertStatusCode(403);
    }

    @Test
    public void offersOfAnUnknownShopperAre404() {
        get("/v1/shoppers/ghost-" + tag + "/offers", "ingest-key").assertStatusCode(404);
    }

    @Test
    public void aCouponIsClaimedOnceAndUnknownCouponsAre404() {
        var shopper = "s-" + tag;
        var offer = issue(shopper, "c-" + tag, FIVE_OFF);
        var path =
                "/v1/shoppers/" + shopper + "/coupons/" + offer.path("couponId").asText() + "/claim";
        var claimed = post(path, "", "ingest-key");
        claimed.assertStatusCode(200);
        assertThat(body(claimed).path("status").asText()).isEqualTo("claimed");
        post(path, "", "ingest-key").assertStatusCode(200);
        post("/v1/shoppers/" + shopper + "/coupons/cp-none/claim", "", "ingest-key")
                .assertStatusCode(404);
    }

    // ---- checkout and orders ----

    @Test
    public void aQuoteFindsTheBestCouponAndChangesNothing() {
        fixture.price("sku-a-" + tag, "19.99", "15.00");
        var shopper = "s-" + tag;
        var offer = issue(shopper, "c-" + tag, FIVE_OFF);
        var quote = post(
                "/v1/checkout/quote",
                "{\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"sku-a-" + tag + "\",\"quantity\":2}]}",
                "ingest-key");
        quote.assertStatusCode(200);
        var q = body(quote);
        assertThat(q.path("subtotal").decimalValue()).isEqualByComparingTo("39.98");
        assertThat(q.path("best").path("couponIds").get(0).asText())
                .isEqualTo(offer.path("couponId").asText());
        assertThat(q.path("total").decimalValue()).isEqualByComparingTo("34.98");
        assertThat(q.path("lines").get(0).path("discount").decimalValue()).isEqualByComparingTo("5.00");
        var unpriced = post(
                "/v1/checkout/quote",
                "{\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"nothing\",\"quantity\":1}]}",
                "ingest-key");
        unpriced.assertStatusCode(422);
        // a guest is quoted the price everyone pays, without coupons
        var guest = post(
                "/v1/checkout/quote",
                "{\"shopperId\":\"ghost-" + tag + "\",\"items\":[{\"sku\":\"sku-a-" + tag + "\",\"quantity\":1}]}",
                "ingest-key");
        guest.assertStatusCode(200);
        assertThat(body(guest).path("coupons")).isEmpty();
        get("/v1/shoppers/ghost-" + tag, "ingest-key").assertStatusCode(404);
        var invalid = post(
                "/v1/checkout/quote",
                "{\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"a b\",\"quantity\":0}]}",
                "ingest-key");
        invalid.assertStatusCode(400);
        assertThat(body(invalid).path("errors").findValuesAsText("field"))
                .contains("items[0].sku", "items[0].quantity");
    }

    @Test
    public void anOrderRedeemsOnceIsIdempotentAndItsCancellationShowsInTheStats() {
        fixture.price("sku-b-" + tag, "30.00", null);
        var shopper = "s-" + tag;
        var campaignId = "c-" + tag;
        var offer = issue(shopper, campaignId, FIVE_OFF);
        var couponId = offer.path("couponId").asText();
        var order = "{\"orderId\":\"o-" + tag + "\",\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"sku-b-"
                + tag + "\",\"quantity\":1}],\"couponIds\":[\"" + couponId + "\"]}";
        var placed = post("/v1/orders", order, "ingest-key");
        placed.assertStatusCode(201);
        assertThat(body(placed).path("coupons").get(0).path("discount").decimalValue())
                .isEqualByComparingTo("5.00");
        assertThat(body(placed).path("total").decimalValue()).isEqualByComparingTo("25.00");
        var again = post("/v1/orders", order, "ingest-key");
        again.assertStatusCode(200);
        assertThat(body(again)).isEqualTo(body(placed));

        var reuse = post("/v1/orders", order.replace("o-" + tag, "o2-" + tag), "ingest-key");
        reuse.assertStatusCode(409);
        post("/v1/orders", order.replace(shopper, "other-" + tag), "ingest-key").assertStatusCode(409);

        var stats = body(get("/v1/campaigns/" + campaignId + "/stats", "operator-key"));
        assertThat(stats.path("redeemed").asInt()).isEqualTo(1);
        assertThat(stats.path("spent").decimalValue()).isEqualByComparingTo("5");

        var cancelled = post("/v1/orders/o-" + tag + "/cancel", "", "ingest-key");
        cancelled.assertStatusCode(200);
        assertThat(body(cancelled).path("status").asText()).isEqualTo("cancelled");
        post("/v1/orders/o-" + tag + "/cancel", "", "ingest-key").assertStatusCode(200);
        post("/v1/orders/missing-" + tag + "/cancel", "", "ingest-key").assertStatusCode(404);

        stats = body(get("/v1/campaigns/" + campaignId + "/stats", "auditor-key"));
        assertThat(stats.path("redeemed").asInt()).isZero();
        assertThat(stats.path("returned").asInt()).isEqualTo(1);
        assertThat(stats.path("spent").decimalValue()).isEqualByComparingTo("0");
        assertThat(stats.path("reserved").decimalValue()).isEqualByComparingTo("5");
        assertThat(stats.path("treatment").path("people").asInt()).isEqualTo(1);
        // the cancelled order no longer counts as a conversion
        assertThat(stats.path("treatment").path("converted").asInt()).isZero();
        // the coupon is usable again (never claimed, it is back as issued)
        assertThat(firstOfferStatus(shopper)).isEqualTo("issued");
    }

    @Test
    public void ordersWithBrokenCouponsAreUnprocessable() {
        fixture.price("sku-c-" + tag, "10.00", null);
        var shopper = "s-" + tag;
        issue(shopper, "c-" + tag, "{\"type\":\"threshold_amount_off\",\"value\":5,\"minSpend\":50}");
        var couponId = body(get("/v1/shoppers/" + shopper + "/offers", "ingest-key"))
                .path("offers")
                .get(0)
                .path("couponId")
                .asText();
        var r = post(
                "/v1/orders",
                "{\"orderId\":\"t-" + tag + "\",\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"sku-c-" + tag
                        + "\",\"quantity\":1}],\"couponIds\":[\"" + couponId + "\"]}",
                "ingest-key");
        r.assertStatusCode(422);
        assertThat(body(r).path("detail").asText()).contains("minimum spend");
    }

    @Test
    public void statsCompareTheTreatedWithTheHoldout() {
        var campaignId = "h-" + tag;
        post("/v1/campaigns", campaign(campaignId, FIVE_OFF, ",\"holdoutPercent\":50"), "operator-key")
                .assertStatusCode(201);
        for (int i = 0; i < 12; i++) {
            var shopper = "hs-" + tag + "-" + i;
            knownShopper(shopper);
            post("/v1/shoppers/" + shopper + "/offers/decide", null, "ingest-key")
                    .assertStatusCode(200);
        }
        var stats = body(get("/v1/campaigns/" + campaignId + "/stats", "operator-key"));
        long treated = stats.path("treatment").path("people").asLong();
        long held = stats.path("holdout").path("people").asLong();
        assertThat(treated + held).isEqualTo(12);
        assertThat(stats.path("issued").asLong()).isEqualTo(treated);
        // no shopper crashed between reserving and recording: one reservation per offer, none released
        assertThat(stats.path("reservations").path("made").asLong()).isEqualTo(treated);
        assertThat(stats.path("reservations").path("released").asLong()).isZero();
        if (treated > 0 && held > 0) {
            assertThat(stats.path("incremental")
                            .path("conversionRate")
                            .path("estimate")
                            .asDouble())
                    .isZero();
            assertThat(stats.path("incremental").path("method").asText()).contains("Newcombe");
        }
    }
}

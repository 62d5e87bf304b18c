package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code GET /v1/shoppers/{id}/offers/{offerId}/explanation}: plain language in English and Simplified Chinese, the
 * shopper's own factors only, and a refusal of personalization said as such; the shopper's price explained in both.
 */
public class ExplanationsApiTest extends ShopperRouteTest {
    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private String explanationPath(String shopper, String offerId) {
        return "/v1/shoppers/" + shopper + "/offers/" + offerId + "/explanation";
    }

    private void orders(String shopper, int n) {
        var events = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) events.append(',');
            events.append(
                    "{\"eventId\":\"%s-o%d\",\"shopperId\":\"%s\",\"type\":\"order\",\"orderId\":\"%s-%d\",\"amount\":40,\"occurredAt\":\"2026-11-1%dT09:00:00Z\"}"
                            .formatted(shopper, i, shopper, shopper, i, i));
        }
        post("/v1/events", events.append("]}").toString(), "ingest-key").assertStatusCode(202);
    }

    @Test
    public void anOfferIsExplainedInEnglishAndInChineseFromTheShoppersOwnHistory() {
        var loyal = "loyal-" + tag;
        orders(loyal, 7);
        var offer = issue(loyal, "x-" + tag, FIVE_OFF);
        var en = get(explanationPath(loyal, offer.path("offerId").asText()), "ingest-key");
        en.assertStatusCode(200);
        var english = body(en);
        assertThat(english.path("personalized").asBoolean()).isTrue();
        assertThat(english.path("lang").asText()).isEqualTo("en");
        assertThat(english.path("summary").asText()).contains("€5.00 off");
        assertThat(english.path("factors").toString())
                .contains("You have ordered 7 times.")
                .contains("Campaign: Winter.");

        var zh = body(get(explanationPath(loyal, offer.path("offerId").asText()) + "?lang=zh-CN", "ingest-key"));
        assertThat(zh.path("lang").asText()).isEqualTo("zh-CN");
        assertThat(zh.path("summary").asText()).contains("立减€5.00");
        assertThat(zh.path("factors").toString()).contains("您已下单7次。").contains("活动：Winter。");

        // another shopper's explanation carries nothing of the first one's history
        var newcomer = "new-" + tag;
        var other = issue(newcomer, "y-" + tag, FIVE_OFF);
        var theirs = body(get(explanationPath(newcomer, other.path("offerId").asText()), "ingest-key"));
        assertThat(theirs.toString()).doesNotContain("7 times").doesNotContain(loyal);
        assertThat(theirs.path("factors").toString()).contains("You have not ordered yet");

        get(explanationPath(loyal, offer.path("offerId").asText()) + "?lang=fr", "ingest-key")
                .assertStatusCode(400);
        get(explanationPath(loyal, "of-unknown-" + tag), "ingest-key").assertStatusCode(404);
        // the offer is the shopper's own: another shopper's offer id is not found for them
        get(explanationPath(newcomer, offer.path("offerId").asText()), "ingest-key")
                .assertStatusCode(404);
        // operators and auditors read it too: the console's shopper page shows it
        get(explanationPath(loyal, offer.path("offerId").asText()), "operator-key")
                .assertStatusCode(200);
        get(explanationPath(loyal, offer.path("offerId").asText()), "auditor-key")
                .assertStatusCode(200);
    }

    @Test
    public void aShopperWhoRefusedPersonalizationIsToldTheOfferIsTheSameForEveryoneWhoDid() {
        var shopper = "refused-" + tag;
        post(
                        "/v1/campaigns",
                        campaign("z-" + tag, FIVE_OFF, ",\"caps\":{\"perShopper\":1,\"perShopperDays\":30}"),
                        "operator-key")
                .assertStatusCode(201);
        knownShopper(shopper);
        send(
                        HttpRequest.PATCH("/v1/shoppers/" + shopper + "/profile")
                                .withEntity(
                                        ContentTypes.create(MediaTypes.applicationWithFixedCharset(
                                                "merge-patch+json", akka.http.javadsl.model.HttpCharsets.UTF_8)),
                                        "{\"personalization\":false}"),
                        "ingest-key")
                .assertStatusCode(200);
        var decided = body(post("/v1/shoppers/" + shopper + "/offers/decide", null, "ingest-key"));
        var offerId = decided.path("offers").get(0).path("offerId").asText();
        var en = body(get(explanationPath(shopper, offerId), "ingest-key"));
        assertThat(en.path("personalized").asBoolean(true)).isFalse();
        assertThat(en.path("summary").asText()).contains("not personalised");
        assertThat(en.path("factors").toString()).contains("open to every shopper");
        var zh = body(get(explanationPath(shopper, offerId) + "?lang=zh-CN", "ingest-key"));
        assertThat(zh.path("summary").asText()).contains("并非个性化");
    }

    @Test
    public void aShoppersPriceIsExplainedInEnglishAndInChinese() {
        fixture.price("dear-" + tag, "30.00", null);
        fixture.price("cheap-" + tag, "8.00", "6.00");
        var shopper = "pr-" + tag;
        var coupon = issue(shopper, "pr-" + tag, FIVE_OFF).path("couponId").asText();
        var path = "/v1/shoppers/" + shopper + "/prices?skus=dear-" + tag + ",cheap-" + tag;

        var en = body(get(path, "ingest-key")).path("prices");
        assertThat(en.get(0).path("explanation").asText())
                .isEqualTo("The price everyone pays, less €5.00 with your coupon " + coupon + ".");
        // 5 off 8 would go under the floor of 6: limited to 2
        assertThat(en.get(1).path("discount").decimalValue()).isEqualByComparingTo("2.00");
        assertThat(en.get(1).path("explanation").asText())
                .isEqualTo("The price everyone pays, less €2.00 with your coupon " + coupon
                        + ". The discount is limited so the price stays above the shop's floor.");

        var zh = body(get(path + "&lang=zh-CN", "ingest-key")).path("prices");
        assertThat(zh.get(0).path("explanation").asText()).isEqualTo("这是所有人支付的统一价格，使用您的优惠券 " + coupon + " 后减去€5.00。");
        assertThat(zh.get(1).path("explanation").asText()).endsWith("优惠金额已受限，以确保价格不低于商店的底价。");

        // a guest's price names no wallet, and carries nothing of another shopper's
        var guest = body(get("/v1/shoppers/guest-" + tag + "/prices?skus=dear-" + tag + "&lang=zh-CN", "ingest-key"));
        assertThat(guest.path("prices").get(0).path("explanation").asText()).isEqualTo("这是所有人现在支付的统一价格。");
        assertThat(guest.toString()).doesNotContain(coupon);
        get(path + "&lang=fr", "ingest-key").assertStatusCode(400);
    }
}

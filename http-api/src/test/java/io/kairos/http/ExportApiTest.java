package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code GET /v1/shoppers/{id}/export}: everything held about a person, in one document, for admins only; reading it
 * changes nothing.
 */
public class ExportApiTest extends ShopperRouteTest {
    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    public void anExportHoldsThePersonItsJournalsItsOrdersAndItsDecisions() {
        var shopper = "ex-" + tag;
        var phone = "phone:+49151" + (10_000_000 + Math.abs(tag.hashCode() % 89_999_999));
        put(
                        "/v1/shoppers/" + shopper + "/profile",
                        "{\"region\":\"north\",\"attributes\":{\"nickname\":\"Ada " + tag + "\"}}",
                        "ingest-key")
                .assertStatusCode(200);
        post("/v1/shoppers/" + shopper + "/links", "{\"identity\":\"" + phone + "\"}", "ingest-key")
                .assertStatusCode(200);
        fixture.price("ex-sku-" + tag, "30.00", null);
        var offer = issue(shopper, "ex-" + tag, FIVE_OFF);
        var order = "{\"orderId\":\"ex-o-" + tag + "\",\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\"ex-sku-"
                + tag + "\",\"quantity\":1}],\"couponIds\":[\""
                + offer.path("couponId").asText() + "\"]}";
        post("/v1/orders", order, "ingest-key").assertStatusCode(201);

        var path = "/v1/shoppers/" + shopper + "/export";
        // the decision record is readable once the read side has it
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        body(get(path, "admin-key1")).path("decisions").findValuesAsText("decisionId"))
                .contains(offer.path("decisionId").asText()));
        var export = body(get(path, "admin-key1"));

        assertThat(export.path("shopperId").asText()).isEqualTo(shopper);
        assertThat(export.path("shopper")
                        .path("profile")
                        .path("attributes")
                        .path("nickname")
                        .asText())
                .isEqualTo("Ada " + tag);
        assertThat(export.path("shopper").path("links").toString()).contains(phone);
        var journals = export.path("journals").findValuesAsText("persistenceId");
        assertThat(journals.get(0)).isEqualTo("Shopper|" + shopper);
        assertThat(journals).contains("Order|ex-o-" + tag);
        var own = export.path("journals").get(0).path("events");
        assertThat(own.findValuesAsText("type")).contains("ProfileUpdated", "IdentityLinked", "OfferIssued");
        assertThat(own.toString()).contains("Ada " + tag).contains(phone);

        // the linked identity exports the person; a stranger is 404; only admins export
        assertThat(body(get("/v1/shoppers/" + phone + "/export", "admin-key1"))
                        .path("shopperId")
                        .asText())
                .isEqualTo(shopper);
        get("/v1/shoppers/nobody-" + tag + "/export", "admin-key1").assertStatusCode(404);
        for (var key : new String[] {"ingest-key", "operator-key", "auditor-key"})
            get(path, key).assertStatusCode(403);

        // reading it changed nothing: the journals are as they were
        var again = body(get(path, "admin-key1"));
        assertThat(again.path("journals")).isEqualTo(export.path("journals"));
    }
}

package io.kairos.http.price;

import static org.assertj.core.api.Assertions.assertThat;

import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.Config;
import io.kairos.http.ContractRouteTest;
import io.kairos.pricing.PricingSettings;
import io.kairos.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Before;
import org.junit.Test;

/**
 * The catalogue through the real routes: imported SKUs sell at their list price ({@code policy: list}) until a pricing
 * actor prices them, the list pages through every SKU once, a changed list price is remembered for the 30-day lowest,
 * and a bad import is refused whole with every problem listed. Every response is checked against {@code openapi.yaml}.
 */
public class CatalogRoutesTest extends ContractRouteTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private PricingFixture fixture;
    private ManualClock clock;

    @Override
    public Config additionalConfig() {
        return PricingFixture.CONFIG;
    }

    @Before
    public void setUp() {
        clock = new ManualClock(NOW);
        fixture = new PricingFixture(system(), clock, PricingSettings.fromConfig(PricingFixture.CONFIG));
        PersistenceTestKit.create(fixture.typed()).clearAll();
        route = fixture.routes();
    }

    private static String entry(String sku, String listPrice, String cost) {
        return "{\"sku\":\"%s\",\"listPrice\":%s,\"cost\":%s,\"category\":\"tea\",\"name\":\"Tea %s\"}"
                .formatted(sku, listPrice, cost, sku);
    }

    @Test
    public void importedSkusSellAtTheirListPriceUntilAPricingActorPricesThem() {
        var imported = put(
                "/v1/catalog/skus",
                "{\"skus\":[" + entry("cat-1", "12.50", "5.00") + "," + entry("cat-2", "3.00", "1.00") + "]}",
                "operator-key");
        imported.assertStatusCode(200);
        assertThat(body(imported).path("upserted").asInt()).isEqualTo(2);

        var price = body(get("/v1/prices/cat-1", "ingest-key"));
        assertThat(price.path("price").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(price.path("policy").asText()).isEqualTo("list");
        assertThat(price.path("decisionId").isMissingNode()).isTrue();
        assertThat(price.path("currency").asText()).isEqualTo("EUR");

        // a lower list price is the price at once and its own 30-day lowest; raised again, the lower one stays
        clock.advance(Duration.ofDays(1));
        put("/v1/catalog/skus", "{\"skus\":[" + entry("cat-1", "10.00", "5.00") + "]}", "operator-key")
                .assertStatusCode(200);
        var lowered = body(get("/v1/prices/cat-1", "ingest-key"));
        assertThat(lowered.path("price").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(lowered.path("lowestPrice30d").decimalValue()).isEqualByComparingTo("10.00");
        put("/v1/catalog/skus", "{\"skus\":[" + entry("cat-1", "11.00", "5.00") + "]}", "admin-key1")
                .assertStatusCode(200);
        assertThat(body(get("/v1/prices/cat-1", "ingest-key"))
                        .path("lowestPrice30d")
                        .decimalValue())
                .isEqualByComparingTo("10.00");

        // a dynamic configuration takes over the SKU's price
        put(
                        "/v1/skus/cat-2",
                        """
                {"listPrice": 3.00, "cost": 1.00, "floor": 2.00, "ceiling": 4.00, "maxStepPercent": 10,
                 "minMarginPercent": 10, "repriceEvery": "PT1H", "policy": "thompson"}""",
                        "operator-key")
                .assertStatusCode(200);
        var listed = body(get("/v1/skus?limit=10", "auditor-key")).path("skus");
        var dynamic = new ArrayList<String>();
        listed.forEach(s -> {
            if (s.path("dynamic").asBoolean()) dynamic.add(s.path("sku").asText());
        });
        assertThat(dynamic).containsExactly("cat-2");
        // who imported each entry last: the id of the key, never the key
        var importedBy = new java.util.TreeMap<String, String>();
        listed.forEach(
                s -> importedBy.put(s.path("sku").asText(), s.path("importedBy").asText()));
        assertThat(importedBy).containsEntry("cat-1", "admin-1").containsEntry("cat-2", "ops-console");
        assertThat(body(get("/v1/prices/cat-2", "ingest-key")).path("policy").asText())
                .isEqualTo("thompson");
    }

    @Test
    public void aCataloguedSkuGoesOnDynamicPricingWithoutRepeatingItsListPriceAndCost() {
        put("/v1/catalog/skus", "{\"skus\":[" + entry("dyn-1", "12.50", "5.00") + "]}", "operator-key")
                .assertStatusCode(200);
        var guardrails =
                """
        {"floor": 9.00, "ceiling": 16.00, "maxStepPercent": 10, "minMarginPercent": 20, "repriceEvery": "PT1H",
         "policy": "thompson"}""";
        var configured = put("/v1/skus/dyn-1", guardrails, "operator-key");
        configured.assertStatusCode(200);
        assertThat(body(configured).path("listPrice").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(body(configured).path("cost").decimalValue()).isEqualByComparingTo("5.00");
        // what the body gives wins over the catalogue
        var own = put("/v1/skus/dyn-1", guardrails.replace("{", "{\"cost\": 6.00, "), "operator-key");
        assertThat(body(own).path("cost").decimalValue()).isEqualByComparingTo("6.00");
        // a SKU the catalogue does not know needs both, and the answer says so with the other problems
        var unknown = put("/v1/skus/nowhere-1", guardrails.replace("\"thompson\"", "\"magic\""), "operator-key");
        unknown.assertStatusCode(400);
        assertThat(body(unknown).path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("listPrice", "cost", "policy");
    }

    @Test
    public void theListVisitsEverySkuOnce() {
        var skus = IntStream.range(0, 23)
                .mapToObj(i -> entry("pg-" + i, "2.00", "1.00"))
                .collect(Collectors.joining(","));
        put("/v1/catalog/skus", "{\"skus\":[" + skus + "]}", "operator-key").assertStatusCode(200);
        var seen = new ArrayList<String>();
        String cursor = null;
        do {
            var page = body(get("/v1/skus?limit=5" + (cursor == null ? "" : "&cursor=" + cursor), "ingest-key"));
            page.path("skus").forEach(s -> seen.add(s.path("sku").asText()));
            cursor = page.path("nextCursor").isMissingNode()
                    ? null
                    : page.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen.stream().filter(s -> s.startsWith("pg-"))).hasSize(23).doesNotHaveDuplicates();
        get("/v1/skus?limit=0", "ingest-key").assertStatusCode(400);
        get("/v1/skus?cursor=%25%25", "ingest-key").assertStatusCode(400);
    }

    @Test
    public void aBadImportIsRefusedWholeWithEveryProblemListed() {
        var r = put(
                "/v1/catalog/skus",
                "{\"skus\":[" + entry("ok-1", "1.00", "0.50") + "," + entry("ok-1", "1.00", "0.50") + ","
                        + "{\"sku\":\"bad sku\",\"listPrice\":-1,\"cost\":1,\"currency\":\"euro\"},"
                        + "{\"sku\":\"free\",\"listPrice\":0,\"cost\":0}]}",
                "operator-key");
        r.assertStatusCode(400);
        assertThat(body(r).path("errors").findValuesAsText("field"))
                .contains("skus[1].sku", "skus[2].sku", "skus[2].listPrice", "skus[2].currency", "skus[3].listPrice");
        get("/v1/prices/ok-1", "ingest-key").assertStatusCode(404);
        var tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> entry("m-" + i, "1.00", "0.50"))
                .collect(Collectors.joining(","));
        put("/v1/catalog/skus", "{\"skus\":[" + tooMany + "]}", "operator-key").assertStatusCode(413);
        put("/v1/catalog/skus", "{\"skus\":[" + entry("r-1", "1.00", "0.50") + "]}", "ingest-key")
                .assertStatusCode(403);
    }
}

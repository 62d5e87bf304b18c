package io.kairos.http.price;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.http.ContractRouteTest;
import io.kairos.http.Json;
import io.kairos.http.OpenApiContract;
import io.kairos.pricing.PricingSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code /v1/prices} and {@code /v1/skus} through the real routes, real SKU entities (in-memory journal) and the node's
 * real price view: configuring a SKU posts a legal price that price reads then serve from the view; roles, validation
 * with the entity's own rules, 404s and the 422 of an entity that refuses; price history; and the decision lookup the
 * audit API uses, from the entity's state and from the journal. Every response is checked against {@code openapi.yaml}.
 */
public class PriceRoutesTest extends ContractRouteTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SKU =
            """
      {"listPrice": 20.00, "cost": 8.00, "floor": 14.00, "ceiling": 26.00, "maxStepPercent": 10,
       "minMarginPercent": 10, "repriceEvery": "PT1H", "policy": "thompson", "inventory": 500}""";

    private PricingFixture fixture;

    @Override
    public Config additionalConfig() {
        return PricingFixture.CONFIG;
    }

    @Before
    public void setUp() {
        // The entities keep only their last decision in state, so older ones are read from the journal; they refuse
        // cadences under 10 minutes while the routes accept 5 (a node whose configuration is being rolled out).
        var entitySettings = PricingSettings.fromConfig(ConfigFactory.parseString(
                        """
        decisions-retained = 1
        min-reprice-every = 10m
        """)
                .atPath("kairos.pricing")
                .withFallback(PricingFixture.CONFIG));
        fixture = new PricingFixture(system(), Clock.fixed(NOW, ZoneOffset.UTC), entitySettings);
        PersistenceTestKit.create(fixture.typed()).clearAll();
        route = fixture.routes();
    }

    private static java.util.List<String> errorFields(TestRouteResult r) {
        return body(r).path("errors").findValuesAsText("field");
    }

    @Test
    public void aConfiguredSkuHasALegalPriceThatPriceReadsServeFromTheView() {
        var put = put("/v1/skus/tea-1", SKU, "operator-key");
        put.assertStatusCode(200);
        var sku = body(put);
        assertThat(sku.path("policy").asText()).isEqualTo("thompson");
        assertThat(sku.path("objective").asText()).isEqualTo("margin");
        assertThat(sku.path("currency").asText()).isEqualTo("EUR");
        assertThat(sku.path("repriceEvery").asText()).isEqualTo("PT1H");
        assertThat(sku.path("inventory").asLong()).isEqualTo(500);
        assertThat(sku.path("prior").path("source").asText()).isEqualTo("settings");
        assertThat(sku.path("price").path("price").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(sku.path("price").path("validFrom").asText()).isEqualTo(NOW.toString());

        // the view holds the quote the entity published: no entity is asked for a price read
        assertThat(fixture.view().price("tea-1")).isPresent();
        var price = body(get("/v1/prices/tea-1", "ingest-key"));
        assertThat(price.path("price").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(price.path("lowestPrice30d").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(price.path("decisionId").asText()).isEqualTo("price:tea-1:2");
        assertThat(price).isEqualTo(sku.path("price"));

        var batch = body(get("/v1/prices?skus=tea-1,nothing-here,tea-1", "ingest-key"));
        assertThat(batch.path("prices").findValuesAsText("sku")).containsExactly("tea-1");
        assertThat(batch.path("missing").toString()).isEqualTo("[\"nothing-here\"]");

        assertThat(body(get("/v1/skus/tea-1", "auditor-key"))).isEqualTo(sku);
    }

    @Test
    public void aConfigurationThatMakesThePriceIllegalMovesItAtOnceAndTheHistoryShowsWhy() {
        put("/v1/skus/tea-2", SKU, "operator-key").assertStatusCode(200);
        var raised = put("/v1/skus/tea-2", SKU.replace("\"floor\": 14.00", "\"floor\": 22.50"), "admin-key1");
        raised.assertStatusCode(200);
        assertThat(body(raised).path("price").path("price").decimalValue()).isEqualByComparingTo("22.50");
        assertThat(body(get("/v1/prices/tea-2", "ingest-key")).path("price").decimalValue())
                .isEqualByComparingTo("22.50");

        var history = body(get("/v1/skus/tea-2/price-history", "operator-key"));
        assertThat(history.path("complete").asBoolean()).isTrue();
        assertThat(history.path("points").findValuesAsText("reason")).containsExactly("initial", "config");
        assertThat(history.path("points").path(1).path("boundBy").toString()).isEqualTo("[\"floor\"]");
        var windowed = body(
                get("/v1/skus/tea-2/price-history?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z", "auditor-key"));
        assertThat(windowed.path("points").findValuesAsText("price")).containsExactly("22.5");
        get("/v1/skus/tea-2/price-history?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "auditor-key")
                .assertStatusCode(400);

        // who acted: each configuration names the id of the key that made it, never the key
        var changes = body(get("/v1/audit/skus/tea-2/state", "auditor-key")).path("changes");
        assertThat(changes.findValuesAsText("action")).containsExactly("configured", "configured");
        assertThat(changes.findValuesAsText("actor")).containsExactly("ops-console", "admin-1");
        assertThat(changes.path(1).path("detail").asText()).contains("floor 22.50");
        assertThat(changes.toString()).doesNotContain("operator-key").doesNotContain("admin-key1");
    }

    @Test
    public void pricesAreReadByIngestAndSkusByOperatorsAndAuditors() {
        put("/v1/skus/tea-3", SKU, "ingest-key").assertStatusCode(403);
        put("/v1/skus/tea-3", SKU, "auditor-key").assertStatusCode(403);
        put("/v1/skus/tea-3", SKU, null).assertStatusCode(401);
        put("/v1/skus/tea-3", SKU, "operator-key").assertStatusCode(200);
        get("/v1/skus/tea-3", "ingest-key").assertStatusCode(403);
        get("/v1/skus/tea-3/price-history", "ingest-key").assertStatusCode(403);
        get("/v1/prices/tea-3", "operator-key").assertStatusCode(403);
        get("/v1/prices/tea-3", "auditor-key").assertStatusCode(403);
        get("/v1/prices?skus=tea-3", "admin-key1").assertStatusCode(200);
        get("/v1/prices/tea-3", null).assertStatusCode(401);
    }

    @Test
    public void unknownSkusAre404() {
        get("/v1/prices/unknown-sku", "ingest-key").assertStatusCode(404);
        get("/v1/skus/unknown-sku", "operator-key").assertStatusCode(404);
        get("/v1/skus/unknown-sku/price-history", "operator-key").assertStatusCode(404);
        get("/v1/skus/bad%20sku", "operator-key").assertStatusCode(400);
        get("/v1/prices/bad%20sku", "ingest-key").assertStatusCode(400);
    }

    @Test
    public void everyInvalidFieldIsListedWithTheEntitysOwnRules() {
        var r = put(
                "/v1/skus/bad-1",
                """
        {"listPrice": -1, "cost": 8, "floor": 14, "ceiling": 26, "minMarginPercent": 10,
         "repriceEvery": "hourly", "policy": "magic", "objective": "love", "sellThroughBy": "soon"}""",
                "operator-key");
        r.assertStatusCode(400);
        assertThat(errorFields(r))
                .contains("listPrice", "maxStepPercent", "repriceEvery", "policy", "objective", "sellThroughBy");

        r = put("/v1/skus/bad-2", SKU.replace("\"ceiling\": 26.00", "\"ceiling\": 12.00"), "operator-key");
        r.assertStatusCode(400);
        assertThat(errorFields(r)).containsExactly("ceiling");
        r = put("/v1/skus/bad-3", SKU.replace("\"minMarginPercent\": 10", "\"minMarginPercent\": 300"), "operator-key");
        assertThat(errorFields(r)).containsExactly("minMarginPercent");
        r = put(
                "/v1/skus/bad-4",
                SKU.replace("PT1H", "PT1M").replace("\"maxStepPercent\": 10", "\"maxStepPercent\": 0"),
                "operator-key");
        assertThat(errorFields(r)).containsExactlyInAnyOrder("repriceEvery", "maxStepPercent");
        r = put(
                "/v1/skus/bad-5",
                SKU.replace("\"inventory\": 500", "\"inventory\": 5, \"currency\": \"XXX\""),
                "operator-key");
        assertThat(errorFields(r)).containsExactly("currency");
        r = put("/v1/skus/bad-6", SKU.replace("\"inventory\": 500", "\"colour\": \"red\""), "operator-key");
        assertThat(errorFields(r)).containsExactly("colour");
        send(HttpRequest.PUT("/v1/skus/bad-7").withEntity(ContentTypes.TEXT_PLAIN_UTF8, SKU), "operator-key")
                .assertStatusCode(415);

        get("/v1/skus/bad-1", "operator-key").assertStatusCode(404);
    }

    @Test
    public void aFloorAboveTheCeilingIsListedWithTheOtherProblemsInOneResponse() {
        var floorAboveCeilingEveryMinute =
                SKU.replace("\"floor\": 14.00", "\"floor\": 30.00").replace("PT1H", "PT1M");

        var r = put("/v1/skus/bad-8", floorAboveCeilingEveryMinute, "operator-key");

        r.assertStatusCode(400).assertMediaType("application/problem+json");
        assertThat(errorFields(r)).containsExactlyInAnyOrder("repriceEvery", "ceiling");
        assertThat(body(r).path("detail").asText()).isEqualTo("2 fields are invalid");
        // the body's own checks and the entity's rules answer together, each field once
        r = put(
                "/v1/skus/bad-9",
                floorAboveCeilingEveryMinute
                        .replace("\"thompson\"", "\"magic\"")
                        .replace("20.00", "-20.00"),
                "operator-key");
        r.assertStatusCode(400);
        assertThat(errorFields(r)).containsExactlyInAnyOrder("listPrice", "policy", "repriceEvery", "ceiling");
        get("/v1/skus/bad-8", "operator-key").assertStatusCode(404);
    }

    @Test
    public void aConfigurationTheEntityRefusesIs422AndChangesNothing() {
        // valid for the routes (at least 5 minutes), refused by the entity, whose minimum is 10 minutes
        var r = put("/v1/skus/tea-4", SKU.replace("PT1H", "PT6M"), "operator-key");
        r.assertStatusCode(422);
        assertThat(body(r).path("detail").asText()).contains("repriceEvery");
        get("/v1/skus/tea-4", "operator-key").assertStatusCode(404);
        assertThat(fixture.view().contains("tea-4")).isFalse();
    }

    @Test
    public void batchReadsAreBoundedAndValidated() {
        var tooMany = IntStream.range(0, 201).mapToObj(i -> "s" + i).collect(Collectors.joining(","));
        var r = get("/v1/prices?skus=" + tooMany, "ingest-key");
        r.assertStatusCode(400);
        assertThat(errorFields(r)).containsExactly("skus");
        get("/v1/prices", "ingest-key").assertStatusCode(400);
        get("/v1/prices?skus=a,,b", "ingest-key").assertStatusCode(400);
        var all = IntStream.range(0, 200).mapToObj(i -> "s" + i).collect(Collectors.joining(","));
        assertThat(body(get("/v1/prices?skus=" + all, "ingest-key"))
                        .path("missing")
                        .size())
                .isEqualTo(200);
    }

    @Test
    public void decisionsAreFoundByIdInTheEntityAndInTheJournal() throws Exception {
        put("/v1/skus/tea-5", SKU, "operator-key").assertStatusCode(200);
        var initialId =
                body(get("/v1/prices/tea-5", "ingest-key")).path("decisionId").asText();
        put("/v1/skus/tea-5", SKU.replace("\"ceiling\": 26.00", "\"ceiling\": 18.00"), "operator-key")
                .assertStatusCode(200);
        var correctionId =
                body(get("/v1/prices/tea-5", "ingest-key")).path("decisionId").asText();
        var decisions = fixture.decisions();

        // the correction is the one decision the entity retains; the first price's decision is only in the journal
        var correction = decisions
                .lookup(correctionId)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();
        var initial = decisions
                .lookup(initialId)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();

        assertThat(correction.reason()).isEqualTo("config");
        assertThat(correction.outcome()).isEqualTo("changed");
        assertThat(correction.price()).isEqualByComparingTo("18.00");
        assertThat(correction.boundBy()).containsExactly("ceiling");
        assertThat(initial.reason()).isEqualTo("initial");
        assertThat(initial.decisionId()).isEqualTo(initialId);
        assertThat(initial.price()).isEqualByComparingTo("20.00");
        for (var d : new PriceDecisionResponse[] {correction, initial}) {
            OpenApiContract.checkSchema(
                    "PriceDecision", new String(Json.write(d), java.nio.charset.StandardCharsets.UTF_8));
        }
        for (var missing : new String[] {
            "price:tea-5:99",
            "price:tea-5:1",
            "price:nobody:2",
            "offer:x:1",
            "price:tea-5:x",
            "price::2",
            "price:bad sku:2"
        }) {
            assertThat(decisions.lookup(missing).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .as(missing)
                    .isEmpty();
            assertThat(decisions.replay(missing).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .as(missing)
                    .isEmpty();
        }
        assertThat(Duration.between(NOW, correction.at())).isZero();
        // the SKU rebuilt from its journal: the corrected price, both decisions retained; nothing before it existed
        var state = body(get("/v1/audit/skus/tea-5/state", "auditor-key"));
        assertThat(state.path("state").path("sku").path("price").path("price").decimalValue())
                .isEqualByComparingTo("18.00");
        assertThat(state.path("state").path("recentDecisions").toString()).contains(correctionId);
        get("/v1/audit/skus/tea-5/state?at=2000-01-01T00:00:00Z", "auditor-key").assertStatusCode(404);
        // both re-derived from the journal before them: the guardrails on the configuration recorded just before
        for (var id : new String[] {initialId, correctionId}) {
            var replayed = decisions
                    .replay(id)
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)
                    .orElseThrow();
            assertThat(replayed.rederivable()).as("%s", replayed).isTrue();
            assertThat(replayed.identical()).as("%s", replayed).isTrue();
            OpenApiContract.checkSchema(
                    "DecisionReplay", new String(Json.write(replayed), java.nio.charset.StandardCharsets.UTF_8));
        }
        // the SKU's window: both decisions in one pass over its journal; none before they were taken
        var window = decisions
                .replayWindow("tea-5", NOW.minusSeconds(1), NOW.plusSeconds(1))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(window)
                .extracting(io.kairos.audit.Rederivation.Result::decisionId)
                .containsExactly(initialId, correctionId);
        assertThat(window).allMatch(io.kairos.audit.Rederivation.Result::identical);
        assertThat(decisions
                        .replayWindow("tea-5", NOW.minusSeconds(60), NOW.minusSeconds(1))
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS))
                .isEmpty();
    }

    @Test
    public void theNumberOfDynamicallyPricedSkusIsBoundedAndTheRestSellFromTheCatalogue() {
        var view = fixture.view();
        var bounded = PricingSettings.fromConfig(ConfigFactory.parseString("view.max-skus = " + (view.size() + 1))
                .atPath("kairos.pricing")
                .withFallback(PricingFixture.CONFIG));
        route = new PricingFixture(system(), Clock.fixed(NOW, ZoneOffset.UTC), bounded).routes();
        put("/v1/skus/room-1", SKU, "operator-key").assertStatusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> view.contains("room-1"));

        var full = put("/v1/skus/room-2", SKU, "operator-key");
        full.assertStatusCode(409);
        assertThat(body(full).path("detail").asText()).contains("kairos.pricing.view.max-skus");
        // a SKU already priced may be reconfigured
        put("/v1/skus/room-1", SKU, "operator-key").assertStatusCode(200);
    }
}

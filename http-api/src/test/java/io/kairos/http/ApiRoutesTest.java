package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Test;

/**
 * The API's behaviour through its real routes and real shopper entities (in-memory journal): authentication and roles,
 * validation and limits as problem+json, 202-after-persist semantics, and identity links. Every response is also
 * checked against the served OpenAPI document.
 */
public class ApiRoutesTest extends ShopperRouteTest {

    private static String event(String shopperId, String type, String extra) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"shopperId\":\"" + shopperId + "\",\"type\":\"" + type
                + "\",\"occurredAt\":\"2026-11-23T09:00:00Z\"" + extra + "}";
    }

    private static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private static String firstErrorField(TestRouteResult r) {
        return body(r).path("errors").path(0).path("field").asText();
    }

    // ---- auth ----

    @Test
    public void aCallWithoutKeyIs401WithAChallenge() {
        var r = post("/v1/events", batch(event("s1", "view", "")), null);
        r.assertStatusCode(401).assertMediaType("application/problem+json").assertHeaderKindExists("WWW-Authenticate");
        assertThat(body(r).path("status").asInt()).isEqualTo(401);
    }

    @Test
    public void anUnknownKeyIs401() {
        post("/v1/events", batch(event("s1", "view", "")), "not-a-key").assertStatusCode(401);
        send(HttpRequest.GET("/v1/shoppers/s1").addHeader(RawHeader.create("Authorization", "Basic abc")), null)
                .assertStatusCode(401);
    }

    @Test
    public void aRoleWithoutTheRightIs403() {
        post("/v1/events", batch(event("s1", "view", "")), "auditor-key").assertStatusCode(403);
        post("/v1/events", batch(event("s1", "view", "")), "operator-key").assertStatusCode(403);
        put("/v1/shoppers/s1/profile", "{}", "auditor-key").assertStatusCode(403);
        post("/v1/shoppers/s1/links", "{\"identity\":\"phone:1\"}", "operator-key")
                .assertStatusCode(403);
    }

    @Test
    public void readersAndAdminsMayReadAShopper() {
        post("/v1/events", batch(event("reader", "view", "")), "admin-key1").assertStatusCode(202);
        for (var key : new String[] {"ingest-key", "operator-key", "auditor-key", "admin-key1"}) {
            get("/v1/shoppers/reader", key).assertStatusCode(200);
        }
    }

    @Test
    public void theOpenApiDocumentNeedsNoKey() {
        var r = send(HttpRequest.GET("/openapi.yaml"), null);
        r.assertStatusCode(200);
        assertThat(r.entityString()).startsWith("openapi: 3.0.3");
    }

    // ---- events ----

    @Test
    public void acceptedEventsAreRecordedAndReSendingThemReportsDuplicates() {
        var events = batch(
                event("a", "view", ",\"category\":\"shoes\""),
                event("a", "add_to_cart", ",\"sku\":\"sku-1\",\"quantity\":2"),
                event("b", "order", ",\"orderId\":\"o-1\",\"amount\":49.90"));
        var first = post("/v1/events", events, "ingest-key");
        first.assertStatusCode(202);
        assertThat(body(first).path("accepted").asInt()).isEqualTo(3);
        assertThat(body(first).path("duplicates").asInt()).isZero();

        var again = post("/v1/events", events, "ingest-key");
        assertThat(body(again).path("accepted").asInt()).isZero();
        assertThat(body(again).path("duplicates").asInt()).isEqualTo(3);

        var a = body(get("/v1/shoppers/a", "ingest-key"));
        assertThat(a.path("eventCount").asInt()).isEqualTo(2);
        assertThat(a.path("scores").has("category:shoes")).isTrue();
        assertThat(a.path("tags").toString()).contains("cart_open");
        var b = body(get("/v1/shoppers/b", "ingest-key"));
        assertThat(b.path("lifecycle").path("stage").asText()).isEqualTo("active");
        assertThat(b.path("rfm").path("monetary").decimalValue()).isEqualByComparingTo("49.90");
    }

    @Test
    public void aFailedPersistAnswers503WithRetryAfterAndRecordsNothing() {
        PersistenceTestKit.create(fixture.typed()).failNextPersisted();
        var r = post("/v1/events", batch(event("fragile", "view", "")), "ingest-key");
        r.assertStatusCode(503).assertHeaderKindExists("Retry-After").assertMediaType("application/problem+json");
        get("/v1/shoppers/fragile", "ingest-key").assertStatusCode(404);
    }

    @Test
    public void malformedJsonIs400() {
        var r = post("/v1/events", "{\"events\": [", "ingest-key");
        r.assertStatusCode(400).assertMediaType("application/problem+json");
        assertThat(firstErrorField(r)).isEqualTo("$");
    }

    @Test
    public void unknownFieldsAreNamed() {
        var r = post("/v1/events", batch(event("s1", "view", ",\"colour\":\"red\"")), "ingest-key");
        r.assertStatusCode(400);
        assertThat(firstErrorField(r)).isEqualTo("events[0].colour");
    }

    @Test
    public void wrongTypesAreNamed() {
        var r = post(
                "/v1/events", batch(event("s1", "order", ",\"orderId\":\"o1\",\"amount\":\"12.5\"")), "ingest-key");
        r.assertStatusCode(400);
        assertThat(firstErrorField(r)).isEqualTo("events[0].amount");
        r = post("/v1/events", batch(event("s1", "view", ",\"quantity\":1.5")), "ingest-key");
        assertThat(firstErrorField(r)).isEqualTo("events[0].quantity");
        r = post("/v1/events", batch(event("s1", "view", ",\"sku\":42")), "ingest-key");
        assertThat(firstErrorField(r)).isEqualTo("events[0].sku");
    }

    @Test
    public void everyInvalidFieldIsListedAndNothingIsRecorded() {
        var r = post(
                "/v1/events",
                batch(
                        event("ok-shopper", "view", ""),
                        "{\"eventId\":\"e 1\",\"shopperId\":\"s1\",\"type\":\"teleport\",\"occurredAt\":\"yesterday\"}",
                        event("s1", "refund", ""),
                        event("s1", "view", ",\"quantity\":0")),
                "ingest-key");
        r.assertStatusCode(400);
        var fields = body(r).path("errors").findValuesAsText("field");
        assertThat(fields)
                .contains(
                        "events[1].eventId",
                        "events[1].type",
                        "events[1].occurredAt",
                        "events[2].orderId",
                        "events[2].amount",
                        "events[3].quantity");
        get("/v1/shoppers/ok-shopper", "ingest-key").assertStatusCode(404);
    }

    @Test
    public void eventsFromTheFutureAreRejected() {
        var e = "{\"eventId\":\"f1\",\"shopperId\":\"s1\",\"type\":\"view\",\"occurredAt\":\"2026-11-23T10:30:00Z\"}";
        var r = post("/v1/events", batch(e), "ingest-key");
        r.assertStatusCode(400);
        assertThat(firstErrorField(r)).isEqualTo("events[0].occurredAt");
    }

    @Test
    public void emptyAndOversizeBatchesAreRejected() {
        post("/v1/events", "{\"events\":[]}", "ingest-key").assertStatusCode(400);
        var many = IntStream.range(0, 501)
                .mapToObj(i -> event("s" + i, "view", ""))
                .collect(Collectors.joining(","));
        post("/v1/events", "{\"events\":[" + many + "]}", "ingest-key")
                .assertStatusCode(413)
                .assertMediaType("application/problem+json");
    }

    @Test
    public void anOversizeBodyIs413() {
        var pad = "x".repeat(500);
        var attributes = IntStream.range(0, 8)
                .mapToObj(i -> "\"pad" + i + "\":\"" + pad + "\"")
                .collect(Collectors.joining(","));
        var events = IntStream.range(0, 300)
                .mapToObj(i -> event("s" + i, "view", ",\"attributes\":{" + attributes + "}"))
                .collect(Collectors.joining(","));
        assertThat(events.length()).isGreaterThan(1024 * 1024);
        var r = post("/v1/events", "{\"events\":[" + events + "]}", "ingest-key");
        r.assertStatusCode(413).assertMediaType("application/problem+json");
    }

    @Test
    public void aNonJsonBodyIs415() {
        var r = send(HttpRequest.POST("/v1/events").withEntity(ContentTypes.TEXT_PLAIN_UTF8, "hello"), "ingest-key");
        r.assertStatusCode(415).assertMediaType("application/problem+json");
    }

    @Test
    public void unknownPathsAndMethodsAnswerProblems() {
        var r = testRoute(route)
                .run(HttpRequest.GET("/v1/nothing-here")
                        .addHeader(RawHeader.create("Authorization", "Bearer ingest-key")));
        r.assertStatusCode(404).assertMediaType("application/problem+json");
        r = testRoute(route)
                .run(HttpRequest.DELETE("/v1/events")
                        .addHeader(RawHeader.create("Authorization", "Bearer ingest-key")));
        r.assertStatusCode(405).assertMediaType("application/problem+json");
    }

    @Test
    public void anInvalidShopperIdInThePathIs400() {
        get("/v1/shoppers/bad%20id", "ingest-key").assertStatusCode(400);
    }

    // ---- profile ----

    @Test
    public void aProfileIsReplacedAndReturned() {
        var r = put(
                "/v1/shoppers/p1/profile",
                """
        {"gender":"f","ageBand":"25-34","region":"north","member":true,"registeredAt":"2025-01-02T03:04:05Z",
         "timeZone":"Asia/Shanghai","attributes":{"source":"crm"},"consent":{"sms":true,"push":false},"tags":["vip"]}""",
                "ingest-key");
        r.assertStatusCode(200);
        var b = body(r);
        assertThat(b.path("profile").path("consent").path("sms").asBoolean()).isTrue();
        assertThat(b.path("tags").toString()).contains("vip");
        r = put("/v1/shoppers/p1/profile", "{\"region\":\"south\"}", "ingest-key");
        assertThat(body(r).path("profile").path("consent").size()).isZero();
        assertThat(body(r).path("profile").path("region").asText()).isEqualTo("south");
    }

    @Test
    public void anInvalidProfileIs400() {
        var r = put(
                "/v1/shoppers/p2/profile", "{\"timeZone\":\"Mars/Olympus\",\"consent\":{\"SMS!\":true}}", "ingest-key");
        r.assertStatusCode(400);
        assertThat(body(r).path("errors").findValuesAsText("field")).contains("timeZone", "consent.SMS!");
    }

    // ---- links ----

    @Test
    public void eventsUnderALinkedIdentityLandOnThePerson() {
        post(
                        "/v1/events",
                        batch(event("phone:+4915112340555", "order", ",\"orderId\":\"early\",\"amount\":10")),
                        "ingest-key")
                .assertStatusCode(202);
        var linked = post("/v1/shoppers/person-1/links", "{\"identity\":\"phone:+4915112340555\"}", "ingest-key");
        linked.assertStatusCode(200);
        assertThat(body(linked).path("links").toString()).contains("phone:+4915112340555");

        post(
                        "/v1/events",
                        batch(event("phone:+4915112340555", "order", ",\"orderId\":\"later\",\"amount\":20")),
                        "ingest-key")
                .assertStatusCode(202);
        var person = body(get("/v1/shoppers/person-1", "ingest-key"));
        assertThat(person.path("eventCount").asInt()).isEqualTo(2);
        assertThat(person.path("rfm").path("frequency").asInt()).isEqualTo(2);
        assertThat(person.path("lifecycle").path("stage").asText()).isEqualTo("repeat");
        // the identity answers as the person
        assertThat(body(get("/v1/shoppers/phone:+4915112340555", "ingest-key"))
                        .path("shopperId")
                        .asText())
                .isEqualTo("person-1");
        // linking again is idempotent; linking to someone else conflicts; linking to itself is unprocessable
        post("/v1/shoppers/person-1/links", "{\"identity\":\"phone:+4915112340555\"}", "ingest-key")
                .assertStatusCode(200);
        post("/v1/shoppers/person-2/links", "{\"identity\":\"phone:+4915112340555\"}", "ingest-key")
                .assertStatusCode(409);
        post("/v1/shoppers/person-1/links", "{\"identity\":\"person-1:x\"}", "ingest-key")
                .assertStatusCode(200);
        post("/v1/shoppers/person-3/links", "{\"identity\":\"nocolon\"}", "ingest-key")
                .assertStatusCode(400);
    }

    @Test
    public void aShopperCannotBeLinkedToItself() {
        post("/v1/shoppers/me:1/links", "{\"identity\":\"me:1\"}", "ingest-key").assertStatusCode(422);
    }

    // ---- audit ----

    @Test
    public void auditorsReadAShoppersJournalAndItsRebuiltState() throws Exception {
        // Time windows are covered in AuditApiTest, and by write time against Cassandra in NodeRestartIT.
        post("/v1/events", batch(event("audited", "order", ",\"orderId\":\"o1\",\"amount\":5")), "ingest-key")
                .assertStatusCode(202);
        post("/v1/events", batch(event("audited", "order", ",\"orderId\":\"o2\",\"amount\":7")), "ingest-key")
                .assertStatusCode(202);

        get("/v1/audit/shoppers/audited/events", "ingest-key").assertStatusCode(403);
        get("/v1/audit/shoppers/audited/state", "operator-key").assertStatusCode(403);
        var events = get("/v1/audit/shoppers/audited/events", "auditor-key");
        events.assertStatusCode(200).assertMediaType("application/x-ndjson");
        var lines = events.entityString().strip().split("\n");
        var types = new java.util.ArrayList<String>();
        for (var l : lines) types.add(mapper.readTree(l).path("type").asText());
        // The first order makes the shopper active: a lifecycle decision fires (no campaign: no offer) and a dormancy
        // check is scheduled; the second makes it a repeat buyer.
        assertThat(types)
                .containsExactly(
                        "PolicyAdopted",
                        "BehaviourRecorded",
                        "LifecycleChanged",
                        "TriggerScheduled",
                        "TriggerScheduled",
                        "TriggerFired",
                        "BehaviourRecorded",
                        "LifecycleChanged");
        assertThat(mapper.readTree(lines[1])
                        .path("event")
                        .path("event")
                        .path("orderId")
                        .asText())
                .isEqualTo("o1");

        var state = body(get("/v1/audit/shoppers/audited/state", "auditor-key"));
        assertThat(state.path("kind").asText()).isEqualTo("person");
        assertThat(state.path("seqNr").asInt()).isEqualTo(8);
        assertThat(state.path("shopper").path("eventCount").asInt()).isEqualTo(2);
        assertThat(state.path("shopper").path("lifecycle").path("stage").asText())
                .isEqualTo("repeat");

        get("/v1/audit/shoppers/nobody/events", "auditor-key").assertStatusCode(404);
        get("/v1/audit/shoppers/audited/state?at=yesterday", "auditor-key").assertStatusCode(400);
        get("/v1/audit/shoppers/audited/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "auditor-key")
                .assertStatusCode(400);
    }

    @Test
    public void anAliasIsAuditedAsAnAlias() {
        post("/v1/events", batch(event("device:d1", "view", "")), "ingest-key").assertStatusCode(202);
        post("/v1/shoppers/owner-9/links", "{\"identity\":\"device:d1\"}", "ingest-key")
                .assertStatusCode(200);
        var state = body(get("/v1/audit/shoppers/device:d1/state", "auditor-key"));
        assertThat(state.path("kind").asText()).isEqualTo("alias");
        assertThat(state.path("aliasOf").asText()).isEqualTo("owner-9");
    }

    // ---- models ----

    @Test
    public void aPromotedLifecycleModelGivesTheShopperViewItsPAlive() throws Exception {
        var orders = new String[3];
        for (int i = 0; i < 3; i++) {
            // orders 40, 30 and 20 weeks before NOW: x = 2 repeats, t_x = 20 weeks, T = 40 weeks
            orders[i] = "{\"eventId\":\"o" + i + "\",\"shopperId\":\"alive-1\",\"type\":\"order\",\"orderId\":\"ord-"
                    + i + "\",\"amount\":10,\"occurredAt\":\"" + NOW.minus(java.time.Duration.ofDays(280 - 70L * i))
                    + "\"}";
        }
        post("/v1/events", batch(orders), "ingest-key").assertStatusCode(202);
        assertThat(body(get("/v1/shoppers/alive-1", "ingest-key"))
                        .path("lifecycle")
                        .path("pAlive")
                        .isNumber())
                .isFalse();

        var cdnow = new io.kairos.models.lifecycle.BgNbdModel(0.243, 4.414, 0.793, 2.426);
        var store = new io.kairos.models.registry.DirectoryModelStore(java.nio.file.Path.of(ShopperFixture.MODELS_DIR));
        store.save(io.kairos.models.registry.ModelCodec.lifecycle(
                "lifecycle",
                "7",
                cdnow,
                NOW,
                new io.kairos.models.registry.TrainingWindow("cdnow", null, null, 2357),
                java.util.Map.of(),
                7));
        post("/v1/models/lifecycle/promote", "{\"version\":\"7\"}", "operator-key")
                .assertStatusCode(200);

        var view = body(get("/v1/shoppers/alive-1", "ingest-key")).path("lifecycle");
        assertThat(view.path("pAlive").asDouble())
                .isCloseTo(cdnow.pAlive(2, 20, 40), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    public void operatorsListPromoteAndRollBackModelsWithoutARestart() throws Exception {
        var store = new io.kairos.models.registry.DirectoryModelStore(java.nio.file.Path.of(ShopperFixture.MODELS_DIR));
        var window = new io.kairos.models.registry.TrainingWindow("test", null, null, 10);
        for (var v : new String[] {"1", "2"}) {
            store.save(io.kairos.models.registry.ModelCodec.demand(
                    "demand",
                    v,
                    new io.kairos.models.demand.DemandModel(-2.0 - Integer.parseInt(v), java.util.Map.of(), 10.0, 1.0),
                    NOW,
                    window,
                    java.util.Map.of("elasticity", -2.0 - Integer.parseInt(v)),
                    java.util.Map.of()));
        }
        get("/v1/models", "ingest-key").assertStatusCode(403);
        var listed = body(get("/v1/models", "operator-key"));
        var demandVersions = new java.util.ArrayList<String>();
        for (var m : listed.path("models"))
            if (m.path("name").asText().equals("demand"))
                demandVersions.add(m.path("version").asText());
        assertThat(demandVersions).containsExactly("1", "2");
        for (var m : listed.path("models"))
            if (m.path("name").asText().equals("demand"))
                assertThat(m.path("kind").asText()).isEqualTo("demand");

        var promoted = post("/v1/models/demand/promote", "{\"version\":\"2\"}", "operator-key");
        promoted.assertStatusCode(200);
        assertThat(body(promoted).path("version").asText()).isEqualTo("2");
        var models = io.kairos.modelserving.ModelServing.get(fixture.typed());
        assertThat(models.demand().map(d -> d.elasticity())).contains(-4.0);
        post("/v1/models/demand/promote", "{\"version\":\"1\"}", "operator-key").assertStatusCode(200);
        assertThat(models.demand().map(d -> d.elasticity())).contains(-3.0);
        var rolledBack = post("/v1/models/demand/rollback", null, "admin-key1");
        assertThat(body(rolledBack).path("version").asText()).isEqualTo("2");
        assertThat(body(rolledBack).path("previous").asText()).isEqualTo("1");
        assertThat(models.demand().map(d -> d.elasticity())).contains(-4.0);
        var after = body(get("/v1/models", "operator-key")).path("models");
        for (var m : after) {
            if (m.path("name").asText().equals("demand"))
                assertThat(m.path("promoted").asBoolean())
                        .isEqualTo(m.path("version").asText().equals("2"));
        }

        post("/v1/models/demand/promote", "{\"version\":\"9\"}", "operator-key").assertStatusCode(404);
        post("/v1/models/nothing/rollback", null, "operator-key").assertStatusCode(409);

        // who acted: every promotion and rollback, newest first, with the id of the key that asked (never the key)
        var changes = body(get("/v1/models/demand", "operator-key")).path("changes");
        assertThat(changes.findValuesAsText("action")).containsExactly("rollback", "promote", "promote");
        assertThat(changes.findValuesAsText("version")).containsExactly("2", "1", "2");
        assertThat(changes.findValuesAsText("actor")).containsExactly("admin-1", "ops-console", "ops-console");
        assertThat(changes.toString()).doesNotContain("operator-key").doesNotContain("admin-key1");
    }
}

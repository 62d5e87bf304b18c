package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.offer.PriceLookup;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.PersonKeys.Pseudonymous;
import io.kairos.tracking.TrackingTokens;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The right to erasure on a real node and Cassandra (issue 15): a shopper with a profile, three linked identities, an
 * order, an offer and its delivery is erased with {@code DELETE /v1/shoppers/{id}}; then every row of every table of
 * the journal, snapshot and Kairos keyspaces is read raw, and none holds a personal value (name, e-mail, phone, device
 * id, profile attributes) in any column, as text or inside a blob; the campaign's stats are unchanged; the person
 * cannot come back through events, and neither it nor its identities are found.
 */
class ErasureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOPPER = "ann-4711";
    private static final String EMAIL = "ann.erasable@shop.example";
    private static final String PHONE = "+4915199988877";
    private static final String DEVICE = "ann-device-5f3c9e";
    private static final List<String> PERSONAL =
            List.of("Ann Erasable", "teal-loafers-77", "Erasetown", EMAIL, PHONE, DEVICE);

    @Test
    void anErasedPersonLeavesNoPersonalValueInAnyTableAndTheCampaignKeepsItsCounts() throws Exception {
        var deliveries = new CopyOnWriteArrayList<String>();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            deliveries.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        var config = ConfigFactory.parseString(
                """
        kairos.dispatch.quiet-hours = off
        kairos.dispatch.channels.webhook { url = "http://127.0.0.1:%d/webhook", secret = "s1" }
        kairos.offers.exploration.epsilon = 0
        kairos.offers.exploration.cold-start = 0
        """
                        .formatted(server.getAddress().getPort()));
        var schema = NodeHarness.freshSchema("erasure");
        PriceLookup prices = sku -> Optional.of(
                new PriceLookup.SkuPrice(new BigDecimal("20.00"), new BigDecimal("8.00"), new BigDecimal("10.00")));
        try (var node = NodeHarness.start(schema, prices, config)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var now = Instant.now();
            var campaign =
                    """
            {"campaignId":"erase-c","name":"erase","coupon":{"type":"amount_off","value":5},"budget":1000,
             "validDays":7,"startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap",
             "channels":["webhook"]}"""
                            .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
            assertThat(node.post("/v1/campaigns", campaign).statusCode()).isEqualTo(201);
            var profile =
                    """
            {"gender":"f","ageBand":"35-44","region":"Erasetown","consent":{"webhook":true},
             "attributes":{"name":"Ann Erasable","favourite":"teal-loafers-77"}}""";
            assertThat(node.put("/v1/shoppers/" + SHOPPER + "/profile", profile).statusCode())
                    .isEqualTo(200);
            for (var identity : List.of("email:" + EMAIL, "phone:" + PHONE, "device:" + DEVICE)) {
                var link = node.post("/v1/shoppers/" + SHOPPER + "/links", "{\"identity\":\"" + identity + "\"}");
                assertThat(link.statusCode()).as(link.body()).isIn(200, 201);
            }
            // an order under an identity: the person's first, a lifecycle decision, an offer, its delivery
            var order = "{\"events\":[{\"eventId\":\"erase-o1\",\"shopperId\":\"phone:" + PHONE
                    + "\",\"type\":\"order\",\"occurredAt\":\"" + now + "\",\"orderId\":\"erase-o1\",\"amount\":30}]}";
            assertThat(node.post("/v1/events", order).statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() == 1);
            var offers = JSON.readTree(
                    node.get("/v1/shoppers/" + SHOPPER + "/offers").body());
            var decisionId = offers.path("offers").get(0).path("decisionId").asText();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> node.get("/v1/audit/decisions/" + decisionId).statusCode() == 200
                            && JSON.readTree(node.get("/v1/campaigns/erase-c/stats")
                                                    .body())
                                            .path("funnel")
                                            .path("total")
                                            .path("delivered")
                                            .asInt()
                                    == 1);
            // an order through the order API, bound to its person
            var apiOrder = "{\"orderId\":\"erase-o2\",\"shopperId\":\"" + SHOPPER
                    + "\",\"items\":[{\"sku\":\"sku-1\",\"quantity\":1}],\"couponIds\":[]}";
            var placed = node.post("/v1/orders", apiOrder);
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            assertThat(node.get("/v1/orders/erase-o2").statusCode()).isEqualTo(200);
            var export = node.get("/v1/shoppers/" + SHOPPER + "/export").body();
            assertThat(export).contains("Ann Erasable", "Erasetown", EMAIL, PHONE, DEVICE);
            // the API order's outcome reaches the campaign's stats through the projection: the counts erasure must keep
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> JSON.readTree(node.get("/v1/campaigns/erase-c/stats")
                                            .body())
                                    .path("treatment")
                                    .path("converted")
                                    .asInt()
                            == 1);
            var stats = JSON.readTree(node.get("/v1/campaigns/erase-c/stats").body());
            var person = (Pseudonymous) PersonKeys.get(node.system)
                    .find(SHOPPER)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            var journal = "Shopper|" + person.pseudonym();
            // the export holds the journals about the person, its contact cap's under the pseudonym
            assertThat(export).contains("ContactCap|" + person.pseudonym(), "Order|erase-o2");
            try (CqlSession session = TestCassandra.shared().openSession()) {
                assertThat(session.execute(
                                        "SELECT secret FROM " + schema.kairosKeyspace()
                                                + ".person_keys WHERE pseudonym = ?",
                                        person.pseudonym())
                                .one())
                        .isNotNull();
            }

            assertThat(node.delete("/v1/shoppers/email:" + EMAIL).statusCode()).isEqualTo(204);

            assertThat(node.get("/v1/shoppers/" + SHOPPER).statusCode()).isEqualTo(404);
            assertThat(node.get("/v1/shoppers/device:" + DEVICE).statusCode()).isEqualTo(404);
            assertThat(node.get("/v1/audit/decisions/" + decisionId).statusCode())
                    .isEqualTo(404);
            assertThat(node.get("/v1/orders/erase-o2").statusCode()).isEqualTo(404);
            // a tracked link sent to the person names its pseudonym: it still leads to the shop, and finds nobody
            var link = TrackingTokens.create(node.system)
                    .mint(new TrackingTokens.Link(
                            person.pseudonym(),
                            "of-erased",
                            "cp-erased",
                            "webhook",
                            TrackingTokens.Kind.CLICK,
                            URI.create("https://shop.example/landing"),
                            Instant.now().plus(Duration.ofDays(1)),
                            true));
            var click = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build()
                    .send(HttpRequest.newBuilder(node.uri("/t/" + link)).GET().build(), BodyHandlers.ofString());
            assertThat(click.statusCode()).isEqualTo(302);
            var again = "{\"events\":[{\"eventId\":\"erase-v2\",\"shopperId\":\"" + SHOPPER
                    + "\",\"type\":\"view\",\"occurredAt\":\"" + Instant.now() + "\"}]}";
            var refused = JSON.readTree(node.post("/v1/events", again).body());
            assertThat(refused.path("erased").asInt()).isEqualTo(1);
            assertThat(refused.path("accepted").asInt()).isZero();
            assertThat(node.get("/v1/shoppers/" + SHOPPER).statusCode()).isEqualTo(404);
            assertThat(node.delete("/v1/shoppers/" + SHOPPER).statusCode()).isEqualTo(204);
            assertThat(JSON.readTree(node.get("/v1/campaigns/erase-c/stats").body()))
                    .isEqualTo(stats);

            try (CqlSession session = TestCassandra.shared().openSession()) {
                var found = new ArrayList<String>();
                int rows = 0;
                boolean campaignSeen = false;
                for (var keyspace :
                        List.of(schema.journalKeyspace(), schema.snapshotKeyspace(), schema.kairosKeyspace())) {
                    for (var table : session.execute(
                            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)) {
                        for (var row : session.execute("SELECT * FROM " + keyspace + "." + table.getString(0))) {
                            rows++;
                            var text = asText(row);
                            campaignSeen |= text.contains("erase-c");
                            for (var value : PERSONAL) {
                                if (text.contains(value)) found.add(keyspace + "." + table.getString(0) + ": " + value);
                            }
                        }
                    }
                }
                assertThat(rows).as("rows read").isGreaterThan(50);
                assertThat(campaignSeen)
                        .as("the scan reads what the tables hold")
                        .isTrue();
                assertThat(found).as("personal values left in Cassandra").isEmpty();
                // the journal is not rewritten: its events are still there, sealed under a key that is gone
                assertThat(session.execute(
                                        "SELECT sequence_nr FROM " + schema.journalKeyspace()
                                                + ".messages WHERE persistence_id = ? AND partition_nr = 0",
                                        journal)
                                .all())
                        .isNotEmpty();
                assertThat(session.execute(
                                        "SELECT secret FROM " + schema.kairosKeyspace()
                                                + ".person_keys WHERE pseudonym = ?",
                                        person.pseudonym())
                                .one())
                        .isNull();
                assertThat(node.journal("Shopper|" + SHOPPER)).isEmpty();
                // the person and its three identities: suppression entries, with neither pseudonym nor key
                var erased = session
                        .execute("SELECT pseudonym, secret, erased_at FROM " + schema.kairosKeyspace() + ".person_ids")
                        .all()
                        .stream()
                        .filter(r -> r.getInstant("erased_at") != null)
                        .toList();
                assertThat(erased).hasSize(4).allSatisfy(r -> {
                    assertThat(r.getString("pseudonym")).isNull();
                    assertThat(r.getByteBuffer("secret")).isNull();
                });
                var receipt = session.execute("SELECT pseudonym, erased_by, identities FROM " + schema.kairosKeyspace()
                                + ".person_erasures")
                        .one();
                assertThat(receipt.getString("pseudonym")).isEqualTo(person.pseudonym());
                assertThat(receipt.getString("erased_by")).isNotBlank();
                assertThat(receipt.getInt("identities")).isEqualTo(3);
                // the journal names the person and its identities by pseudonyms only
                var names = new ArrayList<String>();
                session.execute("SELECT persistence_id FROM " + schema.journalKeyspace() + ".all_persistence_ids")
                        .forEach(r -> names.add(r.getString(0)));
                assertThat(names).noneMatch(pid -> pid.startsWith("Shopper|") && pid.contains(SHOPPER));
                // so do the contact caps and the delivery ledger (the shopper id is reached through the key row)
                assertThat(names)
                        .contains("ContactCap|" + person.pseudonym())
                        .noneMatch(pid -> pid.startsWith("ContactCap|") && pid.contains(SHOPPER));
                // and the campaign's outcomes, which keep its counts
                var outcomes = session.execute("SELECT * FROM " + schema.kairosKeyspace() + ".campaign_outcomes")
                        .all();
                assertThat(outcomes.stream().map(ErasureIT::asText))
                        .as("the campaign's outcomes")
                        .anyMatch(text -> text.contains(person.pseudonym()))
                        .noneMatch(text -> text.contains(SHOPPER));
                var ledgers = names.stream()
                        .filter(pid -> pid.startsWith("Delivery|") || pid.startsWith("Order|"))
                        .toList();
                assertThat(ledgers).hasSize(2);
                for (var ledger : ledgers) {
                    var events = session.execute(
                                    "SELECT * FROM " + schema.journalKeyspace()
                                            + ".messages WHERE persistence_id = ? AND partition_nr = 0",
                                    ledger)
                            .all();
                    assertThat(events).isNotEmpty();
                    assertThat(events.stream().map(ErasureIT::asText))
                            .as("the events of %s", ledger)
                            .anyMatch(text -> text.contains(person.pseudonym()))
                            .noneMatch(text -> text.contains(SHOPPER));
                }
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shoppersInactiveForTheRetentionPeriodAreErasedAutomaticallyAndActiveOnesStay() throws Exception {
        var config =
                ConfigFactory.parseString("kairos.privacy.retention { inactive-after = 30d, sweep-interval = 1s }");
        var schema = NodeHarness.freshSchema("retention");
        try (var node = NodeHarness.start(schema, null, config)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var now = Instant.now();
            // last seen 40 days ago (a backfill: behaviour counts by when it happened)
            var old = "{\"events\":[{\"eventId\":\"ret-1\",\"shopperId\":\"ret-old\",\"type\":\"view\","
                    + "\"sku\":\"sku-1\",\"occurredAt\":\"" + now.minus(Duration.ofDays(40)) + "\"}]}";
            var fresh = "{\"events\":[{\"eventId\":\"ret-2\",\"shopperId\":\"ret-new\",\"type\":\"view\","
                    + "\"sku\":\"sku-1\",\"occurredAt\":\"" + now.minusSeconds(60) + "\"}]}";
            assertThat(node.post("/v1/events", old).statusCode()).isEqualTo(202);
            assertThat(node.post("/v1/events", fresh).statusCode()).isEqualTo(202);
            var campaign =
                    """
            {"campaignId":"ret-c","name":"retention","coupon":{"type":"amount_off","value":5},"budget":1000,
             "validDays":7,"startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap"}"""
                            .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
            assertThat(node.post("/v1/campaigns", campaign).statusCode()).isEqualTo(201);
            // last seen 40 days ago by behaviour no projection reads (an app open); a decision now is Kairos's doing,
            // not the shopper's activity: it only gives the shopper a row, and the sweeper asks the shopper itself
            var quiet = "{\"events\":[{\"eventId\":\"ret-4\",\"shopperId\":\"ret-quiet\",\"type\":\"app_open\","
                    + "\"occurredAt\":\"" + now.minus(Duration.ofDays(40)) + "\"}]}";
            assertThat(node.post("/v1/events", quiet).statusCode()).isEqualTo(202);
            assertThat(node.post("/v1/shoppers/ret-quiet/offers/decide", "").statusCode())
                    .isEqualTo(200);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> node.get("/v1/shoppers/ret-old").statusCode() == 404
                            && node.get("/v1/shoppers/ret-quiet").statusCode() == 404);
            assertThat(node.get("/v1/shoppers/ret-new").statusCode()).isEqualTo(200);
            // erased as DELETE erases: new events are refused, and the receipt says who asked
            var again = "{\"events\":[{\"eventId\":\"ret-3\",\"shopperId\":\"ret-old\",\"type\":\"view\","
                    + "\"sku\":\"sku-1\",\"occurredAt\":\"" + Instant.now() + "\"}]}";
            assertThat(JSON.readTree(node.post("/v1/events", again).body())
                            .path("erased")
                            .asInt())
                    .isEqualTo(1);
            try (CqlSession session = TestCassandra.shared().openSession()) {
                var receipts = session.execute("SELECT erased_by FROM " + schema.kairosKeyspace() + ".person_erasures")
                        .all();
                assertThat(receipts).hasSize(2).allSatisfy(r -> assertThat(r.getString("erased_by"))
                        .isEqualTo("retention"));
                // the active shopper's activity stays, the erased one's row is gone
                var names = session.execute("SELECT name FROM " + schema.kairosKeyspace() + ".person_activity")
                        .all();
                var fresher = (Pseudonymous) PersonKeys.get(node.system)
                        .find("ret-new")
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                assertThat(names).singleElement().satisfies(r -> assertThat(r.getString("name"))
                        .isEqualTo(fresher.pseudonym()));
            }
        }
    }

    /**
     * Every column of a row as text: text as it is, blobs as their bytes read as Latin-1 (and UTF-8), the rest printed.
     */
    private static String asText(Row row) {
        var out = new StringBuilder();
        for (int i = 0; i < row.getColumnDefinitions().size(); i++) {
            var value = row.getObject(i);
            if (value instanceof ByteBuffer b) {
                var bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                out.append(new String(bytes, StandardCharsets.ISO_8859_1))
                        .append('|')
                        .append(new String(bytes, StandardCharsets.UTF_8));
            } else {
                out.append(value);
            }
            out.append('|');
        }
        return out.toString();
    }
}

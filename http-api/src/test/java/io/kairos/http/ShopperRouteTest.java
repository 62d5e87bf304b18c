package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.persistence.query.NoOffset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Before;

/**
 * A contract route test on the {@link ShopperFixture}: real shopper, campaign and order entities on a cleared in-memory
 * journal, behind the production routes with the clock fixed at {@link #NOW}.
 */
public abstract class ShopperRouteTest extends ContractRouteTest {
    protected static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    ShopperFixture fixture;

    @Override
    public Config additionalConfig() {
        return ShopperFixture.CONFIG;
    }

    @Before
    public void startFixture() {
        fixture = new ShopperFixture(system());
        PersistenceTestKit.create(fixture.typed()).clearAll();
        route = fixture.routes(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    protected static final String FIVE_OFF = "{\"type\":\"amount_off\",\"value\":5}";

    /** A campaign definition valid through November and December 2026; {@code extra} is appended JSON members. */
    protected static String campaign(String id, String coupon, String extra) {
        return """
        {"campaignId":"%s","name":"Winter","coupon":%s,"budget":100,"validDays":7,"startsAt":"2026-11-01T00:00:00Z",
         "endsAt":"2026-12-31T00:00:00Z","objective":"activation","pacing":"asap"%s}"""
                .formatted(id, coupon, extra);
    }

    /** The status of the newest offer of the shopper's wallet. */
    protected String firstOfferStatus(String shopperId) {
        return body(get("/v1/shoppers/" + shopperId + "/offers", "ingest-key"))
                .path("offers")
                .get(0)
                .path("status")
                .asText();
    }

    /** Records one view for {@code id}, so the shopper exists. */
    protected void knownShopper(String id) {
        var events = "{\"events\":[{\"eventId\":\"" + UUID.randomUUID() + "\",\"shopperId\":\"" + id
                + "\",\"type\":\"view\",\"occurredAt\":\"2026-11-23T09:00:00Z\"}]}";
        post("/v1/events", events, "ingest-key").assertStatusCode(202);
    }

    /** A campaign (one offer per shopper), a known shopper and the one offer it issues them. */
    protected JsonNode issue(String shopperId, String campaignId, String coupon) {
        post(
                        "/v1/campaigns",
                        campaign(campaignId, coupon, ",\"caps\":{\"perShopper\":1,\"perShopperDays\":30}"),
                        "operator-key")
                .assertStatusCode(201);
        knownShopper(shopperId);
        var offers = post("/v1/shoppers/" + shopperId + "/offers/decide", null, "ingest-key");
        offers.assertStatusCode(200);
        assertThat(body(offers).path("offers")).hasSize(1);
        return body(offers).path("offers").get(0);
    }

    private static final List<String> ENTITY_TYPES = List.of("Shopper", "Campaign", "Order");

    /** {@link #counts()} once two reads half a second apart agree (background work after the setup has finished). */
    protected Map<String, Long> quietCounts() throws Exception {
        var last = counts();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(500);
            var now = counts();
            if (now.equals(last)) return now;
            last = now;
        }
        throw new AssertionError("the journal kept changing after the setup: " + last);
    }

    /** Events in the in-memory journal per entity type. */
    protected Map<String, Long> counts() throws Exception {
        var journal = PersistenceQuery.get(system())
                .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
        var out = new java.util.TreeMap<String, Long>();
        for (var type : ENTITY_TYPES) {
            long n = journal.currentEventsBySlices(type, 0, 1023, NoOffset.getInstance())
                    .runWith(Sink.fold(0L, (acc, e) -> acc + 1), materializer())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            out.put(type.toLowerCase(Locale.ROOT), n);
        }
        assertThat(out.get("shopper")).isPositive();
        return out;
    }
}

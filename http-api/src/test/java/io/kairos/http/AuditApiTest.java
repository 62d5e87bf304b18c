package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.Test;

/**
 * Audit reads as of a business date: a history loaded today ({@link #NOW}, when the fixture's journal records every
 * write) with events dated 60 days ago is the shopper's history as of 30 days ago by default ({@code clock=business}),
 * and not yet there by the journal's write time ({@code clock=recorded}).
 */
public class AuditApiTest extends ShopperRouteTest {

    private void loadHistory(String shopperId, Instant occurredAt) {
        var events =
                """
                {"events":[
                 {"eventId":"h-view","shopperId":"%1$s","type":"view","category":"shoes","occurredAt":"%2$s"},
                 {"eventId":"h-order","shopperId":"%1$s","type":"order","orderId":"h-o1","amount":40,"occurredAt":"%3$s"}
                ]}"""
                        .formatted(shopperId, occurredAt, occurredAt.plusSeconds(60));
        post("/v1/events", events, "ingest-key").assertStatusCode(202);
    }

    @Test
    public void aHistoryLoadedTodayIsThereAsOfItsOwnDatesButNotByWriteTime() throws Exception {
        var sixtyDaysAgo = NOW.minus(Duration.ofDays(60));
        var thirtyDaysAgo = NOW.minus(Duration.ofDays(30));
        loadHistory("imported", sixtyDaysAgo);

        var asOf = get("/v1/audit/shoppers/imported/state?at=" + thirtyDaysAgo, "auditor-key");
        asOf.assertStatusCode(200);
        var state = body(asOf);
        assertThat(state.path("clock").asText()).isEqualTo("business");
        assertThat(state.path("kind").asText()).isEqualTo("person");
        assertThat(state.path("shopper").path("eventCount").asInt()).isEqualTo(2);
        assertThat(state.path("shopper").path("rfm").path("frequency").asInt()).isEqualTo(1);
        assertThat(body(get("/v1/audit/shoppers/imported/state?at=" + thirtyDaysAgo + "&clock=business", "auditor-key"))
                        .path("shopper")
                        .path("eventCount")
                        .asInt())
                .isEqualTo(2);
        get("/v1/audit/shoppers/imported/state?at=" + sixtyDaysAgo.minusSeconds(1), "auditor-key")
                .assertStatusCode(404);

        get("/v1/audit/shoppers/imported/state?at=" + thirtyDaysAgo + "&clock=recorded", "auditor-key")
                .assertStatusCode(404);
        var recordedNow = body(get("/v1/audit/shoppers/imported/state?clock=recorded", "auditor-key"));
        assertThat(recordedNow.path("clock").asText()).isEqualTo("recorded");
        assertThat(recordedNow.path("shopper").path("eventCount").asInt()).isEqualTo(2);
    }

    @Test
    public void theEventsStreamIsWindowedByBusinessTimeByDefaultAndByWriteTimeOnRequest() throws Exception {
        var sixtyDaysAgo = NOW.minus(Duration.ofDays(60));
        loadHistory("windowed", sixtyDaysAgo);
        var window = "from=" + sixtyDaysAgo.minus(Duration.ofDays(1)) + "&to=" + sixtyDaysAgo.plus(Duration.ofDays(1));

        var events = get("/v1/audit/shoppers/windowed/events?" + window, "auditor-key");
        events.assertStatusCode(200).assertMediaType("application/x-ndjson");
        var behaviour = new ArrayList<String>();
        for (var line : events.entityString().strip().split("\n")) {
            var e = mapper.readTree(line);
            assertThat(Instant.parse(e.path("occurredAt").asText()))
                    .isBetween(sixtyDaysAgo.minus(Duration.ofDays(1)), sixtyDaysAgo.plus(Duration.ofDays(1)));
            assertThat(Instant.parse(e.path("persistedAt").asText())).isEqualTo(NOW);
            if (e.path("type").asText().equals("BehaviourRecorded"))
                behaviour.add(e.path("event").path("event").path("eventId").asText());
        }
        assertThat(behaviour).containsExactly("h-view", "h-order");

        get("/v1/audit/shoppers/windowed/events?" + window + "&clock=recorded", "auditor-key")
                .assertStatusCode(404);
    }

    @Test
    public void anUnknownClockIs400() {
        knownShopper("clocked");
        var state = get("/v1/audit/shoppers/clocked/state?clock=wall", "auditor-key");
        state.assertStatusCode(400).assertMediaType("application/problem+json");
        assertThat(body(state).path("errors").path(0).path("field").asText()).isEqualTo("clock");
        var events = get("/v1/audit/shoppers/clocked/events?clock=Business", "auditor-key");
        events.assertStatusCode(400).assertMediaType("application/problem+json");
        assertThat(body(events).path("errors").path(0).path("field").asText()).isEqualTo("clock");
    }
}

package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.unmarshalling.sse.EventStreamUnmarshalling;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code GET /v1/shoppers/{id}/stream} through the production routes: the Server-Sent Events an app sees when an offer
 * is issued or claimed, when a SKU the shopper viewed changes price, and when it reconnects with {@code Last-Event-ID}.
 * The response is streamed (never made strict), so the test reads the first events as they come.
 */
public class StreamApiTest extends ShopperRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private String tag;

    @Before
    public void setUp() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    public void anIssuedAndAClaimedOfferArePushedLive() throws Exception {
        var shopper = "st-" + tag;
        knownShopper(shopper);
        var events = open(shopper, null);
        post("/v1/campaigns", campaign("cs-" + tag, FIVE_OFF, ""), "operator-key")
                .assertStatusCode(201);
        var decided = body(post("/v1/shoppers/" + shopper + "/offers/decide", null, "ingest-key"));
        var offer = decided.path("offers").get(0);

        var first = events.next();
        assertThat(first.getEventType()).contains("offer");
        assertThat(data(first).path("offerId").asText())
                .isEqualTo(offer.path("offerId").asText());
        assertThat(data(first).path("status").asText()).isEqualTo("issued");

        post("/v1/shoppers/" + shopper + "/coupons/" + offer.path("couponId").asText() + "/claim", "", "ingest-key")
                .assertStatusCode(200);
        // the stream may repeat an offer as it is (its one-off journal recheck); the claim follows
        var second = events.next();
        for (int i = 0; i < 3 && data(second).path("status").asText().equals("issued"); i++) second = events.next();
        assertThat(data(second).path("status").asText()).isEqualTo("claimed");
        assertThat(Long.parseLong(second.getId().orElseThrow()))
                .isGreaterThan(Long.parseLong(first.getId().orElseThrow()));
        events.close();
    }

    @Test
    public void aViewedSkusPriceChangeIsPushedWithTheShoppersPrice() throws Exception {
        var shopper = "sp-" + tag;
        var sku = "sku-" + tag;
        fixture.price(sku, "20.00", null);
        var view = "{\"events\":[{\"eventId\":\"" + UUID.randomUUID() + "\",\"shopperId\":\"" + shopper
                + "\",\"type\":\"view\",\"sku\":\"" + sku + "\",\"occurredAt\":\"2026-11-23T09:00:00Z\"}]}";
        post("/v1/events", view, "ingest-key").assertStatusCode(202);
        var events = open(shopper, null);

        fixture.price("other-" + tag, "1.00", null);
        fixture.price(sku, "18.00", null);
        var pushed = events.next();
        assertThat(pushed.getEventType()).contains("price");
        assertThat(data(pushed).path("sku").asText()).isEqualTo(sku);
        assertThat(data(pushed).path("price").decimalValue()).isEqualByComparingTo("18.00");
        events.close();
    }

    @Test
    public void reconnectingWithLastEventIdResendsWhatWasMissed() throws Exception {
        var shopper = "sr-" + tag;
        var offer = issue(shopper, "cr-" + tag, FIVE_OFF);

        var events = open(shopper, "0");
        var missed = events.next();
        assertThat(missed.getEventType()).contains("offer");
        assertThat(data(missed).path("offerId").asText())
                .isEqualTo(offer.path("offerId").asText());
        events.close();
    }

    @Test
    public void theStreamNeedsTheIngestRole() throws Exception {
        var response = handle(HttpRequest.GET("/v1/shoppers/x-" + tag + "/stream")
                .addHeader(RawHeader.create("Authorization", "Bearer auditor-key")));
        assertThat(response.status().intValue()).isEqualTo(403);
        assertThat(handle(HttpRequest.GET("/v1/shoppers/x-" + tag + "/stream"))
                        .status()
                        .intValue())
                .isEqualTo(401);
    }

    private HttpResponse handle(HttpRequest request) throws Exception {
        return route.handler(system()).apply(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The stream of {@code shopper}, open (response 200, text/event-stream). */
    private Events open(String shopper, String lastEventId) throws Exception {
        var request = HttpRequest.GET("/v1/shoppers/" + shopper + "/stream")
                .addHeader(RawHeader.create("Authorization", "Bearer ingest-key"));
        if (lastEventId != null) request = request.addHeader(RawHeader.create("Last-Event-ID", lastEventId));
        var response = handle(request);
        assertThat(response.status().intValue()).isEqualTo(200);
        assertThat(response.entity().getContentType().mediaType()).isEqualTo(MediaTypes.TEXT_EVENT_STREAM);
        var source = EventStreamUnmarshalling.fromEventsStream(system())
                .unmarshal(response.entity(), materializer())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        var queue = source.filter(e -> e.getEventType().isPresent()).runWith(Sink.queue(), materializer());
        return new Events(queue);
    }

    private record Events(akka.stream.javadsl.SinkQueueWithCancel<ServerSentEvent> queue) {
        ServerSentEvent next() throws Exception {
            var next = queue.pull().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return next.orElseThrow(() -> new AssertionError("the stream ended"));
        }

        void close() {
            queue.cancel();
        }
    }

    private static JsonNode data(ServerSentEvent e) throws Exception {
        return mapper.readTree(e.getData());
    }
}

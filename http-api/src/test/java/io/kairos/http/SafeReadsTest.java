package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.javadsl.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Every GET of the API is safe: after a shop's session (a campaign, a shopper with events and an offer, a claim, an
 * order), every GET route the OpenAPI document lists is called, with the ids of that session, several times and with
 * every role, and the journals of shoppers, campaigns and orders hold exactly the events they held before. The one
 * exception, the tracked link {@code GET /t/{token}} (it records the open or click), is left out; the stream is opened
 * and read for a while.
 */
public class SafeReadsTest extends ShopperRouteTest {
    @Test
    public void noGetRoutePersistsAnything() throws Exception {
        var tag = UUID.randomUUID().toString().substring(0, 8);
        var shopper = "w-" + tag;
        var sku = "sku-w-" + tag;
        fixture.price(sku, "20.00", "10.00");
        var offer = issue(shopper, "cw-" + tag, FIVE_OFF);
        var orderId = "ow-" + tag;
        post(
                        "/v1/orders",
                        "{\"orderId\":\"" + orderId + "\",\"shopperId\":\"" + shopper + "\",\"items\":[{\"sku\":\""
                                + sku + "\",\"quantity\":1}],\"couponIds\":[\""
                                + offer.path("couponId").asText() + "\"]}",
                        "ingest-key")
                .assertStatusCode(201);
        var ids = Map.of(
                "shopperId", shopper,
                "campaignId", "cw-" + tag,
                "orderId", orderId,
                "decisionId", offer.path("decisionId").asText(),
                "sku", sku);
        // The order wakes the shopper (a lifecycle change may decide and issue an offer): let that settle first.
        var before = quietCounts();

        var paths = new ArrayList<String>();
        OpenApiContract.document().path("paths").fields().forEachRemaining(e -> {
            if (e.getValue().has("get") && !e.getKey().startsWith("/t/")) paths.add(e.getKey());
        });
        assertThat(paths).contains("/v1/shoppers/{shopperId}", "/v1/orders/{orderId}", "/v1/campaigns/{campaignId}");
        var statuses = new ArrayList<String>();
        for (int round = 0; round < 2; round++) {
            for (var template : paths) {
                var path = fill(template, ids);
                if (template.endsWith("/stream")) {
                    readStreamBriefly(path);
                    continue;
                }
                for (var key : List.of("ingest-key", "operator-key", "auditor-key", "admin-key1")) {
                    var r = testRoute(route)
                            .run(HttpRequest.GET(path).addHeader(RawHeader.create("Authorization", "Bearer " + key)));
                    statuses.add(template + " " + key + " " + r.statusCode());
                    assertThat(r.statusCode()).as(template + " " + key).isLessThan(500);
                }
            }
        }
        // the session's own reads succeeded (the walk does reach the resources)
        assertThat(statuses)
                .contains(
                        "/v1/shoppers/{shopperId} ingest-key 200",
                        "/v1/orders/{orderId} ingest-key 200",
                        "/v1/campaigns/{campaignId}/stats operator-key 200",
                        "/v1/audit/decisions/{decisionId} auditor-key 200",
                        "/v1/shoppers/{shopperId}/export admin-key1 200");
        assertThat(counts()).isEqualTo(before);
    }

    private static String fill(String template, Map<String, String> ids) {
        var path = template;
        for (var e : ids.entrySet()) path = path.replace("{" + e.getKey() + "}", e.getValue());
        if (path.contains("/prices") || path.endsWith("/v1/skus")) path += "?skus=" + ids.get("sku");
        if (path.endsWith("/state")) path += "?at=2026-11-23T10:00:00Z";
        return path;
    }

    private void readStreamBriefly(String path) throws Exception {
        var response = route.handler(system())
                .apply(HttpRequest.GET(path).addHeader(RawHeader.create("Authorization", "Bearer ingest-key")))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(response.status().intValue()).isEqualTo(200);
        response.entity()
                .getDataBytes()
                .takeWithin(java.time.Duration.ofMillis(1800))
                .runWith(Sink.ignore(), materializer())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}

package io.kairos.http;

import static akka.http.javadsl.server.Directives.*;
import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.testkit.TestRouteResult;
import io.kairos.metrics.KairosMetrics;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/**
 * Every request through the API's routes is counted and timed by method, route template (the OpenAPI path it matched,
 * never the raw path) and status class, rejections and failures as the 4xx/5xx they are answered with. The metrics are
 * the JVM's: each check compares before and after.
 */
public class HttpMetricsTest extends ShopperRouteTest {
    private static final String SHOPPER = "/v1/shoppers/{shopperId}";

    private static double count(String method, String route, String statusClass) {
        return KairosMetrics.HTTP_REQUESTS
                .labelValues(method, route, statusClass)
                .get();
    }

    /** The histogram's data point of these labels (count 0 when it has none yet). */
    private static HistogramDataPointSnapshot timing(String method, String route, String statusClass) {
        var labels = Labels.of("method", method, "route", route, "status_class", statusClass);
        return KairosMetrics.HTTP_REQUEST_SECONDS.collect().getDataPoints().stream()
                .filter(d -> d.getLabels().equals(labels))
                .findFirst()
                .orElse(null);
    }

    private static long timedCount(String method, String route, String statusClass) {
        var d = timing(method, route, statusClass);
        return d == null ? 0 : d.getCount();
    }

    /** A request with an answer the OpenAPI document does not list (so not contract-checked). */
    private TestRouteResult raw(HttpRequest request, String key) {
        return testRoute(route).run(request.addHeader(RawHeader.create("Authorization", "Bearer " + key)));
    }

    @Test
    public void requestsAreCountedAndTimedByRouteTemplateAndStatusClass() {
        double ok = count("GET", SHOPPER, "2xx");
        double denied = count("GET", SHOPPER, "4xx");
        double offers = count("GET", SHOPPER + "/offers", "2xx");
        double events = count("POST", "/v1/events", "2xx");
        long timed = timedCount("GET", SHOPPER, "2xx");

        knownShopper("metered-1");
        knownShopper("metered-2");
        get("/v1/shoppers/metered-1", "ingest-key").assertStatusCode(200);
        get("/v1/shoppers/metered-2", "ingest-key").assertStatusCode(200);
        get("/v1/shoppers/metered-1", null).assertStatusCode(401);
        get("/v1/shoppers/metered-1/offers", "ingest-key").assertStatusCode(200);

        assertThat(count("GET", SHOPPER, "2xx") - ok).isEqualTo(2);
        assertThat(count("GET", SHOPPER, "4xx") - denied).isEqualTo(1);
        assertThat(count("GET", SHOPPER + "/offers", "2xx") - offers).isEqualTo(1);
        assertThat(count("POST", "/v1/events", "2xx") - events).isEqualTo(2);
        assertThat(timedCount("GET", SHOPPER, "2xx") - timed).isEqualTo(2);
        assertThat(timing("GET", SHOPPER, "2xx").getSum()).isPositive();
        assertThat(KairosMetrics.HTTP_REQUESTS.collect().getDataPoints())
                .noneMatch(d -> d.getLabels().get("route").contains("metered"));
    }

    @Test
    public void rejectionsAndUnknownPathsAreCountedAsTheir4xx() {
        double notAllowed = count("DELETE", SHOPPER, "4xx");
        double unmatched = count("GET", RouteTemplates.UNMATCHED, "4xx");

        raw(HttpRequest.DELETE("/v1/shoppers/metered-3"), "admin-key1").assertStatusCode(405);
        raw(HttpRequest.GET("/v1/no-such-thing/42"), "admin-key1").assertStatusCode(404);
        raw(HttpRequest.GET("/v1/shoppers/metered-3/"), "admin-key1").assertStatusCode(404);

        assertThat(count("DELETE", SHOPPER, "4xx") - notAllowed).isEqualTo(1);
        assertThat(count("GET", RouteTemplates.UNMATCHED, "4xx") - unmatched).isEqualTo(2);
    }

    @Test
    public void aFailureIsCountedAsThe5xxItIsAnsweredWith() {
        route = new ApiRoutes(
                        fixture.settings,
                        pathPrefix(
                                "shoppers", () -> get(() -> failWith(new IllegalStateException("the test's failure")))))
                .routes();
        double failed = count("GET", SHOPPER, "5xx");
        long timed = timedCount("GET", SHOPPER, "5xx");

        raw(HttpRequest.GET("/v1/shoppers/metered-4"), "ingest-key")
                .assertStatusCode(500)
                .assertMediaType("application/problem+json");

        assertThat(count("GET", SHOPPER, "5xx") - failed).isEqualTo(1);
        assertThat(timedCount("GET", SHOPPER, "5xx") - timed).isEqualTo(1);
    }

    @Test
    public void pathsAreNamedByTheServedDocumentsTemplates() throws Exception {
        byte[] served;
        try (var in = ApiRoutes.class.getResourceAsStream("/openapi.yaml")) {
            served = in.readAllBytes();
        }
        var templates = RouteTemplates.fromOpenApi(served);
        assertThat(templates.match("/v1/shoppers/s-1/offers/decide")).isEqualTo(SHOPPER + "/offers/decide");
        assertThat(templates.match("/v1/shoppers/s-1/offers")).isEqualTo(SHOPPER + "/offers");
        assertThat(templates.match("/v1/skus")).isEqualTo("/v1/skus");
        assertThat(templates.match("/v1/skus/tea-1")).isEqualTo("/v1/skus/{sku}");
        assertThat(templates.match("/t/abc.def")).isEqualTo("/t/{token}");
        assertThat(templates.match("/openapi.yaml")).isEqualTo("/openapi.yaml");
        assertThat(templates.match("/v1/shoppers//offers")).isEqualTo(RouteTemplates.UNMATCHED);
        assertThat(templates.match("/v1/shoppers/s-1/offers/decide/x")).isEqualTo(RouteTemplates.UNMATCHED);
        assertThat(templates.match("/")).isEqualTo(RouteTemplates.UNMATCHED);
    }

    @Test
    public void literalSegmentsWinOverParametersFromLeftToRight() {
        var templates = RouteTemplates.fromOpenApi(
                "paths:\n  /a/{id}/x: {}\n  /a/{id}/{y}: {}\n  /a/b/{y}: {}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(templates.match("/a/b/x")).isEqualTo("/a/b/{y}");
        assertThat(templates.match("/a/c/x")).isEqualTo("/a/{id}/x");
        assertThat(templates.match("/a/c/z")).isEqualTo("/a/{id}/{y}");
    }
}

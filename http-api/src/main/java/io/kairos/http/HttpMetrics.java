package io.kairos.http;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.Complete;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.server.RouteResult;
import io.kairos.metrics.KairosMetrics;
import java.util.function.Supplier;

/**
 * Counts and times every API request ({@link KairosMetrics#HTTP_REQUESTS}, {@link KairosMetrics#HTTP_REQUEST_SECONDS})
 * by method, route template ({@link RouteTemplates}) and status class. It wraps routes that already turn rejections and
 * failures into responses, so those count as the 4xx/5xx they are answered with. Timed until the response is ready: for
 * a streamed body (Server-Sent Events, NDJSON) that is when its headers are, not when the stream ends. A request the
 * server itself answers 503 after {@code akka.http.server.request-timeout} (a backstop behind the asks' own timeouts)
 * is recorded as its route answers.
 */
final class HttpMetrics {
    private final RouteTemplates templates;

    HttpMetrics(RouteTemplates templates) {
        this.templates = templates;
    }

    /** {@code inner}, measured. */
    Route measured(Supplier<Route> inner) {
        return extractRequest(request -> {
            long started = System.nanoTime();
            return mapRouteResultFuture(
                    result -> result.whenComplete(
                            (r, failure) -> record(request, statusClass(r, failure), System.nanoTime() - started)),
                    inner);
        });
    }

    private void record(HttpRequest request, String statusClass, long nanos) {
        var method = request.method().value();
        // The parsed segments: rendering the path back to a string and splitting it cost more than the recording.
        var uri = request.getUri();
        var segments = new java.util.ArrayList<String>(8);
        uri.pathSegments().forEach(segments::add);
        if (uri.asScala().path().endsWithSlash() && !segments.isEmpty()) segments.add(""); // matches no template
        var route = templates.match(segments);
        KairosMetrics.HTTP_REQUESTS.labelValues(method, route, statusClass).inc();
        KairosMetrics.HTTP_REQUEST_SECONDS
                .labelValues(method, route, statusClass)
                .observe(nanos / 1e9);
    }

    private static String statusClass(RouteResult result, Throwable failure) {
        // The wrapped routes answer every rejection; one that slips through is answered by the server's 4xx defaults.
        if (failure != null) return "5xx";
        if (result instanceof Complete c) return c.getResponse().status().intValue() / 100 + "xx";
        return "4xx";
    }
}

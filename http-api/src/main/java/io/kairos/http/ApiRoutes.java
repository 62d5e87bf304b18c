package io.kairos.http;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.Route;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The whole HTTP surface: {@code GET /openapi.yaml} (no auth), public resources such as tracked links (no auth: opened
 * by shoppers, see {@link #withPublic}) and the authenticated {@code /v1} resources, inside the one exception and
 * rejection handler that turns every failure into problem+json, every answer counted and timed by the route template of
 * the OpenAPI document it matched ({@link HttpMetrics}).
 */
public final class ApiRoutes {
    private static final ContentType YAML =
            MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8).toContentType();

    private final HttpSettings settings;
    private final Route v1;
    private final Route publicRoutes;
    private final byte[] openApi;
    private final HttpMetrics metrics;

    public ApiRoutes(HttpSettings settings, Route... v1Resources) {
        this(
                settings,
                concat(v1Resources[0], java.util.Arrays.copyOfRange(v1Resources, 1, v1Resources.length)),
                null,
                loadOpenApi());
    }

    private ApiRoutes(HttpSettings settings, Route v1, Route publicRoutes, byte[] openApi) {
        this.settings = settings;
        this.v1 = v1;
        this.publicRoutes = publicRoutes;
        this.openApi = openApi;
        this.metrics = new HttpMetrics(RouteTemplates.fromOpenApi(openApi));
    }

    /** These routes too, outside {@code /v1} and without authentication (each must check what it accepts itself). */
    public ApiRoutes withPublic(Route routes) {
        return new ApiRoutes(settings, v1, publicRoutes == null ? routes : concat(publicRoutes, routes), openApi);
    }

    private static byte[] loadOpenApi() {
        try (var in = ApiRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) throw new IllegalStateException("openapi.yaml is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Route routes() {
        // A request still running at akka.http.server.request-timeout gets a problem too, not Akka's text/plain 503.
        var timedOut = ApiDirectives.problem(
                Problem.of(
                        503,
                        "unavailable",
                        "Service unavailable",
                        "the request took longer than the server's request timeout; retry later"),
                settings);
        return withRequestTimeoutResponse(request -> timedOut, () -> routesWithin());
    }

    private Route routesWithin() {
        return metrics.measured(() -> handleExceptions(
                ApiDirectives.exceptionHandler(settings),
                () -> handleRejections(
                        ApiDirectives.rejectionHandler(),
                        () -> concat(
                                path("openapi.yaml", () -> get(() -> complete(HttpEntities.create(YAML, openApi)))),
                                pathPrefix("v1", () -> v1),
                                publicRoutes != null ? publicRoutes : reject()))));
    }
}

package io.kairos.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.testkit.JUnitRouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import scala.concurrent.duration.FiniteDuration;

/**
 * A route test against production routes: every request goes through {@link #send}, which checks the response against
 * the served OpenAPI document ({@link OpenApiContract}). Subclasses set {@link #route} before sending.
 */
public abstract class ContractRouteTest extends JUnitRouteTest {
    protected static final ObjectMapper mapper = new ObjectMapper();

    protected Route route;

    @Override
    public FiniteDuration awaitDuration() {
        return FiniteDuration.create(5, "s");
    }

    /** Sends {@code request} with {@code key} as its bearer token (none when null) and checks the answer's contract. */
    protected TestRouteResult send(HttpRequest request, String key) {
        var req = key == null ? request : request.addHeader(RawHeader.create("Authorization", "Bearer " + key));
        var result = testRoute(route).run(req);
        OpenApiContract.check(
                request.method().value(),
                request.getUri().path(),
                result.statusCode(),
                result.contentTypeString(),
                result.entityString());
        return result;
    }

    /** A POST with a JSON body, or with none when {@code json} is null. */
    protected TestRouteResult post(String path, String json, String key) {
        var request = HttpRequest.POST(path);
        return send(json == null ? request : request.withEntity(ContentTypes.APPLICATION_JSON, json), key);
    }

    protected TestRouteResult put(String path, String json, String key) {
        return send(HttpRequest.PUT(path).withEntity(ContentTypes.APPLICATION_JSON, json), key);
    }

    protected TestRouteResult get(String path, String key) {
        return send(HttpRequest.GET(path), key);
    }

    protected static JsonNode body(TestRouteResult r) {
        try {
            return mapper.readTree(r.entityString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

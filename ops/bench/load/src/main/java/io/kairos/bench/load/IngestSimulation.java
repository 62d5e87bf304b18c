package io.kairos.bench.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Locale;

/**
 * One step of the ingest benchmark: {@code POST /v1/events} at a fixed arrival rate (open model: requests start on
 * schedule whether or not earlier ones have answered, so a slow server shows up as latency and errors, never as a
 * politely lower offered load).
 *
 * <p>A request counts as OK only if the node answers 202 and reports every event of the batch as accepted. Connections
 * are shared between virtual users (a keep-alive pool, as an ingestion client would hold), not opened per request.
 *
 * <p>Parameters are system properties ({@code kairos.bench.*}), set by {@code io.kairos.bench.GatlingRunner}: url,
 * api-key, events-per-second, seconds, batch, shoppers, distribution (uniform|zipf|sequential), zipf-exponent, run-id.
 */
public final class IngestSimulation extends Simulation {

    public IngestSimulation() {
        var url = property("url");
        var apiKey = property("api-key");
        double eventsPerSecond = Double.parseDouble(property("events-per-second"));
        int seconds = Integer.parseInt(property("seconds"));
        int batch = Integer.parseInt(property("batch"));
        var events = new ShopperEvents(
                property("run-id"),
                Integer.parseInt(property("shoppers")),
                batch,
                ShopperEvents.Distribution.valueOf(property("distribution").toUpperCase(Locale.ROOT)),
                Double.parseDouble(System.getProperty("kairos.bench.zipf-exponent", "1.0")));

        var protocol = http.baseUrl(url)
                .shareConnections()
                .disableWarmUp()
                .contentTypeHeader("application/json")
                .acceptHeader("application/json")
                .authorizationHeader("Bearer " + apiKey);

        var ingest = scenario("ingest")
                .exec(http("POST /v1/events")
                        .post("/v1/events")
                        .body(StringBody(session -> events.nextBody()))
                        .check(status().is(202), jsonPath("$.accepted").ofInt().is(batch)));

        setUp(ingest.injectOpen(constantUsersPerSec(eventsPerSecond / batch).during(Duration.ofSeconds(seconds))))
                .protocols(protocol);
    }

    private static String property(String name) {
        var value = System.getProperty("kairos.bench." + name);
        if (value == null || value.isBlank())
            throw new IllegalArgumentException("system property kairos.bench." + name + " is required");
        return value;
    }
}

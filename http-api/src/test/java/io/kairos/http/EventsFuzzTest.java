package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Throws random, malformed and hostile bodies at {@code POST /v1/events} over real HTTP (server on a free port, real
 * shopper entities on the in-memory journal) and requires that none produces a 5xx, and that every error is
 * problem+json.
 */
class EventsFuzzTest {
    private static ActorSystem system;
    private static ServerBinding binding;
    private static HttpClient client;

    @BeforeContainer
    static void start() throws Exception {
        system = ActorSystem.create("fuzz", ShopperFixture.CONFIG);
        var fixture = new ShopperFixture(system);
        binding = Http.get(system)
                .newServerAt("127.0.0.1", 0)
                .bind(fixture.routes(Clock.systemUTC()))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterContainer
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
        system.terminate();
    }

    @Property(tries = 400)
    void noBodyProducesA5xx(@ForAll("bodies") String body, @ForAll("contentTypes") String contentType)
            throws Exception {
        var request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/v1/events"))
                .header("Authorization", "Bearer ingest-key")
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        var response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("status for body %s", abbreviate(body))
                .isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.of(
                                "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json")));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().all().ofMaxLength(100),
                jsonValue(4),
                eventBatches(),
                Arbitraries.of(
                        "",
                        "null",
                        "[]",
                        "{}",
                        "{\"events\":null}",
                        "{\"events\":{}}",
                        "{\"events\":[null]}",
                        "{\"events\":[1,2]}",
                        "{\"events\":[{}]}",
                        "{\"events\":\"x\"}",
                        "{\"events\":[]} trailing",
                        "{\"events\":[],\"events\":[]}",
                        "[".repeat(5000),
                        "{\"a\":".repeat(3000),
                        "{\"events\":[{\"eventId\":\"e\",\"shopperId\":\"s\",\"type\":\"order\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"orderId\":\"o\",\"amount\":1e999999}]}",
                        "{\"events\":[{\"eventId\":\"e\",\"shopperId\":\"s\",\"type\":\"view\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"quantity\":99999999999999999999}]}",
                        "\uFEFF{\"events\":[]}",
                        "{\"events\":[{\"eventId\":\"\u0000\"}]}"));
    }

    private Arbitrary<String> jsonValue(int depth) {
        var scalars = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(20).map(EventsFuzzTest::quote),
                Arbitraries.of("true", "false", "null", "1e400", "-0", "\"2026-11-23T00:00:00Z\""));
        if (depth == 0) return scalars;
        var inner = Arbitraries.lazy(() -> jsonValue(depth - 1));
        var arrays = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        var keys = Arbitraries.of(
                "events", "eventId", "shopperId", "type", "occurredAt", "amount", "orderId", "attributes", "x");
        var objects = Combinators.combine(keys, inner)
                .as((k, v) -> quote(k) + ":" + v)
                .list()
                .ofMaxSize(5)
                .map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(scalars, arrays, objects);
    }

    /** Batches of mostly valid events with one or two fields mutated. */
    private Arbitrary<String> eventBatches() {
        var field = Arbitraries.of(
                "eventId",
                "shopperId",
                "type",
                "occurredAt",
                "sku",
                "category",
                "amount",
                "quantity",
                "channel",
                "orderId",
                "couponId",
                "attributes");
        var value = Arbitraries.oneOf(
                Arbitraries.of(
                        "\"ok-1\"",
                        "\"view\"",
                        "\"order\"",
                        "\"refund\"",
                        "\"2026-11-23T09:00:00Z\"",
                        "\"2999-01-01T00:00:00Z\"",
                        "\"not a time\"",
                        "12.5",
                        "-1",
                        "0",
                        "1.5",
                        "true",
                        "null",
                        "[]",
                        "{}",
                        "{\"k\":1}",
                        "{\"k\":\"v\"}",
                        "\"" + "x".repeat(200) + "\"",
                        "\"a b\"",
                        "\"ü\""),
                Arbitraries.strings().ofMaxLength(12).map(EventsFuzzTest::quote));
        var event = Combinators.combine(field, value, field, value).as((f1, v1, f2, v2) -> {
            var base = new java.util.LinkedHashMap<String, String>();
            base.put("eventId", quote("e-" + Math.abs((f1 + v1 + f2 + v2).hashCode())));
            base.put("shopperId", "\"fuzz-shopper\"");
            base.put("type", "\"view\"");
            base.put("occurredAt", "\"2026-11-23T09:00:00Z\"");
            base.put(f1, v1);
            base.put(f2, v2);
            var parts = base.entrySet().stream()
                    .map(e -> quote(e.getKey()) + ":" + e.getValue())
                    .toList();
            return "{" + String.join(",", parts) + "}";
        });
        return event.list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(List::copyOf)
                .map(l -> "{\"events\":[" + String.join(",", l) + "]}");
    }

    private static String quote(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}

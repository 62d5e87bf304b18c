package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Rate limits over real HTTP on a real node: a shopper asked about faster than its limit gets 429s (problem+json,
 * {@code Retry-After}, {@code RateLimit-*}) while another shopper is served; a key sending faster than its limit gets
 * 429s while another key is served; after {@code Retry-After} the refused shopper is served again.
 */
class RateLimitIT {
    private static final String INGEST = "ingest-key-for-tests";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(NodeHarness node, String path, String key) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + path))
                        .header("Authorization", "Bearer " + key)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<HttpResponse<String>> burst(NodeHarness node, String path, String key, int n) throws Exception {
        var answers = new ArrayList<HttpResponse<String>>();
        for (int i = 0; i < n; i++) answers.add(get(node, path, key));
        return answers;
    }

    @Test
    void aShopperOrAKeyOverItsLimitGets429WithItsHeadersAndNobodyElseDoes() throws Exception {
        try (var node = NodeHarness.start(
                NodeHarness.freshSchema("ratelimit"),
                "kairos.http.rate-limit { per-key = 40, per-shopper = 4, burst-seconds = 1 }")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var event = node.post(
                    "/v1/events",
                    "{\"events\":[{\"eventId\":\"rl-1\",\"shopperId\":\"busy\",\"type\":\"view\",\"occurredAt\":\""
                            + Instant.now().minusSeconds(5) + "\"}]}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);

            // one shopper, 12 reads in a row: at most its 4 tokens plus what refills meanwhile are served
            var answers = burst(node, "/v1/shoppers/busy", NodeHarness.ADMIN_KEY, 12);
            var refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(refused)
                    .as(
                            "429s among %s",
                            answers.stream().map(HttpResponse::statusCode).toList())
                    .isNotEmpty();
            assertThat(answers).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 429);
            var first = refused.get(0);
            assertThat(first.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(first.body()).contains("rate-limited").contains("shopper busy");
            assertThat(first.headers().firstValueAsLong("Retry-After").orElse(0))
                    .isPositive();
            assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("4");
            assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("0");
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("4;w=1;scope=shopper");
            // another shopper is not held back by the busy one
            assertThat(get(node, "/v1/shoppers/someone-else", NodeHarness.ADMIN_KEY)
                            .statusCode())
                    .isEqualTo(404);
            // after Retry-After the busy shopper is served again
            Thread.sleep(first.headers().firstValueAsLong("Retry-After").getAsLong() * 1000 + 100);
            assertThat(get(node, "/v1/shoppers/busy", NodeHarness.ADMIN_KEY).statusCode())
                    .isEqualTo(200);

            // one key, 120 reads in a row of different SKUs: refused for the key, while the other key is served
            var keyAnswers = new ArrayList<HttpResponse<String>>();
            for (int i = 0; i < 120; i++) keyAnswers.add(get(node, "/v1/prices/sku-" + i, INGEST));
            var overKey = keyAnswers.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(overKey).isNotEmpty();
            assertThat(overKey.get(0).headers().firstValue("RateLimit-Policy")).hasValue("40;w=1;scope=key");
            assertThat(overKey.get(0).body()).doesNotContain(INGEST);
            assertThat(get(node, "/v1/prices/sku-0", NodeHarness.ADMIN_KEY).statusCode())
                    .isNotEqualTo(429);
        }
    }
}

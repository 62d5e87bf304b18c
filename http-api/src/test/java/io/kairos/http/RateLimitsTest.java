package io.kairos.http;

import static akka.http.javadsl.server.Directives.complete;
import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.testkit.JUnitRouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import com.typesafe.config.ConfigFactory;
import org.junit.Test;

/**
 * Rate limits per API key and per shopper: a client within its rate is never refused; the request over it is refused at
 * once with 429, problem+json, {@code Retry-After} and the {@code RateLimit-*} headers, and only for that key or
 * shopper; the bucket refills at its rate.
 */
public class RateLimitsTest extends JUnitRouteTest {
    private static final ApiKeys KEYS = ApiKeys.parse("ingest=first-key-1,ingest=second-key-2");
    private static final HttpSettings SETTINGS = HttpSettings.fromConfig(RouteTestConfig.with(""));

    private Route route(RateLimits limits) {
        return ApiDirectives.authorized(KEYS, SETTINGS, limits, ApiDirectives.roles(Role.INGEST), () -> complete("ok"));
    }

    private TestRouteResult get(Route route, String path, String key) {
        return testRoute(route)
                .run(HttpRequest.GET(path).addHeader(RawHeader.create("Authorization", "Bearer " + key)));
    }

    private static String header(TestRouteResult r, String name) {
        return r.response().getHeader(name).orElseThrow().value();
    }

    @Test
    public void aKeyOverItsRateIsRefusedWith429AndItsHeadersWhileAnotherKeyIsServed() {
        var route = route(new RateLimits(new RateLimits.Settings(3, 0, 1)));
        for (int i = 0; i < 3; i++) get(route, "/v1/prices/a", "first-key-1").assertStatusCode(200);

        var refused = get(route, "/v1/prices/a", "first-key-1");
        refused.assertStatusCode(429);
        assertThat(refused.response().entity().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(refused.entityString())
                .contains("\"type\"")
                .contains("rate-limited")
                .doesNotContain("first-key-1");
        assertThat(Long.parseLong(header(refused, "Retry-After"))).isBetween(1L, 1L);
        assertThat(header(refused, "RateLimit-Limit")).isEqualTo("3");
        assertThat(header(refused, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(header(refused, "RateLimit-Reset")).isEqualTo("1");
        assertThat(header(refused, "RateLimit-Policy")).isEqualTo("3;w=1;scope=key");

        get(route, "/v1/prices/a", "second-key-2").assertStatusCode(200);
    }

    @Test
    public void aShopperOverItsRateIsRefusedWhileOtherShoppersAndOtherPathsAreServed() {
        var route = route(new RateLimits(new RateLimits.Settings(0, 2, 1)));
        get(route, "/v1/shoppers/phone%3A138/offers", "first-key-1").assertStatusCode(200);
        get(route, "/v1/shoppers/phone:138", "first-key-1").assertStatusCode(200);

        var refused = get(route, "/v1/shoppers/phone:138/prices", "second-key-2");
        refused.assertStatusCode(429);
        assertThat(header(refused, "RateLimit-Policy")).isEqualTo("2;w=1;scope=shopper");
        assertThat(refused.entityString()).contains("shopper phone:138");

        get(route, "/v1/shoppers/someone-else", "first-key-1").assertStatusCode(200);
        get(route, "/v1/events", "first-key-1").assertStatusCode(200);
    }

    @Test
    public void aBucketRefillsAtItsRate() throws InterruptedException {
        var route = route(new RateLimits(new RateLimits.Settings(2, 0, 1)));
        get(route, "/v1/prices/a", "first-key-1").assertStatusCode(200);
        get(route, "/v1/prices/a", "first-key-1").assertStatusCode(200);
        get(route, "/v1/prices/a", "first-key-1").assertStatusCode(429);
        Thread.sleep(600); // 2 per second: one token back after 500 ms
        get(route, "/v1/prices/a", "first-key-1").assertStatusCode(200);
    }

    @Test
    public void noLimitsByDefaultInRouteTestsAndTheNodesDefaultsAreConfigured() {
        var route = route(RateLimits.NONE);
        for (int i = 0; i < 100; i++)
            get(route, "/v1/shoppers/s", "first-key-1").assertStatusCode(200);
        var defaults = RateLimits.Settings.fromConfig(ConfigFactory.load().getConfig("kairos.http.rate-limit"));
        assertThat(defaults.perKey()).isEqualTo(10_000);
        assertThat(defaults.perShopper()).isEqualTo(20);
    }

    @Test
    public void theShopperOfAPathIsItsDecodedSegment() {
        assertThat(ApiDirectives.shopperOf("/v1/shoppers/phone%3A%2B86138/offers"))
                .hasValue("phone:+86138");
        assertThat(ApiDirectives.shopperOf("/v1/shoppers/a+b")).hasValue("a+b");
        assertThat(ApiDirectives.shopperOf("/v1/shoppers/")).isEmpty();
        assertThat(ApiDirectives.shopperOf("/v1/events")).isEmpty();
    }
}

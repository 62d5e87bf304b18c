package io.kairos.http;

import static akka.http.javadsl.server.Directives.complete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.testkit.JUnitRouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/**
 * API keys that rotate: several keys per role, each with an id (what logs and rate limits name) and an optional expiry
 * after which it is refused; the plain {@code role=key} format keeps working, and a malformed entry is an error that
 * names its position, never the key.
 */
public class ApiKeysTest extends JUnitRouteTest {
    private static final HttpSettings SETTINGS = HttpSettings.fromConfig(RouteTestConfig.with(""));

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2027-01-30T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private TestRouteResult get(ApiKeys keys, String key) {
        Route route = ApiDirectives.authorized(
                keys, SETTINGS, RateLimits.NONE, ApiDirectives.roles(Role.OPERATOR), () -> complete("ok"));
        return testRoute(route)
                .run(HttpRequest.GET("/v1/campaigns").addHeader(RawHeader.create("Authorization", "Bearer " + key)));
    }

    @Test
    public void theOldFormatStillWorksAndNamesAKeyByItsHash() {
        var keys = ApiKeys.parse("operator=old-style-key,ingest=other-key-1", clock);
        var key = keys.lookup("old-style-key").orElseThrow();
        assertThat(key.role()).isEqualTo(Role.OPERATOR);
        assertThat(key.id()).isEqualTo(ApiKeys.hash("old-style-key").substring(0, 12));
        assertThat(key.expired()).isFalse();
        assertThat(keys.lookup("not-a-key-at-all")).isEmpty();
        get(keys, "old-style-key").assertStatusCode(200);
    }

    @Test
    public void aRoleRotatesThroughTwoKeysUntilTheOldOneExpires() {
        var keys = ApiKeys.parse(
                "operator=outgoing-key-1;id=ops-2026q4;expires=2027-01-31,"
                        + " operator=incoming-key-2 ; id=ops-2027q1",
                clock);
        assertThat(keys.lookup("outgoing-key-1").orElseThrow().id()).isEqualTo("ops-2026q4");
        get(keys, "outgoing-key-1").assertStatusCode(200);
        get(keys, "incoming-key-2").assertStatusCode(200);

        now.set(Instant.parse("2027-01-31T00:00:00Z")); // a date expires at its start, UTC
        var refused = get(keys, "outgoing-key-1");
        refused.assertStatusCode(401);
        assertThat(refused.entityString())
                .contains("ops-2026q4 expired at 2027-01-31T00:00:00Z")
                .doesNotContain("outgoing-key-1");
        assertThat(refused.response().getHeader("WWW-Authenticate")).isPresent();
        get(keys, "incoming-key-2").assertStatusCode(200);
    }

    @Test
    public void anExpiryMayBeAnInstant() {
        var keys = ApiKeys.parse("admin=admin-key-1;expires=2027-01-30T12:00:01Z", clock);
        get(keys, "admin-key-1").assertStatusCode(200);
        now.set(Instant.parse("2027-01-30T12:00:01Z"));
        get(keys, "admin-key-1").assertStatusCode(401);
    }

    @Test
    public void malformedEntriesAreErrorsThatNameThePositionNeverTheKey() {
        assertError("operator=secret-key-1;id=bad id", "entry 1: id must be");
        assertError("operator=secret-key-1,ingest=secret-key-2;expires=soon", "entry 2: expires must be");
        assertError("operator=secret-key-1;colour=blue", "entry 1 has unknown attribute 'colour'");
        assertError("operator=secret-key-1;id=a,ingest=secret-key-2;id=a", "entry 2 repeats the key id 'a'");
        assertError("operator=secret-key-1,ingest=secret-key-1", "entry 2 repeats a key");
        assertError("operator=short", "at least 8 characters");
        assertError("owner=secret-key-1", "unknown role 'owner'");
        assertError("secret-key-1", "entry 1 is not role=key");
    }

    private void assertError(String spec, String message) {
        assertThatThrownBy(() -> ApiKeys.parse(spec, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-key"));
    }
}

package io.kairos.http.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.http.ApiKeys;
import io.kairos.http.ApiRoutes;
import io.kairos.http.ContractRouteTest;
import io.kairos.http.HttpSettings;
import io.kairos.http.RouteContext;
import io.kairos.http.RouteTestConfig;
import io.kairos.time.SimulatedClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.Test;

/** {@code /v1/dev/clock}: anyone may read the node's time; only an admin moves it, and only a simulated clock. */
public class ClockRoutesTest extends ContractRouteTest {
    private static final HttpSettings SETTINGS = HttpSettings.fromConfig(RouteTestConfig.with(""));
    private static final Instant START = Instant.parse("2027-03-01T09:00:00Z");

    private SimulatedClock simulated(boolean simulated) {
        var clock = new SimulatedClock(START, Duration.ofSeconds(1));
        Clock nodeClock = simulated ? clock : Clock.systemUTC();
        var ctx = new RouteContext(ApiKeys.fromSettings(SETTINGS), SETTINGS, nodeClock);
        route = new ApiRoutes(
                        SETTINGS, new ClockRoutes(simulated ? Optional.of(clock) : Optional.empty(), ctx).routes())
                .routes();
        return clock;
    }

    @Test
    public void anAdminMovesASimulatedClockForwardToAnInstantOrByADuration() {
        var clock = simulated(true);
        var now = get("/v1/dev/clock", "ingest-key");
        now.assertStatusCode(200);
        assertThat(body(now).path("now").asText()).isEqualTo("2027-03-01T09:00:00Z");
        assertThat(body(now).path("simulated").asBoolean()).isTrue();

        var by = post("/v1/dev/clock", "{\"advanceBy\":\"P2DT3H\"}", "admin-key1");
        by.assertStatusCode(200);
        assertThat(body(by).path("now").asText()).isEqualTo("2027-03-03T12:00:00Z");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2027-03-03T12:00:00Z"));

        var to = post("/v1/dev/clock", "{\"to\":\"2027-04-01T00:00:00Z\"}", "admin-key1");
        to.assertStatusCode(200);
        post("/v1/dev/clock", "{\"to\":\"2027-04-01T00:00:00Z\"}", "admin-key1")
                .assertStatusCode(200); // the same move again is a no-op
        assertThat(clock.instant()).isEqualTo(Instant.parse("2027-04-01T00:00:00Z"));
    }

    @Test
    public void theClockNeverGoesBackAndAMoveNamesExactlyOneTarget() {
        var clock = simulated(true);
        post("/v1/dev/clock", "{\"to\":\"2027-02-01T00:00:00Z\"}", "admin-key1").assertStatusCode(422);
        post("/v1/dev/clock", "{\"advanceBy\":\"-PT1H\"}", "admin-key1").assertStatusCode(422);
        post("/v1/dev/clock", "{}", "admin-key1").assertStatusCode(400);
        post("/v1/dev/clock", "{\"to\":\"2027-04-01T00:00:00Z\",\"advanceBy\":\"PT1H\"}", "admin-key1")
                .assertStatusCode(400);
        post("/v1/dev/clock", "{\"advanceBy\":\"a week\"}", "admin-key1").assertStatusCode(400);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    public void onlyAnAdminMovesIt() {
        var clock = simulated(true);
        post("/v1/dev/clock", "{\"advanceBy\":\"PT1H\"}", "operator-key").assertStatusCode(403);
        post("/v1/dev/clock", "{\"advanceBy\":\"PT1H\"}", null).assertStatusCode(401);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    public void aNodeOnTheSystemClockRefusesToMoveIt() {
        simulated(false);
        var now = get("/v1/dev/clock", "auditor-key");
        now.assertStatusCode(200);
        assertThat(body(now).path("simulated").asBoolean()).isFalse();
        var moved = post("/v1/dev/clock", "{\"advanceBy\":\"PT1H\"}", "admin-key1");
        moved.assertStatusCode(409);
        assertThat(body(moved).path("detail").asText()).contains("KAIROS_CLOCK");
    }
}

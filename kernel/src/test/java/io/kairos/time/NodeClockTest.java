package io.kairos.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The node's clock: the system clock unless a dev node asks for a simulated one, which only moves forward. */
class NodeClockTest {

    private static NodeClock clockOf(String config) {
        var kit = ActorTestKit.create(ConfigFactory.parseString(config).withFallback(ConfigFactory.load()));
        try {
            return NodeClock.get(kit.system());
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aNodeRunsOnTheSystemClockByDefault() {
        var clock = clockOf("kairos.mode = production");
        assertThat(clock.simulated()).isEmpty();
        assertThat(Duration.between(clock.clock().instant(), Instant.now()).abs())
                .isLessThan(Duration.ofSeconds(5));
        assertThat(NodeClock.timerDelay(clock.clock(), Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aDevNodeMayRunOnASimulatedClockThatOnlyAnAdminMoves() {
        var clock = clockOf("kairos.mode = dev\nkairos.clock { mode = simulated, start = \"2027-01-01T00:00:00Z\" }");
        var simulated = clock.simulated().orElseThrow();
        assertThat(clock.clock().instant()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(simulated.advance(Duration.ofDays(3))).isEqualTo(Instant.parse("2027-01-04T00:00:00Z"));
        assertThat(simulated.moveTo(Instant.parse("2027-01-05T00:00:00Z")))
                .isEqualTo(clock.clock().instant());
        assertThatThrownBy(() -> simulated.moveTo(Instant.parse("2027-01-02T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not go back");
        assertThatThrownBy(() -> simulated.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.clock().instant()).isEqualTo(Instant.parse("2027-01-05T00:00:00Z"));
        // a timer waiting a day of this clock looks again after the recheck interval of real time
        assertThat(NodeClock.timerDelay(clock.clock(), Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(NodeClock.timerDelay(clock.clock(), Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
        assertThat(NodeClock.timerDelay(Clock.systemUTC(), Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aNodeOutsideDevModeRefusesASimulatedClock() {
        assertThatThrownBy(() -> clockOf("kairos.mode = production\nkairos.clock.mode = simulated"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev mode only");
        assertThatThrownBy(() -> clockOf("kairos.mode = dev\nkairos.clock.mode = sundial"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("system or simulated");
    }
}

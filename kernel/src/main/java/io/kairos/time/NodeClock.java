package io.kairos.time;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's one clock for everything it decides by time (requests' "now", campaign windows and pacing, offer expiry,
 * wake-ups, delivery times, repricing, the learning loop's schedule): the system clock, or in dev mode, with
 * {@code kairos.clock.mode = simulated}, a {@link SimulatedClock} that only an admin moves ({@code POST
 * /v1/dev/clock}). A production node refuses to start with it.
 *
 * <p>Timers still run on real time. Under a simulated clock each of them re-checks the clock at least every
 * {@code kairos.clock.recheck-interval} of real time ({@link #timerDelay(Clock, Duration)}), so what falls due after a
 * move happens within that interval. What measures real time stays on it: request deadlines and timeouts, rate limits,
 * API key expiry, console sessions, webhook signature timestamps, the model registry's change log.
 */
public final class NodeClock implements Extension {
    private final Clock clock;

    private NodeClock(Clock clock) {
        this.clock = clock;
    }

    public static NodeClock get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public static final class Id extends ExtensionId<NodeClock> {
        static final Id INSTANCE = new Id();

        @Override
        public NodeClock createExtension(ActorSystem<?> system) {
            var config = system.settings().config();
            var c = config.getConfig("kairos.clock");
            var mode = config.hasPath("kairos.mode") ? config.getString("kairos.mode") : "unset";
            var kind = c.getString("mode");
            if (!kind.equals("system") && !kind.equals("simulated"))
                throw new IllegalArgumentException(
                        "kairos.clock.mode (KAIROS_CLOCK) is system or simulated, not " + kind);
            if (kind.equals("simulated") && !mode.equals("dev"))
                throw new IllegalStateException("a simulated clock (KAIROS_CLOCK=simulated) is for dev mode only;"
                        + " a node in mode " + mode + " runs on the system clock");
            if (kind.equals("system")) return new NodeClock(Clock.systemUTC());
            var start = c.getString("start").isBlank() ? Instant.now() : Instant.parse(c.getString("start"));
            system.log().warn("The node runs on a simulated clock, at {} until an admin moves it", start);
            return new NodeClock(new SimulatedClock(start, c.getDuration("recheck-interval")));
        }
    }

    public Clock clock() {
        return clock;
    }

    /** The simulated clock, when the node runs on one. */
    public Optional<SimulatedClock> simulated() {
        return clock instanceof SimulatedClock s ? Optional.of(s) : Optional.empty();
    }

    /**
     * How long a timer that waits {@code wanted} by {@code clock} waits in real time before it looks at the clock:
     * {@code wanted} on any clock but a simulated one, which moves by jumps, so its timers wait at most its
     * {@link SimulatedClock#recheck()} before looking again.
     */
    public static Duration timerDelay(Clock clock, Duration wanted) {
        return clock instanceof SimulatedClock s && wanted.compareTo(s.recheck()) > 0 ? s.recheck() : wanted;
    }
}

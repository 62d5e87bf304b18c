package io.kairos.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A dev node's simulated clock ({@link NodeClock}): it stands still until an admin moves it forward, and never goes
 * back. A simulator compresses weeks into minutes with it; everything a node schedules by the clock reads it.
 * Thread-safe.
 */
public final class SimulatedClock extends Clock {
    private final AtomicReference<Instant> now;
    private final Duration recheck;

    /** A clock at {@code start}; timers on it look at it at least every {@code recheck} of real time. */
    public SimulatedClock(Instant start, Duration recheck) {
        this.now = new AtomicReference<>(start);
        this.recheck = recheck;
    }

    /** How often, in real time, a timer waiting on this clock looks at it again. */
    public Duration recheck() {
        return recheck;
    }

    /** Moves the clock to {@code t}; an instant before the clock's time is refused (time does not run backwards). */
    public Instant moveTo(Instant t) {
        return now.updateAndGet(current -> {
            if (t.isBefore(current))
                throw new IllegalArgumentException("the clock is at " + current + "; it does not go back to " + t);
            return t;
        });
    }

    /** Moves the clock forward by {@code by} (zero or more). */
    public Instant advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("the clock does not go back (" + by + ")");
        return now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}

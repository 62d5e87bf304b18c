package io.kairos.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A dev node's simulated clock ({@link NodeClock}): a {@link ManualClock} that only moves forward. A simulator
 * compresses weeks into minutes with it; everything a node schedules by the clock reads it. Thread-safe.
 */
public final class SimulatedClock extends ManualClock {
    private final Duration recheck;

    /** A clock at {@code start}; timers on it look at it at least every {@code recheck} of real time. */
    public SimulatedClock(Instant start, Duration recheck) {
        super(start);
        this.recheck = recheck;
    }

    /** How often, in real time, a timer waiting on this clock looks at it again. */
    public Duration recheck() {
        return recheck;
    }

    /** Moves the clock to {@code t}; an instant before the clock's time is refused (time does not run backwards). */
    public Instant moveTo(Instant t) {
        return update(current -> {
            if (t.isBefore(current))
                throw new IllegalArgumentException("the clock is at " + current + "; it does not go back to " + t);
            return t;
        });
    }

    /** As {@link #moveTo}: never back. */
    @Override
    public void set(Instant t) {
        moveTo(t);
    }

    /** Moves the clock forward by {@code by} (zero or more). */
    @Override
    public Instant advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("the clock does not go back (" + by + ")");
        return super.advance(by);
    }
}

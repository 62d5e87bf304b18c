package io.kairos.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until it is set or advanced: tests and simulations move time by hand. Thread-safe. */
public class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void set(Instant t) {
        now.set(t);
    }

    public Instant advance(Duration by) {
        return update(t -> t.plus(by));
    }

    /** Moves the clock by {@code change} of its current time, atomically; returns the new time. */
    protected final Instant update(java.util.function.UnaryOperator<Instant> change) {
        return now.updateAndGet(change);
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

package io.kairos.shopper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A person's behaviour events counted by UTC hour of day (0–23): the hour the person is most likely to look at a
 * message is the fullest one. Part of the shopper's state, so it is exactly what the journal says (a replay counts
 * nothing twice) and it travels with the person when identities are linked. Immutable.
 *
 * @param counts events per UTC hour; hours without events are absent
 */
public record HourHistogram(Map<Integer, Long> counts) {
    public static final HourHistogram EMPTY = new HourHistogram(Map.of());

    public HourHistogram {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /** One more event at {@code at}. */
    public HourHistogram plus(Instant at) {
        var next = new HashMap<>(counts);
        next.merge(at.atZone(ZoneOffset.UTC).getHour(), 1L, Long::sum);
        return new HourHistogram(next);
    }

    public HourHistogram merge(HourHistogram other) {
        if (other == null || other.counts.isEmpty()) return this;
        var next = new HashMap<>(counts);
        other.counts.forEach((hour, n) -> next.merge(hour, n, Long::sum));
        return new HourHistogram(next);
    }

    /**
     * The fullest UTC hour (the earliest of equals) once at least {@code minEvents} events were counted; else empty.
     */
    public OptionalInt peakUtcHour(long minEvents) {
        long total = 0;
        long best = 0;
        int peak = -1;
        for (int hour = 0; hour < 24; hour++) {
            long n = counts.getOrDefault(hour, 0L);
            total += n;
            if (n > best) {
                best = n;
                peak = hour;
            }
        }
        return peak >= 0 && total >= minEvents ? OptionalInt.of(peak) : OptionalInt.empty();
    }
}

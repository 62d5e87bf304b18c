package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A person's behaviour events counted by UTC hour of day (0–23): the hour the person is most likely to look at a
 * message is the fullest one. Part of the shopper's state, so it is exactly what the journal says (a replay counts
 * nothing twice) and it travels with the person when identities are linked.
 *
 * <p>Compact, as every active shopper holds one: 24 counts in an {@code int[]} (112 bytes; a count stops at
 * {@link Integer#MAX_VALUE}), serialized as {@code perHour}, an array of 24 counts (empty when nothing was counted).
 * Immutable.
 */
public final class HourHistogram {
    public static final HourHistogram EMPTY = new HourHistogram(new int[0]);

    private final int[] perHour; // empty, or 24 counts

    private HourHistogram(int[] perHour) {
        this.perHour = perHour;
    }

    @JsonCreator
    static HourHistogram fromJson(@JsonProperty("perHour") int[] perHour) {
        if (perHour == null || perHour.length == 0) return EMPTY;
        if (perHour.length != 24) throw new IllegalArgumentException("perHour must hold 24 counts");
        return new HourHistogram(perHour.clone());
    }

    /** A histogram of counts by hour (as the second version of the shopper state held them); for migrations. */
    public static HourHistogram of(Map<Integer, Long> counts) {
        var out = EMPTY;
        for (var e : counts.entrySet()) out = out.plus(e.getKey(), e.getValue());
        return out;
    }

    @JsonProperty("perHour")
    int[] perHour() {
        return perHour;
    }

    /** Events per UTC hour; hours without events are absent. */
    public Map<Integer, Long> counts() {
        var out = new TreeMap<Integer, Long>();
        for (int hour = 0; hour < perHour.length; hour++) if (perHour[hour] > 0) out.put(hour, (long) perHour[hour]);
        return out;
    }

    /** One more event at {@code at}. */
    public HourHistogram plus(Instant at) {
        return plus(at.atZone(ZoneOffset.UTC).getHour(), 1);
    }

    private HourHistogram plus(int hour, long n) {
        if (n <= 0) return this;
        var next = perHour.length == 0 ? new int[24] : perHour.clone();
        next[hour] = (int) Math.min(Integer.MAX_VALUE, next[hour] + n);
        return new HourHistogram(next);
    }

    public HourHistogram merge(HourHistogram other) {
        if (other == null || other.perHour.length == 0) return this;
        if (perHour.length == 0) return other;
        var next = perHour.clone();
        for (int hour = 0; hour < 24; hour++) {
            next[hour] = (int) Math.min(Integer.MAX_VALUE, (long) next[hour] + other.perHour[hour]);
        }
        return new HourHistogram(next);
    }

    /**
     * The fullest UTC hour (the earliest of equals) once at least {@code minEvents} events were counted; else empty.
     */
    public OptionalInt peakUtcHour(long minEvents) {
        long total = 0;
        long best = 0;
        int peak = -1;
        for (int hour = 0; hour < perHour.length; hour++) {
            long n = perHour[hour];
            total += n;
            if (n > best) {
                best = n;
                peak = hour;
            }
        }
        return peak >= 0 && total >= minEvents ? OptionalInt.of(peak) : OptionalInt.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HourHistogram h && Arrays.equals(h.perHour, perHour);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(perHour);
    }

    @Override
    public String toString() {
        return "HourHistogram" + counts();
    }
}

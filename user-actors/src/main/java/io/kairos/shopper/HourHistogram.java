package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A person's behaviour events counted by UTC hour of day (0–23): the hour the person is most likely to look at a
 * message is the fullest one. Part of the shopper's state, so it is exactly what the journal says (a replay counts
 * nothing twice) and it travels with the person when identities are linked.
 *
 * <p>Compact, as every active shopper holds one: 24 counts of one byte each, in three {@code long}s of the histogram
 * itself (40 bytes in all) while no hour has more than 255 events, then 24 {@code int}s (152 bytes; a count stops at
 * {@link Integer#MAX_VALUE}). Either way serialized as {@code perHour}, an array of 24 counts (empty when nothing was
 * counted). Immutable.
 */
public final class HourHistogram {
    private static final int[] NOTHING = new int[0];

    public static final HourHistogram EMPTY = new HourHistogram(NOTHING);

    private static final int BYTE_MAX = 0xff;

    // While every count fits in a byte: hour h's count is byte h % 8 of smallN for N = h / 8, and large is null. Else
    // large holds the 24 counts; large is NOTHING when nothing was counted.
    @JsonIgnore // serialized as perHour
    private final long small0;

    @JsonIgnore
    private final long small1;

    @JsonIgnore
    private final long small2;

    @JsonIgnore
    private final int[] large;

    private HourHistogram(int[] perHour) {
        boolean fits = perHour.length > 0;
        for (int n : perHour) fits &= n >= 0 && n <= BYTE_MAX;
        long[] packed = new long[3];
        if (fits)
            for (int hour = 0; hour < perHour.length; hour++)
                packed[hour / 8] |= (long) perHour[hour] << (hour % 8 * 8);
        small0 = packed[0];
        small1 = packed[1];
        small2 = packed[2];
        large = fits ? null : perHour.length == 0 ? NOTHING : perHour;
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

    private int hours() {
        return large == null ? 24 : large.length;
    }

    private int count(int hour) {
        if (large != null) return large[hour];
        long word = hour < 8 ? small0 : hour < 16 ? small1 : small2;
        return (int) (word >>> (hour % 8 * 8)) & BYTE_MAX;
    }

    /** The counts, a new array of 24 (or empty). */
    @JsonProperty("perHour")
    int[] perHour() {
        if (large != null) return large.clone();
        var out = new int[24];
        for (int hour = 0; hour < out.length; hour++) out[hour] = count(hour);
        return out;
    }

    /** Events per UTC hour; hours without events are absent. */
    public Map<Integer, Long> counts() {
        var out = new TreeMap<Integer, Long>();
        for (int hour = 0; hour < hours(); hour++) if (count(hour) > 0) out.put(hour, (long) count(hour));
        return out;
    }

    /** One more event at {@code at}. */
    public HourHistogram plus(Instant at) {
        return plus(at.atZone(ZoneOffset.UTC).getHour(), 1);
    }

    private HourHistogram plus(int hour, long n) {
        if (n <= 0) return this;
        var next = hours() == 0 ? new int[24] : perHour();
        next[hour] = (int) Math.min(Integer.MAX_VALUE, next[hour] + n);
        return new HourHistogram(next);
    }

    public HourHistogram merge(HourHistogram other) {
        if (other == null || other.hours() == 0) return this;
        if (hours() == 0) return other;
        var next = perHour();
        for (int hour = 0; hour < 24; hour++) {
            next[hour] = (int) Math.min(Integer.MAX_VALUE, (long) next[hour] + other.count(hour));
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
        for (int hour = 0; hour < hours(); hour++) {
            long n = count(hour);
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
        if (!(o instanceof HourHistogram h) || h.hours() != hours()) return false;
        for (int hour = 0; hour < hours(); hour++) if (h.count(hour) != count(hour)) return false;
        return true;
    }

    @Override
    public int hashCode() {
        int out = 1;
        for (int hour = 0; hour < hours(); hour++) out = 31 * out + count(hour);
        return out;
    }

    @Override
    public String toString() {
        return "HourHistogram" + counts();
    }
}

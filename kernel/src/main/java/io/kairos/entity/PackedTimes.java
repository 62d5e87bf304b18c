package io.kairos.entity;

import java.time.Instant;

/**
 * An instant held as its distance in nanoseconds from another instant the same object holds (an expiry from its issue),
 * in a {@code long} instead of an {@link Instant} of its own: 8 bytes of heap instead of 28. Exact to the nanosecond;
 * spans that do not fit (about 292 years) or that start from nothing are kept as the instant itself ({@link #FAR}).
 */
public final class PackedTimes {
    private PackedTimes() {}

    /** The span of a missing instant. */
    public static final long NONE = Long.MIN_VALUE;
    /** The span of an instant kept as it is. */
    public static final long FAR = Long.MIN_VALUE + 1;

    /**
     * {@code to} as nanoseconds after {@code from}; {@link #NONE} for a null {@code to}, else {@link #FAR} if unfit.
     */
    public static long span(Instant from, Instant to) {
        if (to == null) return NONE;
        if (from == null) return FAR;
        try {
            long nanos = Math.addExact(
                    Math.multiplyExact(to.getEpochSecond() - from.getEpochSecond(), 1_000_000_000L),
                    to.getNano() - from.getNano());
            return nanos == NONE || nanos == FAR ? FAR : nanos;
        } catch (ArithmeticException tooFar) {
            return FAR;
        }
    }

    /** The instant {@code span} after {@code from} ({@code far} if it was kept as it is, null if there was none). */
    public static Instant end(Instant from, long span, Instant far) {
        if (span == NONE) return null;
        if (span == FAR) return far;
        return from.plusNanos(span);
    }
}

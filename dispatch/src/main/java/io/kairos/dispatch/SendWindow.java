package io.kairos.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When a message may go out: never inside the quiet hours of the shopper's zone, at the shopper's likely active hour
 * when that is not too far off, and only before the offer expires. A pure function of its inputs (tests pass the
 * clock's {@code now}).
 *
 * <p>Invariants of {@link #next}: the answer is never before {@code now}, never inside the quiet hours (read in
 * {@code zone}) and always before {@code expiresAt}; empty means the offer expires before it can be sent.
 */
public final class SendWindow {
    private SendWindow() {}

    /**
     * @param activeHour the shopper's likely active hour of day in {@code zone} (0–23), or empty to send as soon as
     *     allowed
     * @param maxWait how long a delivery may wait for the active hour
     */
    public static Optional<Instant> next(
            Instant now, ZoneId zone, QuietHours quiet, OptionalInt activeHour, Duration maxWait, Instant expiresAt) {
        var earliest = outOfQuiet(now.atZone(zone), quiet);
        var at = earliest;
        if (activeHour.isPresent()) {
            var preferred = atHour(earliest, activeHour.getAsInt());
            if (!quiet.contains(preferred.toLocalTime())
                    && !preferred.toInstant().isAfter(now.plus(maxWait))
                    && preferred.toInstant().isBefore(expiresAt)) {
                at = preferred;
            }
        }
        var instant = at.toInstant();
        return instant.isBefore(expiresAt) ? Optional.of(instant) : Optional.empty();
    }

    /** {@code t} itself when it is outside the quiet hours, else the end of the quiet period it falls in. */
    static ZonedDateTime outOfQuiet(ZonedDateTime t, QuietHours quiet) {
        if (!quiet.contains(t.toLocalTime())) return t;
        var end = t.with(quiet.end());
        if (!end.isAfter(t)) end = t.plusDays(1).with(quiet.end());
        // A DST gap can move the local end time; step forward until outside (at most an hour).
        while (quiet.contains(end.toLocalTime())) end = end.plusMinutes(1);
        return end;
    }

    /** The first moment at or after {@code t} in the given local hour: {@code t} itself within that hour. */
    static ZonedDateTime atHour(ZonedDateTime t, int hour) {
        if (t.getHour() == hour) return t;
        var candidate = t.with(LocalTime.of(hour, 0));
        return candidate.isAfter(t) ? candidate : t.plusDays(1).with(LocalTime.of(hour, 0));
    }
}

package io.kairos.dispatch;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/**
 * Hours of the day in which nothing is sent, in the shopper's own zone: {@code [start, end)}, wrapping past midnight
 * when {@code start > end} ({@code 22:00-08:00}). {@link #OFF} has no quiet time.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    public static final QuietHours OFF = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    /** {@code "HH:mm-HH:mm"} or {@code "off"}. */
    public static QuietHours parse(String spec) {
        var s = spec.trim();
        if (s.equalsIgnoreCase("off") || s.isEmpty()) return OFF;
        var parts = s.split("-");
        if (parts.length != 2)
            throw new IllegalArgumentException("quiet hours must be HH:mm-HH:mm or off, not " + spec);
        try {
            return new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("quiet hours must be HH:mm-HH:mm or off, not " + spec, e);
        }
    }

    public boolean off() {
        return start.equals(end);
    }

    /** Whether a local time of day falls in the quiet hours. */
    public boolean contains(LocalTime t) {
        if (off()) return false;
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }
}

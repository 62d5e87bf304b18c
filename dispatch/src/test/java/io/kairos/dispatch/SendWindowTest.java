package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SendWindowTest {
    private static final QuietHours NIGHT = QuietHours.parse("22:00-08:00");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Duration DAY = Duration.ofHours(24);

    private static Instant shanghai(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    @Test
    void quietHoursWrapPastMidnightAndOffHasNone() {
        assertThat(NIGHT.contains(LocalTime.of(23, 0))).isTrue();
        assertThat(NIGHT.contains(LocalTime.of(3, 0))).isTrue();
        assertThat(NIGHT.contains(LocalTime.of(8, 0))).isFalse();
        assertThat(NIGHT.contains(LocalTime.of(21, 59))).isFalse();
        var lunch = QuietHours.parse("12:00-13:30");
        assertThat(lunch.contains(LocalTime.of(12, 30))).isTrue();
        assertThat(lunch.contains(LocalTime.of(13, 30))).isFalse();
        assertThat(QuietHours.parse("off").contains(LocalTime.of(3, 0))).isFalse();
        assertThatThrownBy(() -> QuietHours.parse("22-8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageDueInQuietHoursWaitsForTheirEndInTheShoppersZone() {
        var now = shanghai("2026-11-23T23:30"); // 15:30 UTC: not quiet in UTC, quiet in Shanghai
        var at = SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.empty(), DAY, now.plus(Duration.ofDays(7)));
        assertThat(at).contains(shanghai("2026-11-24T08:00"));
        var utc = SendWindow.next(now, ZoneId.of("UTC"), NIGHT, OptionalInt.empty(), DAY, now.plus(Duration.ofDays(7)));
        assertThat(utc).contains(now);
    }

    @Test
    void theActiveHourIsPreferredWhenItIsOutsideQuietHoursWithinTheWaitAndBeforeExpiry() {
        var now = shanghai("2026-11-23T09:15");
        var week = now.plus(Duration.ofDays(7));
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.of(19), DAY, week))
                .contains(shanghai("2026-11-23T19:00"));
        // already in the active hour: now
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.of(9), DAY, week))
                .contains(now);
        // the active hour has passed today: tomorrow's
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.of(8), DAY, week))
                .contains(shanghai("2026-11-24T08:00"));
        // an active hour inside the quiet hours is ignored
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.of(23), DAY, week))
                .contains(now);
        // too far off for max-wait
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.of(19), Duration.ofHours(2), week))
                .contains(now);
        // the offer expires before the active hour: send now rather than never
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.of(19), DAY, shanghai("2026-11-23T12:00")))
                .contains(now);
    }

    @Test
    void anOfferThatExpiresBeforeTheQuietHoursEndIsNotSent() {
        var now = shanghai("2026-11-23T23:30");
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.empty(), DAY, shanghai("2026-11-24T07:00")))
                .isEmpty();
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.empty(), DAY, shanghai("2026-11-24T08:00")))
                .isEmpty();
        assertThat(SendWindow.next(now, SHANGHAI, NIGHT, OptionalInt.empty(), DAY, now))
                .isEmpty();
    }

    @Test
    void aQuietEndInsideADaylightSavingGapStillLandsOutsideTheQuietHours() {
        var berlin = ZoneId.of("Europe/Berlin");
        // 2026-03-29 02:00 does not exist in Berlin; quiet hours ending at 02:30 end at 03:30 local that night
        var now =
                java.time.LocalDateTime.parse("2026-03-29T01:00").atZone(berlin).toInstant();
        var at = SendWindow.next(now, berlin, QuietHours.parse("00:00-02:30"), OptionalInt.empty(), DAY, now.plus(DAY));
        assertThat(at).isPresent();
        assertThat(QuietHours.parse("00:00-02:30")
                        .contains(at.get().atZone(berlin).toLocalTime()))
                .isFalse();
        assertThat(at.get()).isAfter(now);
    }
}

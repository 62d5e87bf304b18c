package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a slot's next sweep of a day starts reading: nothing below it but rows handled (tombstones). */
class WakeupFloorTest {
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(1);

    private static WakeupStore.Due due(String at, String shopper) {
        return new WakeupStore.Due(0, "2026-12-07", Instant.parse(at), shopper);
    }

    @Test
    void afterASweepThatHandledEverythingTheNextStartsAtItsTimeLessTheClockSkew() {
        var rows = List.of(due("2026-12-07T05:10:00Z", "a"), due("2026-12-07T05:59:30Z", "b"));
        assertThat(WakeupSweeper.nextFloor(NOW, SKEW, rows, 200, List.of()))
                .isEqualTo(Instant.parse("2026-12-07T05:59:00Z"));
        assertThat(WakeupSweeper.nextFloor(NOW, SKEW, List.of(), 200, List.of()))
                .isEqualTo(NOW.minus(SKEW));
    }

    @Test
    void aRowThatWasNotWokenStaysAboveTheFloor() {
        var kept = due("2026-12-07T01:00:00Z", "late");
        var rows = List.of(kept, due("2026-12-07T05:00:00Z", "b"));
        assertThat(WakeupSweeper.nextFloor(NOW, SKEW, rows, 200, List.of(kept))).isEqualTo(kept.dueAt());
    }

    @Test
    void aFullBatchLeavesTheRowsFromItsLastDueTimeOn() {
        var rows = List.of(due("2026-12-07T02:00:00Z", "a"), due("2026-12-07T03:00:00Z", "b"));
        // rows due at 03:00 for other shoppers may not have fitted in the batch
        assertThat(WakeupSweeper.nextFloor(NOW, SKEW, rows, 2, List.of()))
                .isEqualTo(Instant.parse("2026-12-07T03:00:00Z"));
    }
}

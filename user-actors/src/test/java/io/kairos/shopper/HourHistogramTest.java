package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HourHistogramTest {
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private static Instant at(int day, int hour, int minute) {
        return DAY.plusSeconds(day * 86_400L + hour * 3_600L + minute * 60L);
    }

    @Test
    void theActiveHourIsTheFullestUtcHourOnceEnoughEventsWereCounted() {
        var h = HourHistogram.EMPTY.plus(at(0, 19, 1)).plus(at(0, 9, 0));
        assertThat(h.peakUtcHour(4)).isEmpty();
        h = h.plus(at(1, 19, 30)).plus(at(2, 19, 59));
        assertThat(h.counts()).containsOnly(entry(19, 3L), entry(9, 1L));
        assertThat(h.peakUtcHour(4)).hasValue(19);
        assertThat(HourHistogram.EMPTY.peakUtcHour(0)).as("no events, no hour").isEmpty();
    }

    @Test
    void aTieGoesToTheEarlierHourAndLinkedHistoriesAddUp() {
        var a = HourHistogram.EMPTY.plus(at(0, 21, 0)).plus(at(0, 8, 0));
        assertThat(a.peakUtcHour(1)).hasValue(8);
        var b = HourHistogram.EMPTY.plus(at(3, 21, 15)).plus(at(4, 21, 45));
        var merged = a.merge(b);
        assertThat(merged.counts()).containsOnly(entry(21, 3L), entry(8, 1L));
        assertThat(merged.peakUtcHour(4)).hasValue(21);
        assertThat(a.merge(null)).isEqualTo(a);
    }

    @Test
    void aCountStopsAtTheLargestIntAndEqualHistogramsAreEqual() {
        var full = HourHistogram.of(java.util.Map.of(7, (long) Integer.MAX_VALUE));
        assertThat(full.plus(at(0, 7, 0)).counts()).containsOnly(entry(7, (long) Integer.MAX_VALUE));
        assertThat(HourHistogram.EMPTY.plus(at(0, 7, 0))).isEqualTo(HourHistogram.of(java.util.Map.of(7, 1L)));
        assertThat(HourHistogram.of(java.util.Map.of())).isSameAs(HourHistogram.EMPTY);
    }

    @Test
    void countsStayExactPastWhatOneByteHolds() {
        var h = HourHistogram.of(java.util.Map.of(5, 254L, 6, 3L));
        h = h.plus(at(0, 5, 0)).plus(at(1, 5, 0)).plus(at(2, 5, 0));
        assertThat(h.counts()).containsOnly(entry(5, 257L), entry(6, 3L));
        assertThat(h.merge(HourHistogram.of(java.util.Map.of(6, 300L))).counts())
                .containsOnly(entry(5, 257L), entry(6, 303L));
        assertThat(HourHistogram.fromJson(h.perHour())).isEqualTo(h);
        assertThat(h.perHour()).hasSize(24).contains(257, 3);
        assertThat(h.peakUtcHour(1)).hasValue(5);
    }
}

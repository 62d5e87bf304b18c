package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecayedScoresTest {
    private static final Duration H = Duration.ofDays(14);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aScoreHalvesEveryHalfLife() {
        var s = DecayedScores.EMPTY.add("view", 1.0, T0, H, 10);
        assertThat(s.valueAt("view", T0, H)).isEqualTo(1.0);
        assertThat(s.valueAt("view", T0.plus(H), H)).isCloseTo(0.5, within(1e-12));
        assertThat(s.valueAt("view", T0.plus(H.multipliedBy(3)), H)).isCloseTo(0.125, within(1e-12));
    }

    @Test
    void addingDecaysTheOldValueFirst() {
        var s = DecayedScores.EMPTY.add("view", 1.0, T0, H, 10).add("view", 2.0, T0.plus(H), H, 10);
        assertThat(s.valueAt("view", T0.plus(H), H)).isCloseTo(2.5, within(1e-12));
        assertThat(s.valueAt("view", T0.plus(H.multipliedBy(2)), H)).isCloseTo(1.25, within(1e-12));
    }

    @Test
    void outOfOrderEventsGiveTheSameScoreAsInOrderOnes() {
        var t1 = T0.plus(Duration.ofDays(3));
        var t2 = T0.plus(Duration.ofDays(10));
        var inOrder = DecayedScores.EMPTY.add("k", 1.0, t1, H, 10).add("k", 4.0, t2, H, 10);
        var reversed = DecayedScores.EMPTY.add("k", 4.0, t2, H, 10).add("k", 1.0, t1, H, 10);
        var at = T0.plus(Duration.ofDays(30));
        assertThat(reversed.valueAt("k", at, H)).isCloseTo(inOrder.valueAt("k", at, H), within(1e-12));
        var expected = 1.0 * Math.pow(2, -27.0 / 14) + 4.0 * Math.pow(2, -20.0 / 14);
        assertThat(inOrder.valueAt("k", at, H)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void theWeakestKeyIsEvictedBeyondTheBound() {
        var s = DecayedScores.EMPTY
                .add("a", 5.0, T0, H, 2)
                .add("b", 1.0, T0, H, 2)
                .add("c", 3.0, T0, H, 2);
        assertThat(s.scores()).containsOnlyKeys("a", "c");
    }

    @Test
    void mergingAddsTheOtherScoresAsOfTheirOwnTime() {
        var mine = DecayedScores.EMPTY.add("k", 1.0, T0.plus(H), H, 10);
        var other = DecayedScores.EMPTY.add("k", 2.0, T0, H, 10).add("j", 1.0, T0, H, 10);
        var merged = mine.merge(other, H, 10);
        assertThat(merged.valueAt("k", T0.plus(H), H)).isCloseTo(2.0, within(1e-12));
        assertThat(merged.valueAt("j", T0.plus(H), H)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void keysStaySortedAndTheStateIsTheSameWhateverTheOrderKeysArrivedIn() {
        var ab = DecayedScores.EMPTY.add("b", 1.0, T0, H, 10).add("a", 2.0, T0, H, 10);
        var ba = DecayedScores.EMPTY.add("a", 2.0, T0, H, 10).add("b", 1.0, T0, H, 10);
        assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
        assertThat(ab.scores()).containsOnlyKeys("a", "b");
        assertThat(ab.score("a")).hasValue(new DecayedScores.Score(2.0, T0));
        assertThat(ab.score("c")).isEmpty();
    }

    @Test
    void aSecondVersionScoreMapMigratesToTheSameScores() throws Exception {
        var t1 = T0.plus(Duration.ofDays(3).plusNanos(123_456_000));
        var built = DecayedScores.EMPTY.add("view", 1.5, t1, H, 10).add("order", 2.0, T0, H, 10);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var v2 = mapper.readTree(
                """
                {"typeScores": {"scores": {
                    "view": {"value": 1.5, "asOf": "2026-01-04T00:00:00.123456Z"},
                    "order": {"value": 2.0, "asOf": 1767225600.000000000}}},
                 "hours": {"counts": {"19": 3, "9": 1}}}
                """);
        var v3 = ShopperMigrations.compactBehaviour(v2);
        var keys = mapper.convertValue(v3.get("typeScores").get("keys"), String[].class);
        var values = mapper.convertValue(v3.get("typeScores").get("values"), double[].class);
        var asOf = mapper.convertValue(v3.get("typeScores").get("asOfMicros"), long[].class);
        assertThat(DecayedScores.fromJson(keys, values, asOf)).isEqualTo(built);
        assertThat(DecayedScores.of(built.scores())).isEqualTo(built);
        var perHour = mapper.convertValue(v3.get("hours").get("perHour"), int[].class);
        assertThat(HourHistogram.fromJson(perHour).counts()).containsOnly(entry(19, 3L), entry(9, 1L));
    }
}

package io.kairos.offer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HoldoutTest {

    @Test
    void assignmentIsAFunctionOfPersonAndCampaign() {
        for (int i = 0; i < 100; i++) {
            assertThat(Holdout.heldOut("p" + i, "c1", 10)).isEqualTo(Holdout.heldOut("p" + i, "c1", 10));
        }
        assertThat(Holdout.bucket("alice", "c1")).isBetween(0, 9_999);
    }

    @Test
    void theShareHeldOutIsThePercentage() {
        long held = IntStream.range(0, 100_000)
                .filter(i -> Holdout.heldOut("shopper-" + i, "spring", 10))
                .count();
        // the hash is fixed, so this count is too; a uniform split of 100,000 is 10,000 ± 95 (1 s.d.)
        assertThat(held).isBetween(9_700L, 10_300L);
        assertThat(IntStream.range(0, 1_000)
                        .filter(i -> Holdout.heldOut("shopper-" + i, "spring", 0))
                        .count())
                .isZero();
    }

    @Test
    void campaignsSplitTheSamePeopleIndependently() {
        long both = IntStream.range(0, 100_000)
                .filter(i ->
                        Holdout.heldOut("shopper-" + i, "spring", 20) && Holdout.heldOut("shopper-" + i, "summer", 20))
                .count();
        // independent 20 % splits overlap on 4 % of people
        assertThat(both).isBetween(3_700L, 4_300L);
    }
}

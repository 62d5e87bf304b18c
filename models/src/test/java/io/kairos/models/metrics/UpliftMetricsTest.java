package io.kairos.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Figures computed by hand (working in the comments) from scikit-uplift's definitions. */
class UpliftMetricsTest {
    // Rows 0..5 in score order: T1 C0 T1 C1 T0 C0 (arm, outcome).
    private static final double[] SCORE = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    private static final boolean[] TREATED = {true, false, true, false, true, false};
    private static final double[] OUTCOME = {1, 0, 1, 1, 0, 0};

    @Test
    void upliftAtKComparesArmsWithinTheTopRows() {
        // top 3 = rows 0,1,2: treated mean (1+1)/2 = 1, control mean 0/1 = 0.
        assertThat(UpliftMetrics.upliftAtK(OUTCOME, TREATED, SCORE, 0.5)).isEqualTo(1.0);
        // all rows: treated 2/3, control 1/3.
        assertThat(UpliftMetrics.upliftAtK(OUTCOME, TREATED, SCORE, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
        // floor(6 * 0.34) = 2 rows.
        assertThat(UpliftMetrics.upliftAtK(OUTCOME, TREATED, SCORE, 0.34)).isEqualTo(1.0);
    }

    @Test
    void upliftAtKIsNaNWhenAnArmIsAbsentFromTheTop() {
        assertThat(UpliftMetrics.upliftAtK(OUTCOME, TREATED, SCORE, 0.2)).isNaN();
    }

    @Test
    void qiniCoefficientMatchesHandComputation() {
        // Qini curve (0,0)(1,1)(2,1)(3,2)(4,1)(5,.5)(6,1): area 6. Random line to (6,1): 3.
        // Perfect order (scores y*t - y*(1-t)) gives (0,0)(2,2)(5,2)(6,1): area 9.5. (6-3)/(9.5-3) = 6/13.
        assertThat(UpliftMetrics.qiniCoefficient(OUTCOME, TREATED, SCORE)).isCloseTo(6.0 / 13, within(1e-12));
    }

    @Test
    void auucMatchesHandComputation() {
        // Uplift curve (0,0)(1,1)(2,2)(3,3)(4,2)(5,5/6)(6,2): area 59/6. Random to (6,2): 6.
        // Perfect (2*(y==t) + t since 2 treated responders = 2 control non-responders): (0,0)(2,2)(4,4)(5,10/3)(6,2),
        // area 43/3. (59/6 - 6) / (43/3 - 6) = 0.46.
        assertThat(UpliftMetrics.auuc(OUTCOME, TREATED, SCORE)).isCloseTo(0.46, within(1e-12));
    }

    @Test
    void constantScoresAreNoBetterThanRandom() {
        double[] flat = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
        assertThat(UpliftMetrics.qiniCoefficient(OUTCOME, TREATED, flat)).isCloseTo(0, within(1e-12));
        assertThat(UpliftMetrics.auuc(OUTCOME, TREATED, flat)).isCloseTo(0, within(1e-12));
    }

    @Test
    void thePerfectRankingScoresOne() {
        double[] perfect = new double[OUTCOME.length];
        for (int i = 0; i < perfect.length; i++) {
            perfect[i] = TREATED[i] ? OUTCOME[i] : -OUTCOME[i];
        }
        assertThat(UpliftMetrics.qiniCoefficient(OUTCOME, TREATED, perfect)).isCloseTo(1, within(1e-12));
    }

    @Test
    void reversedRankingIsWorseThanRandom() {
        double[] reversed = new double[SCORE.length];
        for (int i = 0; i < SCORE.length; i++) {
            reversed[i] = -SCORE[i];
        }
        assertThat(UpliftMetrics.qiniCoefficient(OUTCOME, TREATED, reversed)).isNegative();
    }
}

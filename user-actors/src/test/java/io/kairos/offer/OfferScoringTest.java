package io.kairos.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.models.uplift.Score;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferScoringTest {
    private static Score score(double pWith, double pWithout, double orderValue) {
        return new Score("o", pWith, pWithout, pWith - pWithout, orderValue, "m", "1");
    }

    @Test
    void onlyProbabilitiesAndFiniteOrderValuesMayDecide() {
        assertThat(OfferScoring.invalid(List.of(score(0.2, 0.1, 40)), 1)).isNull();
        // no order value, or a regression that dipped below zero: the ranking falls back to the shopper's average
        assertThat(OfferScoring.invalid(List.of(score(0.2, 0.1, Double.NaN)), 1))
                .isNull();
        assertThat(OfferScoring.invalid(List.of(score(0.2, 0.1, -3)), 1)).isNull();
        assertThat(OfferScoring.invalid(List.of(score(Double.NaN, 0.1, 40)), 1)).contains("P(convert) NaN");
        assertThat(OfferScoring.invalid(List.of(score(0.2, 1.5, 40)), 1)).contains("1.5 without");
        assertThat(OfferScoring.invalid(List.of(score(0.2, 0.1, Double.POSITIVE_INFINITY)), 1))
                .contains("order value Infinity");
        assertThat(OfferScoring.invalid(List.of(), 2)).isEqualTo("0 scores for 2 candidates");
    }
}

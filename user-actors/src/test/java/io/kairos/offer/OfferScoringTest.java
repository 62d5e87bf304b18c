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

    @Test
    void aWatchedPromotionsChampionShareIsScoredByTheChampionAndMarkedWithItsArm() {
        var settings = OfferSettings.fromConfig(
                com.typesafe.config.ConfigFactory.load().getConfig("kairos.offers"));
        var promoted = new io.kairos.models.uplift.FixedUplift("offer-uplift", "2", java.util.Map.of(), 0.3, 0.1, 40);
        var scoring = new OfferScoring(
                decisionId -> decisionId.startsWith("c")
                        ? new OfferScoring.Pick(
                                java.util.Optional.empty(),
                                io.kairos.models.uplift.LoggedDecision.CHAMPION,
                                OfferScoring.CHAMPION_SAFE_RULE)
                        : new OfferScoring.Pick(
                                java.util.Optional.of(promoted), io.kairos.models.uplift.LoggedDecision.PROMOTED, null),
                Runnable::run,
                java.time.Duration.ofSeconds(5),
                settings.safeRule());
        var candidates = List.of(io.kairos.models.uplift.OfferFeatures.of("o", java.util.Map.of()));

        var kept = scoring.score("c-1", FeatureValues.EMPTY, candidates)
                .toCompletableFuture()
                .join();
        var byPromoted = scoring.score("p-1", FeatureValues.EMPTY, candidates)
                .toCompletableFuture()
                .join();

        assertThat(kept.scoring()).isEqualTo("safe-rule");
        assertThat(kept.arm()).isEqualTo("champion");
        assertThat(kept.coldStart())
                .as("the safe rule decided cold before the promotion")
                .isTrue();
        assertThat(byPromoted.scoring()).isEqualTo("model");
        assertThat(byPromoted.arm()).isEqualTo("promoted");
        assertThat(byPromoted.scores().get(0).modelVersion()).isEqualTo("2");
        assertThat(byPromoted.coldStart()).isFalse();
    }
}

package io.kairos.models.uplift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.trees.BoostingParams;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training from the decision log interface: offer features, recorded propensities and order values flow through. */
class DecisionLogTrainingTest {
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static List<UpliftExample> examples;
    private static UpliftModel model;

    @BeforeAll
    static void train() {
        examples = new SyntheticLog(40_000, 11).examples(FROM, FROM.plusSeconds(40_000));
        var settings = UpliftTrainer.Settings.of(List.of("segment", "noise"), List.of("type", "value"))
                .withParams(new BoostingParams(150, 3, 0.1, 5, 0.8, 1, 1));
        model = new UpliftTrainer().train(examples, settings, "offer-uplift", "1");
    }

    @Test
    void windowSelectsDecisionsByTime() {
        assertThat(new SyntheticLog(100, 1).examples(FROM.plusSeconds(10), FROM.plusSeconds(20)))
                .hasSize(10);
    }

    @Test
    void holdoutRowsAreControlAndCarryTheirPropensity() {
        LoggedDecision d = new LoggedDecision("x", FROM, Map.of("segment", "A"), Map.of(), true, 0.2, true, 12.5);
        UpliftExample e = d.toExample();
        assertThat(e.treated()).isFalse();
        assertThat(e.propensity()).isEqualTo(0.2);
        assertThat(e.outcome()).isEqualTo(1.0);
        assertThat(e.orderValue()).isEqualTo(12.5);
    }

    @Test
    void recoversTheTrueUpliftPerSegmentAndOffer() {
        var big = OfferFeatures.of("big", Map.of("type", "big", "value", 20));
        var small = OfferFeatures.of("small", Map.of("type", "small", "value", 5));
        List<Score> a = model.score(ShopperFeatures.of(Map.of("segment", "A", "noise", 0.0)), List.of(big, small));
        List<Score> b = model.score(ShopperFeatures.of(Map.of("segment", "B", "noise", 0.0)), List.of(big, small));
        assertThat(a.get(0).pWithoutOffer()).isCloseTo(0.20, within(0.03));
        assertThat(b.get(0).pWithoutOffer()).isCloseTo(0.10, within(0.03));
        assertThat(a.get(0).uplift()).isCloseTo(0.20, within(0.04));
        assertThat(a.get(1).uplift()).isCloseTo(0.05, within(0.04));
        assertThat(b.get(0).uplift()).isCloseTo(0.05, within(0.04));
        assertThat(a.get(0).offerId()).isEqualTo("big");
        assertThat(a.get(0).modelVersion()).isEqualTo("1");
    }

    @Test
    void learnsOrderValueFromConvertingRows() {
        var big = OfferFeatures.of("big", Map.of("type", "big", "value", 20));
        double valueA = model.score(ShopperFeatures.of(Map.of("segment", "A")), List.of(big))
                .get(0)
                .expectedOrderValue();
        double valueB = model.score(ShopperFeatures.of(Map.of("segment", "B")), List.of(big))
                .get(0)
                .expectedOrderValue();
        assertThat(valueA).isCloseTo(50, within(3.0));
        assertThat(valueB).isCloseTo(30, within(3.0));
    }

    @Test
    void scoresAreInCandidateOrderAndShareThePWithout() {
        var offers = List.of(
                OfferFeatures.of("o1", Map.of("type", "small", "value", 5)),
                OfferFeatures.of("o2", Map.of("type", "big", "value", 20)),
                OfferFeatures.of("o3", Map.of("type", "unknown-type")));
        List<Score> s = model.score(ShopperFeatures.of(Map.of("segment", "A")), offers);
        assertThat(s).extracting(Score::offerId).containsExactly("o1", "o2", "o3");
        assertThat(s).extracting(Score::pWithoutOffer).containsOnly(s.get(0).pWithoutOffer());
        assertThat(s).allSatisfy(x -> assertThat(x.uplift()).isEqualTo(x.pWithOffer() - x.pWithoutOffer()));
    }
}

package io.kairos.models.preference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreferenceEvaluationTest {
    private static final PreferenceEvaluation.Settings FAST = new PreferenceEvaluation.Settings(
            1, 300, PreferenceEvaluation.Settings.defaults().params());

    /**
     * A synthetic experiment with the Starbucks layout and a known answer: half the customers answer to offer 1 (+12),
     * the other half to offer 2 (+12), everyone a little to offer 3 (+8, the best single offer); assignment as in the
     * real waves (25 % none, the rest spread over 3 offers).
     */
    private static StarbucksExperiment synthetic(int customers, long seed) {
        var random = new Random(seed);
        var offers = List.of(
                new StarbucksExperiment.Offer("o1aaaaaa", "bogo", 5, 5, 7, 4),
                new StarbucksExperiment.Offer("o2bbbbbb", "discount", 2, 10, 7, 4),
                new StarbucksExperiment.Offer("o3cccccc", "informational", 0, 0, 3, 4));
        var units = new ArrayList<StarbucksExperiment.Unit>();
        for (int c = 0; c < customers; c++) {
            boolean likesFirst = random.nextBoolean();
            float spendBefore = (float) (random.nextDouble() * 10);
            for (int w = 0; w < StarbucksExperiment.WAVES.length; w++) {
                int action = random.nextDouble() < 0.25 ? 0 : 1 + random.nextInt(3);
                double lift =
                        switch (action) {
                            case 1 -> likesFirst ? 12 : 0;
                            case 2 -> likesFirst ? 0 : 12;
                            case 3 -> 8;
                            default -> 0;
                        };
                double value = 10 + 3 * spendBefore + lift + random.nextGaussian() * 8;
                var features = new float[StarbucksExperiment.FEATURES.size()];
                features[0] = likesFirst ? 30 : 60; // age carries the preference
                features[6] = spendBefore;
                features[10] = w;
                units.add(new StarbucksExperiment.Unit(c, w, action, value, features));
            }
        }
        return StarbucksExperiment.of(offers, units, customers);
    }

    @Test
    void whenCustomersAnswerToDifferentOffersTheLearnedPolicyBeatsTheBestSingleOffer() {
        var r = PreferenceEvaluation.run(synthetic(6_000, 3), FAST, line -> {});
        // truth per customer over six waves: learned gives +12 per wave, best single (offer 3) +8, so +24
        assertThat(r.learnedMinusBestSingle().estimate()).isCloseTo(24, within(6.0));
        assertThat(r.learnedMinusBestSingle().low()).isPositive();
        assertThat(r.margin()).isFinite();
        assertThat(r.bestSingleOffer()).startsWith("informational");
        // uniform: (0 + 12·½·2 + 8) / 4 = 5 per wave above none
        var none = r.policies().get("none").snips().estimate();
        assertThat(r.policies().get("uniform").snips().estimate() - none).isCloseTo(30, within(6.0));
    }

    @Test
    void whenNobodyPrefersAnythingButTheBestTheLearnedPolicyIsTheBestSingleOffer() {
        var flat = synthetic(4_000, 4);
        // the same experiment with the preference invisible (no features) and offers 1 and 2 worth nothing on average
        var units = flat.units().stream()
                .map(u -> new StarbucksExperiment.Unit(
                        u.customer(),
                        u.wave(),
                        u.action(),
                        u.action() == 3 ? u.value() : u.value() - (u.action() == 0 ? 0 : 12 * 0.5),
                        new float[u.features().length]))
                .toList();
        var r = PreferenceEvaluation.run(StarbucksExperiment.of(flat.offers(), units, 4_000), FAST, line -> {});
        assertThat(r.bestSingleOffer()).startsWith("informational");
        assertThat(r.learnedMinusBestSingle().high()).isLessThan(6.0);
    }

    @Test
    void theRealExperimentReadsAsPublished() {
        var data = StarbucksExperiment.read(
                SharedData.file("offers/starbucks_transcript.json").getParent());
        assertThat(data.customers()).isEqualTo(17_000);
        assertThat(data.units()).hasSize(17_000 * 6);
        assertThat(data.offersByType()).containsEntry("bogo", 4L).containsEntry("discount", 4L);
        // in each wave about a quarter receive nothing and each offer about 7.5 %
        for (double[] wave : data.propensities()) {
            assertThat(wave[0]).isCloseTo(0.25, within(0.01));
            for (int a = 1; a < wave.length; a++) assertThat(wave[a]).isCloseTo(0.075, within(0.006));
        }
    }
}

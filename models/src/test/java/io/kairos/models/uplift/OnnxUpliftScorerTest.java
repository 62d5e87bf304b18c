package io.kairos.models.uplift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kairos.models.trees.BoostingParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Serving through DJL's ONNX Runtime engine gives the scores the trees give: the conversion to an ONNX-ML tree ensemble
 * keeps XGBoost's arithmetic (strict less-than splits, missing values down the default branch, base margin, sigmoid),
 * for both designs and the order-value model.
 */
class OnnxUpliftScorerTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static UpliftModel single;
    private static UpliftModel twoModel;
    private static OnnxUpliftScorer servedSingle;
    private static OnnxUpliftScorer servedTwo;

    @BeforeAll
    static void train() {
        var examples = new SyntheticLog(6_000, 5).examples(T0, T0.plusSeconds(6_000));
        var settings = UpliftTrainer.Settings.of(List.of("segment", "noise"), List.of("type", "value"))
                .withParams(new BoostingParams(60, 4, 0.2, 1, 1, 1, 1));
        single = new UpliftTrainer().train(examples, settings, "offer-uplift", "s1");
        twoModel =
                new UpliftTrainer().train(examples, settings.withDesign(UpliftDesign.TWO_MODEL), "offer-uplift", "t1");
        servedSingle = single.serve();
        servedTwo = twoModel.serve();
    }

    @AfterAll
    static void close() {
        servedSingle.close();
        servedTwo.close();
    }

    /** Shoppers and offers with every category, unknown categories, and missing and extreme numbers. */
    private static List<Case> cases() {
        var random = new Random(42);
        var out = new ArrayList<Case>();
        String[] segments = {"A", "B", "C", null};
        String[] types = {"big", "small", "other", null};
        for (int i = 0; i < 200; i++) {
            var shopper = new HashMap<String, Object>();
            if (segments[i % 4] != null) shopper.put("segment", segments[i % 4]);
            if (i % 7 != 0) shopper.put("noise", random.nextGaussian() * (i % 11 == 0 ? 1e6 : 1));
            var offers = new ArrayList<OfferFeatures>();
            for (int j = 0; j < 1 + i % 20; j++) {
                var offer = new HashMap<String, Object>();
                if (types[(i + j) % 4] != null) offer.put("type", types[(i + j) % 4]);
                if (j % 5 != 4) offer.put("value", random.nextInt(30));
                offers.add(OfferFeatures.of("o" + j, offer));
            }
            out.add(new Case(ShopperFeatures.of(shopper), offers));
        }
        return out;
    }

    private record Case(ShopperFeatures shopper, List<OfferFeatures> offers) {}

    private static void assertSameScores(UpliftModel trees, OnnxUpliftScorer served) {
        for (Case c : cases()) {
            List<Score> expected = trees.score(c.shopper(), c.offers());
            List<Score> actual = served.score(c.shopper(), c.offers());
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                Score e = expected.get(i);
                Score a = actual.get(i);
                assertThat(a.offerId()).isEqualTo(e.offerId());
                // Both sum float leaves in float; ONNX Runtime may add them in another order (last-bit differences).
                assertThat(a.pWithOffer()).isCloseTo(e.pWithOffer(), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(a.pWithoutOffer()).isCloseTo(e.pWithoutOffer(), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(a.expectedOrderValue())
                        .isCloseTo(e.expectedOrderValue(), org.assertj.core.data.Percentage.withPercentage(1e-4));
            }
        }
    }

    @Test
    void singleModelServedThroughDjlScoresAsTheTrees() {
        assertSameScores(single, servedSingle);
    }

    @Test
    void twoModelServedThroughDjlScoresAsTheTrees() {
        assertSameScores(twoModel, servedTwo);
    }

    @Test
    void recordsTheEngineAndTheIdentity() {
        assertThat(servedSingle.engine()).startsWith("OnnxRuntime 1.24.2").contains("DJL 0.35.1");
        assertThat(servedSingle.modelVersion()).isEqualTo("s1");
        assertThat(servedTwo.outputs().value()).isEqualTo("value");
    }

    @Test
    void scoresFromManyThreadsAtOnce() throws Exception {
        var c = cases().get(19);
        var expected = servedTwo.score(c.shopper(), c.offers());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<java.util.concurrent.Future<List<Score>>>();
            for (int i = 0; i < 64; i++) futures.add(pool.submit(() -> servedTwo.score(c.shopper(), c.offers())));
            for (var f : futures) assertThat(f.get()).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void garbageIsNotAModel() {
        assertThatThrownBy(() -> OnnxUpliftScorer.load(
                        "x",
                        "1",
                        "not onnx".getBytes(),
                        single.shopperSchema(),
                        single.offerSchema(),
                        OnnxUpliftScorer.Outputs.KAIROS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be loaded by ONNX Runtime");
    }

    @Test
    void aClosedModelRefusesToScore() {
        var m = single.serve();
        m.close();
        var c = cases().get(0);
        assertThatThrownBy(() -> m.score(c.shopper(), c.offers())).hasMessageContaining("closed");
        assertThat(Map.of()).isEmpty();
    }
}

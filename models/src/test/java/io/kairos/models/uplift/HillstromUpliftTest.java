package io.kairos.models.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.models.SharedData;
import io.kairos.models.data.CsvTable;
import io.kairos.models.metrics.UpliftMetrics;
import io.kairos.models.trees.Booster;
import io.kairos.models.trees.BoostingParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reproduces scikit-uplift's published Hillstrom result (Womens E-Mail vs No E-Mail, outcome visit, 50/50 split:
 * uplift@30% = 0.0661) with the default learner, and checks the served scores are XGBoost's training-time ones.
 */
class HillstromUpliftTest {
    static final List<String> FEATURES =
            List.of("recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie", "channel");
    static final ExperimentCsv.Columns COLUMNS =
            new ExperimentCsv.Columns("segment", "Womens E-Mail", "No E-Mail", "visit", FEATURES, null, null);

    private static UpliftEvaluation.Outcome outcome;

    @BeforeAll
    static void evaluate() throws Exception {
        var settings = new UpliftEvaluation.Settings(
                SharedData.file("uplift/hillstrom.csv"),
                null,
                COLUMNS,
                0.5,
                42,
                null,
                UpliftDesign.SINGLE_MODEL,
                BoostingParams.defaults());
        outcome = new UpliftEvaluation(s -> {}).run(settings);
    }

    @Test
    void upliftAt30BeatsThePublishedFigure() {
        assertThat(outcome.result().trainRows() + outcome.result().testRows()).isEqualTo(42_693);
        assertThat(outcome.result().upliftAt30()).isGreaterThanOrEqualTo(0.0661);
    }

    @Test
    void qiniIsClearlyAboveRandomScores() throws Exception {
        // Random rankings of the same test rows: their Qini spreads around 0; ours must clear the best of them.
        CsvTable table = CsvTable.read(SharedData.file("uplift/hillstrom.csv"));
        List<UpliftExample> rows = new ExperimentCsv(COLUMNS).read(table).examples();
        var outcomes = new double[rows.size()];
        var treated = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            outcomes[i] = rows.get(i).outcome();
            treated[i] = rows.get(i).treated();
        }
        double bestRandom = Double.NEGATIVE_INFINITY;
        var rnd = new Random(1);
        for (int k = 0; k < 5; k++) {
            var scores = new double[rows.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = rnd.nextDouble();
            }
            bestRandom = Math.max(bestRandom, UpliftMetrics.qiniCoefficient(outcomes, treated, scores));
        }
        assertThat(outcome.result().qini()).isGreaterThan(0.03).isGreaterThan(bestRandom + 0.02);
    }

    @Test
    void servedScoresEqualXgboostTrainingTimePredictions() {
        UpliftModel model = outcome.model();
        List<UpliftExample> rows = new ArrayList<>(outcome.rows().examples());
        Collections.shuffle(rows, new Random(3));
        rows = rows.subList(0, 2_000);
        int w = model.inputWidth();
        var treatedRows = new float[rows.size() * w];
        var controlRows = new float[rows.size() * model.controlWidth()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(model.encodeTreated(rows.get(i).shopper(), Map.of()), 0, treatedRows, i * w, w);
            System.arraycopy(
                    model.encodeControl(rows.get(i).shopper()),
                    0,
                    controlRows,
                    i * model.controlWidth(),
                    model.controlWidth());
        }
        float[] xgbWith = Booster.predictWithXgboost(model.controlJson(), treatedRows, rows.size(), w);
        float[] xgbWithout =
                Booster.predictWithXgboost(model.controlJson(), controlRows, rows.size(), model.controlWidth());
        double maxDiff = 0;
        for (int i = 0; i < rows.size(); i++) {
            Score s = model.score(
                            ShopperFeatures.of(rows.get(i).shopper()), List.of(OfferFeatures.of("email", Map.of())))
                    .get(0);
            maxDiff = Math.max(maxDiff, Math.abs(s.pWithOffer() - xgbWith[i]));
            maxDiff = Math.max(maxDiff, Math.abs(s.pWithoutOffer() - xgbWithout[i]));
        }
        assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
    }
}

package io.kairos.models.trees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plain-Java tree walk must give XGBoost's own predictions, missing values and both objectives included. */
class TreeEnsembleTest {
    private static final int ROWS = 2_000;
    private static final int COLS = 6;

    private static float[] data(long seed) {
        var rnd = new Random(seed);
        var x = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            // 10% missing, some exact ties on split values via rounding.
            x[i] = rnd.nextInt(10) == 0 ? Float.NaN : Math.round(rnd.nextGaussian() * 100) / 100f;
        }
        return x;
    }

    /** Trains XGBoost on {@code x, y}; the tree walk of its model predicts {@code x} as XGBoost does, to tolerance. */
    private static void assertTreeWalkGivesXgboostsPredictions(
            float[] x, float[] y, Booster.Task task, BoostingParams params, float tolerance) {
        byte[] json = Booster.train(x, ROWS, COLS, y, null, task, params);
        float[] expected = Booster.predictWithXgboost(json, x, ROWS, COLS);
        float[] actual = TreeEnsemble.fromXgboostJson(json).predictRows(x, ROWS);
        assertThat(maxAbsDiff(expected, actual)).isLessThanOrEqualTo(tolerance);
    }

    @Test
    void logisticPredictionsEqualXgboost() {
        float[] x = data(1);
        var y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            float a = x[i * COLS];
            float b = x[i * COLS + 1];
            y[i] = (Float.isNaN(a) ? 0.3f : a) + 0.5f * (Float.isNaN(b) ? 0 : b) > 0.2f ? 1 : 0;
        }
        assertTreeWalkGivesXgboostsPredictions(
                x, y, Booster.Task.BINARY, new BoostingParams(50, 4, 0.2, 1, 0.9, 1, 7), 1e-6f);
    }

    @Test
    void regressionPredictionsEqualXgboost() {
        float[] x = data(2);
        var y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            float a = x[i * COLS + 2];
            y[i] = 40 + 10 * (Float.isNaN(a) ? 0 : a);
        }
        assertTreeWalkGivesXgboostsPredictions(
                x, y, Booster.Task.REGRESSION, new BoostingParams(30, 3, 0.3, 1, 1, 1, 7), 1e-4f);
    }

    @Test
    void rejectsUnsupportedObjectives() {
        String json = "{\"learner\":{\"objective\":{\"name\":\"multi:softprob\"},\"learner_model_param\":{}}}";
        assertThatThrownBy(() -> TreeEnsemble.fromXgboostJson(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("multi:softprob");
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}

package io.kairos.models.bench;

import io.kairos.models.features.FeatureSchema;
import io.kairos.models.features.SchemaInference;
import io.kairos.models.trees.Booster;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftExample;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftTrainer;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The uplift meta-learners on gradient-boosted trees that {@link LearnerComparison} compares for a single-treatment
 * experiment, each fitted on a training part and scoring a test part with the same boosting parameters:
 *
 * <ul>
 *   <li>{@link #S} and {@link #T}: the two designs Kairos trains and serves ({@link UpliftTrainer});
 *   <li>{@link #X}: Künzel et al.'s X-learner: the T-learner's two response models impute each row's individual effect
 *       (a treated row's outcome minus the control model's prediction, the treated model's prediction minus a control
 *       row's outcome), a regression per arm learns those effects, and the uplift is their average (the arms are
 *       randomised 50/50 here, so the propensity weighting is one half each);
 *   <li>{@link #CT}: the class transformation (Jaskowski and Jaroszewicz): one classifier of Z = 1 when a treated row
 *       converted or a control row did not; with equal arms, uplift = 2 P(Z = 1) − 1.
 * </ul>
 */
enum TreeUpliftLearner {
    S,
    T,
    X,
    CT;

    /** The effect regressions of the X-learner: the conversion models' settings, with larger leaves. */
    private static BoostingParams effectParams(BoostingParams p) {
        return new BoostingParams(
                p.rounds(),
                p.maxDepth(),
                p.eta(),
                Math.max(p.minChildWeight(), 20),
                p.subsample(),
                p.lambda(),
                p.seed());
    }

    /** Fits on {@code train} and returns the uplift of every row of {@code test}. */
    double[] fitPredict(List<UpliftExample> train, List<UpliftExample> test, List<String> features, long seed) {
        BoostingParams params = BoostingParams.defaults().withSeed(seed);
        if (this == S || this == T) {
            var settings = UpliftTrainer.Settings.of(features, List.of())
                    .withDesign(this == S ? UpliftDesign.SINGLE_MODEL : UpliftDesign.TWO_MODEL)
                    .withParams(params);
            UpliftModel m = new UpliftTrainer().train(train, settings, "compare", "0");
            var treatment = List.of(OfferFeatures.of("t", Map.of()));
            return test.stream()
                    .mapToDouble(e -> m.score(ShopperFeatures.of(e.shopper()), treatment)
                            .get(0)
                            .uplift())
                    .toArray();
        }
        FeatureSchema schema = new SchemaInference()
                .infer(features, train.stream().map(UpliftExample::shopper).toList());
        int w = schema.width();
        float[] x = encode(train, schema);
        float[] xTest = encode(test, schema);
        float[] y = new float[train.size()];
        boolean[] treated = new boolean[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) train.get(i).outcome();
            treated[i] = train.get(i).treated();
        }
        if (this == CT) {
            float[] z = new float[y.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = treated[i] == (y[i] > 0.5f) ? 1f : 0f;
            }
            float[] pz = predict(Booster.train(x, y.length, w, z, null, Booster.Task.BINARY, params), xTest, w);
            return IntStream.range(0, pz.length)
                    .mapToDouble(i -> 2.0 * pz[i] - 1)
                    .toArray();
        }
        int[] t = IntStream.range(0, y.length).filter(i -> treated[i]).toArray();
        int[] c = IntStream.range(0, y.length).filter(i -> !treated[i]).toArray();
        float[] xt = rows(x, w, t);
        float[] xc = rows(x, w, c);
        byte[] mu1 = Booster.train(xt, t.length, w, pick(y, t), null, Booster.Task.BINARY, params);
        byte[] mu0 = Booster.train(xc, c.length, w, pick(y, c), null, Booster.Task.BINARY, params);
        float[] mu0OnTreated = predict(mu0, xt, w);
        float[] mu1OnControl = predict(mu1, xc, w);
        float[] d1 = new float[t.length];
        for (int k = 0; k < t.length; k++) {
            d1[k] = y[t[k]] - mu0OnTreated[k];
        }
        float[] d0 = new float[c.length];
        for (int k = 0; k < c.length; k++) {
            d0[k] = mu1OnControl[k] - y[c[k]];
        }
        BoostingParams ep = effectParams(params);
        float[] tau1 = predict(Booster.train(xt, t.length, w, d1, null, Booster.Task.REGRESSION, ep), xTest, w);
        float[] tau0 = predict(Booster.train(xc, c.length, w, d0, null, Booster.Task.REGRESSION, ep), xTest, w);
        return IntStream.range(0, tau1.length)
                .mapToDouble(i -> (tau0[i] + tau1[i]) / 2.0)
                .toArray();
    }

    private static float[] predict(byte[] model, float[] x, int w) {
        return Booster.predictWithXgboost(model, x, x.length / w, w);
    }

    private static float[] encode(List<UpliftExample> rows, FeatureSchema schema) {
        int w = schema.width();
        var x = new float[rows.size() * w];
        for (int i = 0; i < rows.size(); i++) {
            schema.encode(rows.get(i).shopper(), x, i * w);
        }
        return x;
    }

    private static float[] rows(float[] x, int w, int[] which) {
        var out = new float[which.length * w];
        for (int k = 0; k < which.length; k++) {
            System.arraycopy(x, which[k] * w, out, k * w, w);
        }
        return out;
    }

    private static float[] pick(float[] y, int[] which) {
        var out = new float[which.length];
        for (int k = 0; k < which.length; k++) {
            out[k] = y[which[k]];
        }
        return out;
    }
}

package io.kairos.models.bench;

import io.kairos.models.SharedData;
import io.kairos.models.data.CsvTable;
import io.kairos.models.metrics.UpliftMetrics;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.ExperimentCsv;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftEvaluation;
import io.kairos.models.uplift.UpliftExample;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftTrainer;
import java.util.List;
import java.util.Map;

/**
 * Picks the uplift learner by measurement: on Hillstrom (Womens E-Mail vs No E-Mail, visit, 50/50 split), for several
 * seeds, uplift@30% and Qini of the XGBoost single- and two-model designs and of a DJL PyTorch MLP, on identical
 * splits. Prints a table; not a test. Run: {@code mvn -B -q -pl models -DskipTests test-compile exec:exec@compare}.
 */
public final class LearnerComparison {
    private LearnerComparison() {}

    public static void main(String[] args) throws Exception {
        List<String> features =
                List.of("recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie", "channel");
        var columns = new ExperimentCsv.Columns("segment", "Womens E-Mail", "No E-Mail", "visit", features, null, null);
        List<UpliftExample> all = new ExperimentCsv(columns)
                .read(CsvTable.read(SharedData.file("uplift/hillstrom.csv")))
                .examples();
        long[] seeds = args.length > 0
                ? java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray()
                : new long[] {42, 1, 2, 3, 4, 5, 6, 7};
        var mlp = new MlpUpliftLearner(8, 256, 1e-3f);
        System.out.println("seed | xgb-single u30 qini | xgb-two u30 qini | mlp u30 qini (s)");
        double[] sums = new double[6];
        for (long seed : seeds) {
            List<List<Integer>> parts = UpliftEvaluation.split(all.size(), 0.5, seed);
            List<UpliftExample> train = parts.get(0).stream().map(all::get).toList();
            List<UpliftExample> test = parts.get(1).stream().map(all::get).toList();
            var outcome = new double[test.size()];
            var treated = new boolean[test.size()];
            for (int i = 0; i < test.size(); i++) {
                outcome[i] = test.get(i).outcome();
                treated[i] = test.get(i).treated();
            }
            double[] row = new double[6];
            int c = 0;
            for (UpliftDesign d : UpliftDesign.values()) {
                var settings = UpliftTrainer.Settings.of(features, List.of())
                        .withDesign(d)
                        .withParams(BoostingParams.defaults().withSeed(seed));
                UpliftModel m = new UpliftTrainer().train(train, settings, "cmp", "0");
                var u = new double[test.size()];
                for (int i = 0; i < u.length; i++) {
                    u[i] = m.score(ShopperFeatures.of(test.get(i).shopper()), List.of(OfferFeatures.of("t", Map.of())))
                            .get(0)
                            .uplift();
                }
                row[d == UpliftDesign.SINGLE_MODEL ? 0 : 2] = UpliftMetrics.upliftAtK(outcome, treated, u, 0.3);
                row[d == UpliftDesign.SINGLE_MODEL ? 1 : 3] = UpliftMetrics.qiniCoefficient(outcome, treated, u);
                c++;
            }
            long t0 = System.nanoTime();
            double[] u = mlp.fitPredict(train, test, features, seed);
            double secs = (System.nanoTime() - t0) / 1e9;
            row[4] = UpliftMetrics.upliftAtK(outcome, treated, u, 0.3);
            row[5] = UpliftMetrics.qiniCoefficient(outcome, treated, u);
            for (int i = 0; i < 6; i++) {
                sums[i] += row[i];
            }
            System.out.printf(
                    "%4d | %.4f %.4f | %.4f %.4f | %.4f %.4f (%.1f s)%n",
                    seed, row[0], row[1], row[2], row[3], row[4], row[5], secs);
        }
        int n = seeds.length;
        System.out.printf(
                "mean | %.4f %.4f | %.4f %.4f | %.4f %.4f%n",
                sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, sums[5] / n);
    }
}

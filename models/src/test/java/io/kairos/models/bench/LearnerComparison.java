package io.kairos.models.bench;

import io.kairos.models.SharedData;
import io.kairos.models.data.CsvTable;
import io.kairos.models.metrics.UpliftMetrics;
import io.kairos.models.uplift.ExperimentCsv;
import io.kairos.models.uplift.UpliftEvaluation;
import io.kairos.models.uplift.UpliftExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Compares uplift learners by measurement: on Hillstrom (Womens E-Mail vs No E-Mail, visit, 50/50 split), for each
 * seed, uplift@30% and Qini on the test half of the S-, T- and X-learner and the class transformation on XGBoost trees
 * ({@link TreeUpliftLearner}), and of the learner a 3-fold cross-validation on the training half chooses by Qini (the
 * test half never takes part in the choice). With {@code --mlp}, also a DJL PyTorch MLP. Prints a table and each
 * column's mean, standard deviation, minimum and the 95 % interval of the mean; not a test. Run: {@code mvn -B -q -pl
 * models -DskipTests test-compile exec:exec@compare} (seeds 1–20; {@code -Dcompare.args="--mlp 42 1 2"} for others).
 */
public final class LearnerComparison {
    private static final int FOLDS = 3;
    private static final double PUBLISHED = 0.0661;

    private LearnerComparison() {}

    public static void main(String[] args) throws Exception {
        List<String> features =
                List.of("recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie", "channel");
        var columns = new ExperimentCsv.Columns("segment", "Womens E-Mail", "No E-Mail", "visit", features, null, null);
        List<UpliftExample> all = new ExperimentCsv(columns)
                .read(CsvTable.read(SharedData.file("uplift/hillstrom.csv")))
                .examples();
        List<String> words = Arrays.stream(args)
                .flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(a -> !a.isEmpty())
                .toList();
        boolean mlp = words.contains("--mlp");
        long[] seeds = words.stream()
                .filter(a -> !a.startsWith("--"))
                .mapToLong(Long::parseLong)
                .toArray();
        if (seeds.length == 0) {
            seeds = java.util.stream.LongStream.rangeClosed(1, 20).toArray();
        }
        var names = new ArrayList<String>();
        for (TreeUpliftLearner l : TreeUpliftLearner.values()) {
            names.add(l.name());
        }
        names.add("cv-chosen");
        if (mlp) {
            names.add("mlp");
        }
        System.out.println("seed | "
                + String.join(" | ", names.stream().map(n -> n + " u30 qini").toList()));
        double[][] u30 = new double[names.size()][seeds.length];
        for (int s = 0; s < seeds.length; s++) {
            long seed = seeds[s];
            List<List<Integer>> parts = UpliftEvaluation.split(all.size(), 0.5, seed);
            List<UpliftExample> train = parts.get(0).stream().map(all::get).toList();
            List<UpliftExample> test = parts.get(1).stream().map(all::get).toList();
            var labels = Labels.of(test);
            var line = new StringBuilder(String.format("%4d", seed));
            Map<TreeUpliftLearner, double[]> scores = new EnumMap<>(TreeUpliftLearner.class);
            int col = 0;
            for (TreeUpliftLearner l : TreeUpliftLearner.values()) {
                scores.put(l, l.fitPredict(train, test, features, seed));
                u30[col++][s] = report(line, labels, scores.get(l));
            }
            TreeUpliftLearner chosen = chooseByCrossValidatedQini(train, features, seed);
            u30[col++][s] = report(line, labels, scores.get(chosen));
            line.append(" (").append(chosen).append(')');
            if (mlp) {
                u30[col][s] = report(
                        line, labels, new MlpUpliftLearner(8, 256, 1e-3f).fitPredict(train, test, features, seed));
            }
            System.out.println(line);
        }
        for (int c = 0; c < names.size(); c++) {
            double[] v = u30[c];
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double sd =
                    Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1));
            double t = v.length > 1 ? new TDistribution(v.length - 1).inverseCumulativeProbability(0.975) : 0;
            double half = t * sd / Math.sqrt(v.length);
            System.out.printf(
                    "%-9s u@30 mean %.4f, s.d. %.4f, min %.4f, 95 %% CI of the mean [%.4f, %.4f], %d of %d seeds >= %.4f%n",
                    names.get(c),
                    mean,
                    sd,
                    Arrays.stream(v).min().orElse(Double.NaN),
                    mean - half,
                    mean + half,
                    Arrays.stream(v).filter(x -> x >= PUBLISHED).count(),
                    v.length,
                    PUBLISHED);
        }
    }

    /** Appends u@30 and Qini of {@code uplift} on the rows {@code labels} describe to {@code line}; returns u@30. */
    private static double report(StringBuilder line, Labels labels, double[] uplift) {
        double u = UpliftMetrics.upliftAtK(labels.outcome(), labels.treated(), uplift, 0.3);
        line.append(String.format(
                " | %.4f %.4f", u, UpliftMetrics.qiniCoefficient(labels.outcome(), labels.treated(), uplift)));
        return u;
    }

    /** The outcomes and arms of scored rows, as the metrics take them. */
    private record Labels(double[] outcome, boolean[] treated) {
        static Labels of(List<UpliftExample> rows) {
            var outcome = new double[rows.size()];
            var treated = new boolean[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                outcome[i] = rows.get(i).outcome();
                treated[i] = rows.get(i).treated();
            }
            return new Labels(outcome, treated);
        }
    }

    /** The learner with the highest mean Qini over {@value #FOLDS} folds of the training rows. */
    static TreeUpliftLearner chooseByCrossValidatedQini(List<UpliftExample> train, List<String> features, long seed) {
        var order = new ArrayList<Integer>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 31 + 7));
        var fits = new ArrayList<List<UpliftExample>>();
        var helds = new ArrayList<List<UpliftExample>>();
        for (int f = 0; f < FOLDS; f++) {
            var fit = new ArrayList<UpliftExample>();
            var held = new ArrayList<UpliftExample>();
            for (int k = 0; k < order.size(); k++) {
                (k % FOLDS == f ? held : fit).add(train.get(order.get(k)));
            }
            fits.add(fit);
            helds.add(held);
        }
        var heldLabels = helds.stream().map(Labels::of).toList();
        TreeUpliftLearner best = null;
        double bestQini = Double.NEGATIVE_INFINITY;
        for (TreeUpliftLearner l : TreeUpliftLearner.values()) {
            double sum = 0;
            for (int f = 0; f < FOLDS; f++) {
                var labels = heldLabels.get(f);
                sum += UpliftMetrics.qiniCoefficient(
                        labels.outcome(), labels.treated(), l.fitPredict(fits.get(f), helds.get(f), features, seed));
            }
            if (sum / FOLDS > bestQini) {
                bestQini = sum / FOLDS;
                best = l;
            }
        }
        return best;
    }
}

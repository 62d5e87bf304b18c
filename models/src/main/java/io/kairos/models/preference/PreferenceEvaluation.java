package io.kairos.models.preference;

import io.kairos.models.preference.OffPolicy.Estimator;
import io.kairos.models.preference.OffPolicy.Interval;
import io.kairos.models.preference.StarbucksExperiment.Unit;
import io.kairos.models.trees.Booster;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.trees.TreeEnsemble;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Which offer, or none, to give each customer, learned on half of the Starbucks experiment's customers and evaluated
 * off-policy on the other half against the best single offer for everyone, a uniformly random offer, and no offer.
 *
 * <p><b>Model</b>: a multi-treatment T-learner, one gradient-boosted regression of a unit's net value per action (no
 * offer and each of the 10 offers) on the customer's features before the wave. <b>Policy</b>: the best single offer
 * (highest mean net value per action in training), unless the models expect another action to be worth more than a
 * margin δ for this customer; δ is chosen by two-fold cross-fitting on the training customers from a fixed grid (its
 * last value, ∞, is the best single offer itself), so noise in the per-action models is not mistaken for preference.
 *
 * <p>Values are per customer over the six waves (net value summed over a customer's windows). Intervals: percentile
 * bootstrap over held-out customers, paired for the difference.
 */
public final class PreferenceEvaluation {
    /** The margins tried, in money per unit; the last keeps the best single offer for everyone. */
    static final double[] MARGINS = {0, 1, 2, 4, 8, Double.POSITIVE_INFINITY};

    /** Settings of one evaluation. */
    public record Settings(long seed, int resamples, BoostingParams params) {
        public static Settings defaults() {
            return new Settings(1, 1000, new BoostingParams(150, 3, 0.05, 20, 0.8, 1, 1));
        }
    }

    /** One policy's value under both estimators. */
    public record PolicyValue(Interval snips, Interval ips) {}

    /**
     * The report: policy values per customer (SNIPS, with IPS beside), the learned-minus-best-single difference, and
     * what was learned.
     */
    public record Result(
            Map<String, PolicyValue> policies,
            Interval learnedMinusBestSingle,
            Interval learnedMinusBestSingleIps,
            String bestSingleOffer,
            double margin,
            Map<String, Double> learnedActionShares,
            int trainCustomers,
            int testCustomers,
            int testUnits) {}

    private PreferenceEvaluation() {}

    public static Result run(StarbucksExperiment data, Settings settings, Consumer<String> progress) {
        int customers = data.customers();
        var random = new Random(settings.seed());
        var test = new boolean[customers];
        for (int c = 0; c < customers; c++) test[c] = random.nextBoolean();
        var train = new ArrayList<Unit>();
        var held = new ArrayList<Unit>();
        for (var u : data.units()) (test[u.customer()] ? held : train).add(u);
        double[][] propensity = data.propensities();
        int actions = data.actions();

        int best = bestSingle(train, actions);
        // Cross-fit the margin: two folds of the training customers, each predicting the other.
        var fold = new boolean[customers];
        for (int c = 0; c < customers; c++) fold[c] = random.nextBoolean();
        var a = train.stream().filter(u -> fold[u.customer()]).toList();
        var b = train.stream().filter(u -> !fold[u.customer()]).toList();
        progress.accept("cross-fitting the margin on " + train.size() + " training units");
        var modelsA = fit(a, actions, settings.params());
        var modelsB = fit(b, actions, settings.params());
        double bestMargin = Double.POSITIVE_INFINITY;
        double bestValue = Double.NEGATIVE_INFINITY;
        var tried = new StringBuilder();
        for (double margin : MARGINS) {
            double v = snips(b, modelsA, best, margin, propensity) + snips(a, modelsB, best, margin, propensity);
            tried.append(String.format(" %s: %.3f", margin, v / 2));
            if (v > bestValue + 1e-9) {
                bestValue = v;
                bestMargin = margin;
            }
        }
        progress.accept("cross-fitted value per unit by margin:" + tried);
        progress.accept("margin " + bestMargin + "; training the per-action models on all training units");
        var models = fit(train, actions, settings.params());

        // Held-out customers, renumbered 0..n-1 for the bootstrap.
        var index = new LinkedHashMap<Integer, Integer>();
        for (var u : held) index.putIfAbsent(u.customer(), index.size());
        int n = index.size();
        int units = held.size();
        var customerOf = new int[units];
        var value = new double[units];
        var p = new double[units];
        var learned = new double[units];
        var bestSingle = new double[units];
        var uniform = new double[units];
        var none = new double[units];
        var shares = new double[actions];
        for (int i = 0; i < units; i++) {
            var u = held.get(i);
            customerOf[i] = index.get(u.customer());
            value[i] = u.value();
            p[i] = propensity[u.wave()][u.action()];
            int chosen = choose(models, u.features(), best, bestMargin);
            shares[chosen]++;
            learned[i] = chosen == u.action() ? 1 : 0;
            bestSingle[i] = best == u.action() ? 1 : 0;
            uniform[i] = 1.0 / actions;
            none[i] = u.action() == 0 ? 1 : 0;
        }
        int perCustomer = StarbucksExperiment.WAVES.length;
        var policies = new LinkedHashMap<String, OffPolicy.Weighted>();
        policies.put("learned", OffPolicy.weigh(n, perCustomer, customerOf, value, learned, p));
        policies.put("bestSingle", OffPolicy.weigh(n, perCustomer, customerOf, value, bestSingle, p));
        policies.put("uniform", OffPolicy.weigh(n, perCustomer, customerOf, value, uniform, p));
        policies.put("none", OffPolicy.weigh(n, perCustomer, customerOf, value, none, p));
        var values = new LinkedHashMap<String, PolicyValue>();
        policies.forEach((name, w) -> values.put(
                name,
                new PolicyValue(
                        OffPolicy.estimate(w, null, Estimator.SNIPS, settings.resamples(), settings.seed()),
                        OffPolicy.estimate(w, null, Estimator.IPS, settings.resamples(), settings.seed()))));
        var actionShares = new LinkedHashMap<String, Double>();
        for (int action = 0; action < actions; action++) {
            if (shares[action] > 0) actionShares.put(actionName(data, action), shares[action] / units);
        }
        return new Result(
                values,
                OffPolicy.estimate(
                        policies.get("learned"),
                        policies.get("bestSingle"),
                        Estimator.SNIPS,
                        settings.resamples(),
                        settings.seed()),
                OffPolicy.estimate(
                        policies.get("learned"),
                        policies.get("bestSingle"),
                        Estimator.IPS,
                        settings.resamples(),
                        settings.seed()),
                actionName(data, best),
                bestMargin,
                actionShares,
                customers - n,
                n,
                units);
    }

    /** "none", or the offer's type, reward/difficulty/duration and id prefix. */
    static String actionName(StarbucksExperiment data, int action) {
        if (action == 0) return "none";
        var o = data.offers().get(action - 1);
        return o.type() + " " + (int) o.reward() + "/" + (int) o.difficulty() + " " + (int) o.durationDays() + "d "
                + o.id().substring(0, 6);
    }

    /** The action with the highest mean net value per unit in {@code units}, averaged over waves. */
    static int bestSingle(List<Unit> units, int actions) {
        int waves = StarbucksExperiment.WAVES.length;
        var sum = new double[waves][actions];
        var count = new double[waves][actions];
        for (var u : units) {
            sum[u.wave()][u.action()] += u.value();
            count[u.wave()][u.action()]++;
        }
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < actions; a++) {
            double mean = 0;
            for (int w = 0; w < waves; w++) mean += count[w][a] == 0 ? 0 : sum[w][a] / count[w][a];
            if (mean > bestMean) {
                bestMean = mean;
                best = a;
            }
        }
        return best;
    }

    /**
     * One regression per action of the net value's residual from a baseline: the baseline (all units, whatever their
     * action) learns how much a customer spends anyway, which is most of the variance; each action's model then only
     * has to learn what that action adds, on its own ~7.5 % of the units. Comparisons between actions cancel the
     * baseline.
     */
    static TreeEnsemble[] fit(List<Unit> units, int actions, BoostingParams params) {
        var baseline = regress(units, u -> u.value(), params);
        var models = new TreeEnsemble[actions];
        for (int a = 0; a < actions; a++) {
            final int action = a;
            var rows = units.stream().filter(u -> u.action() == action).toList();
            models[a] = regress(rows, u -> u.value() - baseline.predict(u.features()), params);
        }
        return models;
    }

    private static TreeEnsemble regress(
            List<Unit> rows, java.util.function.ToDoubleFunction<Unit> target, BoostingParams params) {
        int width = StarbucksExperiment.FEATURES.size();
        var x = new float[rows.size() * width];
        var y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).features(), 0, x, i * width, width);
            y[i] = (float) target.applyAsDouble(rows.get(i));
        }
        return TreeEnsemble.fromXgboostJson(
                Booster.train(x, rows.size(), width, y, null, Booster.Task.REGRESSION, params));
    }

    /** The best single action unless another is expected to be worth more than {@code margin} more. */
    static int choose(TreeEnsemble[] models, float[] features, int best, double margin) {
        double atBest = models[best].predict(features);
        int chosen = best;
        double top = atBest;
        for (int a = 0; a < models.length; a++) {
            double v = models[a].predict(features);
            if (v > top) {
                top = v;
                chosen = a;
            }
        }
        return top - atBest > margin ? chosen : best;
    }

    /** The SNIPS value per unit of the margin policy on {@code units}. */
    private static double snips(List<Unit> units, TreeEnsemble[] models, int best, double margin, double[][] p) {
        double num = 0, den = 0;
        for (var u : units) {
            if (choose(models, u.features(), best, margin) != u.action()) continue;
            double w = 1 / p[u.wave()][u.action()];
            num += w * u.value();
            den += w;
        }
        return den == 0 ? 0 : num / den;
    }
}

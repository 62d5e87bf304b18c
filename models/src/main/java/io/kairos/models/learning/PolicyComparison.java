package io.kairos.models.learning;

import io.kairos.models.preference.OffPolicy;
import io.kairos.models.preference.OffPolicy.Estimator;
import io.kairos.models.preference.OffPolicy.Interval;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import java.util.HashMap;
import java.util.List;

/**
 * Off-policy comparison of two uplift models on the engine's own logged decisions: what would the shop have earned per
 * decision had each model decided?
 *
 * <p>The policy a model induces is the one a decision applies: issue the offer when its expected value by the
 * campaign's objective ({@link LoggedDecision.Action#expectedValue}) is positive, else no offer. A logged row is an
 * issued offer (propensity: not held out × chosen) or a holdout (propensity: the holdout share), each with the reward
 * the shop got ({@link LoggedDecision#reward}). A model's value is estimated by inverse propensity weighting: a row
 * counts, weighted 1 / propensity, when the model would have taken the logged action. IPS divides by the rows, SNIPS by
 * the sum of weights (less variance when propensities are small; the estimator the loop decides on). Intervals are 95 %
 * percentile bootstraps that resample shoppers (a shopper's decisions together), paired for the difference.
 *
 * <p>Rows without a shopper id or an action (decisions recorded before this was logged) are skipped and counted.
 */
public final class PolicyComparison {
    private PolicyComparison() {}

    /** One model's estimated value per decision (IPS and SNIPS) and how many logged rows it agreed with. */
    public record PolicyValue(Interval ips, Interval snips, int agreed) {}

    /**
     * @param rows evaluable rows (with shopper and action)
     * @param skipped rows that could not be evaluated
     * @param shoppers distinct shoppers among the rows
     * @param champion the champion's value
     * @param challenger the challenger's value
     * @param difference challenger minus champion, SNIPS, paired bootstrap
     * @param differenceIps challenger minus champion, IPS
     */
    public record Result(
            int rows,
            int skipped,
            int shoppers,
            PolicyValue champion,
            PolicyValue challenger,
            Interval difference,
            Interval differenceIps) {}

    public static Result compare(
            List<LoggedDecision> log, UpliftScorer champion, UpliftScorer challenger, int resamples, long seed) {
        var rows = log.stream()
                .filter(d -> d.action() != null && d.shopperId() != null)
                .toList();
        var shopperIndex = new HashMap<String, Integer>();
        for (var d : rows) shopperIndex.putIfAbsent(d.shopperId(), shopperIndex.size());
        int shoppers = shopperIndex.size();
        if (shoppers == 0) {
            var none = new Interval(Double.NaN, Double.NaN, Double.NaN);
            var empty = new PolicyValue(none, none, 0);
            return new Result(0, log.size(), 0, empty, empty, none, none);
        }
        var units = new double[shoppers];
        for (var d : rows) units[shopperIndex.get(d.shopperId())]++;
        var a = weigh(rows, champion, shopperIndex, units);
        var b = weigh(rows, challenger, shopperIndex, units);
        return new Result(
                rows.size(),
                log.size() - rows.size(),
                shoppers,
                value(a, resamples, seed),
                value(b, resamples, seed),
                OffPolicy.estimate(b.weighted(), a.weighted(), Estimator.SNIPS, resamples, seed),
                OffPolicy.estimate(b.weighted(), a.weighted(), Estimator.IPS, resamples, seed));
    }

    private record Weighed(OffPolicy.Weighted weighted, int agreed) {}

    private static PolicyValue value(Weighed w, int resamples, long seed) {
        return new PolicyValue(
                OffPolicy.estimate(w.weighted(), null, Estimator.IPS, resamples, seed),
                OffPolicy.estimate(w.weighted(), null, Estimator.SNIPS, resamples, seed),
                w.agreed());
    }

    private static Weighed weigh(
            List<LoggedDecision> rows, UpliftScorer model, HashMap<String, Integer> shopperIndex, double[] units) {
        int n = shopperIndex.size();
        var wy = new double[n];
        var w = new double[n];
        int agreed = 0;
        for (var d : rows) {
            if (issues(model, d) == d.holdout()) continue; // the model would not have taken the logged action
            int c = shopperIndex.get(d.shopperId());
            double weight = 1 / d.propensity();
            wy[c] += weight * d.reward();
            w[c] += weight;
            agreed++;
        }
        return new Weighed(new OffPolicy.Weighted(wy, w, 1, units), agreed);
    }

    /** Whether {@code model}'s policy issues the row's offer to the row's shopper. */
    static boolean issues(UpliftScorer model, LoggedDecision d) {
        var score = model.score(
                        ShopperFeatures.of(d.shopper()),
                        List.of(OfferFeatures.of(
                                d.action().campaignId(), d.action().offer())))
                .get(0);
        double value = d.action().expectedValue(score);
        return Double.isFinite(value) && value > 0;
    }
}

package io.kairos.models.learning;

import io.kairos.models.preference.OffPolicy;
import io.kairos.models.preference.OffPolicy.Estimator;
import io.kairos.models.preference.OffPolicy.Interval;
import io.kairos.models.uplift.LoggedDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The live check of a promotion the learning loop made: after it, a randomized share of decisions stays on the champion
 * it replaced ({@link LoggedDecision#CHAMPION}), the rest are the promoted model's ({@link LoggedDecision#PROMOTED}),
 * drawn per decision from its id. Each arm's uplift is measured against the holdout group: what the shop earned per
 * decision in the arm ({@link LoggedDecision#reward}: order margin, less coupon and message cost when an offer went
 * out) minus what it earned per held-out decision. A campaign's holdout is drawn before any model scores, so both arms
 * share one control group and the difference of the uplifts is the difference of the arms' values; intervals are 95 %
 * bootstraps over shoppers, paired.
 *
 * <p>No verdict before each arm and the holdout group have {@code minPerArm} decisions with closed outcome windows.
 * Then the promotion is rolled back when the promoted model's uplift is below the champion's, and confirmed otherwise.
 */
public final class LiveComparison {
    private LiveComparison() {}

    /** The outcome of a check. */
    public enum Verdict {
        /** Not enough decisions yet in an arm or the holdout group: the share stays on the champion. */
        WATCHING,
        /** The promoted model's uplift is not below the champion's: the promotion stays and the watch ends. */
        CONFIRMED,
        /** The promoted model's uplift is below the champion's: the champion comes back. */
        ROLLED_BACK
    }

    /**
     * @param promoted decisions of the promoted arm; {@code champion} of the champion's; {@code holdout} held out
     * @param skipped decisions that cannot be counted (no shopper or no economics recorded)
     * @param promotedUplift the promoted arm's value per decision minus the holdout's
     * @param championUplift the champion arm's value per decision minus the holdout's
     * @param difference promoted minus champion uplift
     */
    public record Result(
            int promoted,
            int champion,
            int holdout,
            int skipped,
            Interval promotedUplift,
            Interval championUplift,
            Interval difference,
            Verdict verdict) {}

    /**
     * Compares the arms on {@code log}: the decisions since the promotion, including those that issued nothing (with
     * their best-ranked candidate's economics), and the holdouts.
     */
    public static Result compare(List<LoggedDecision> log, int minPerArm, int resamples, long seed) {
        var compared = log.stream().filter(LiveComparison::counts).toList();
        var rows = compared.stream()
                .filter(d -> d.shopperId() != null && Double.isFinite(d.reward()))
                .toList();
        var shoppers = new HashMap<String, Integer>();
        rows.forEach(d -> shoppers.putIfAbsent(d.shopperId(), shoppers.size()));
        var promoted = arm(rows, shoppers, d -> !d.holdout() && LoggedDecision.PROMOTED.equals(d.arm()));
        var champion = arm(rows, shoppers, d -> !d.holdout() && LoggedDecision.CHAMPION.equals(d.arm()));
        var holdout = arm(rows, shoppers, LoggedDecision::holdout);
        int skipped = compared.size() - rows.size();
        int p = count(promoted), c = count(champion), h = count(holdout);
        var none = new Interval(Double.NaN, Double.NaN, Double.NaN);
        if (shoppers.isEmpty()) return new Result(p, c, h, skipped, none, none, none, Verdict.WATCHING);
        var promotedUplift = OffPolicy.estimate(promoted, holdout, Estimator.SNIPS, resamples, seed);
        var championUplift = OffPolicy.estimate(champion, holdout, Estimator.SNIPS, resamples, seed);
        var difference = OffPolicy.estimate(promoted, champion, Estimator.SNIPS, resamples, seed);
        Verdict verdict;
        if (p < minPerArm || c < minPerArm || h < minPerArm) verdict = Verdict.WATCHING;
        else verdict = difference.estimate() < 0 ? Verdict.ROLLED_BACK : Verdict.CONFIRMED;
        return new Result(p, c, h, skipped, promotedUplift, championUplift, difference, verdict);
    }

    /** Whether the comparison counts a decision: a holdout, or a decision in one of the arms. */
    static boolean counts(LoggedDecision d) {
        return d.holdout() || d.arm() != null;
    }

    /** One arm's rewards summed per shopper, each decision weighing 1: its SNIPS is the arm's mean reward. */
    private static OffPolicy.Weighted arm(
            List<LoggedDecision> rows, Map<String, Integer> shoppers, Predicate<LoggedDecision> in) {
        var sum = new double[shoppers.size()];
        var n = new double[shoppers.size()];
        for (var d : rows) {
            if (!in.test(d)) continue;
            int s = shoppers.get(d.shopperId());
            sum[s] += d.reward();
            n[s]++;
        }
        return new OffPolicy.Weighted(sum, n, 1);
    }

    private static int count(OffPolicy.Weighted arm) {
        double n = 0;
        for (double w : arm.weight()) n += w;
        return (int) n;
    }
}

package io.kairos.models.learning;

import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.UpliftDesign;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What one learning loop ({@link LearningLoop}) trains, on what, and how sure it must be.
 *
 * @param model the model name the loop trains and promotes
 * @param lookback how far back decisions are read
 * @param evaluationShare the most recent share of the decisions kept out of training to evaluate on
 * @param minTrainingRows decisions the challenger needs to be trained at all
 * @param minEvaluationRows evaluable decisions a verdict needs
 * @param minImprovement how much better than the champion's value the challenger's must be (relative; the absolute
 *     floor is one cent per decision)
 * @param resamples bootstrap resamples of the intervals
 * @param design the uplift design of the challenger
 * @param params boosting hyper-parameters of the challenger
 * @param excludedFeatures shopper or offer features the challenger must not use
 * @param championShare the share of decisions kept on the champion after the loop's promotion, until the live
 *     comparison ({@link LiveComparison}) settles it; 0: no watch, a promotion is final
 * @param minLivePerArm decisions each arm and the holdout group need before the live comparison decides
 */
public record LoopSettings(
        String model,
        Duration lookback,
        double evaluationShare,
        int minTrainingRows,
        int minEvaluationRows,
        double minImprovement,
        int resamples,
        UpliftDesign design,
        BoostingParams params,
        Set<String> excludedFeatures,
        double championShare,
        int minLivePerArm) {
    public LoopSettings {
        if (!(championShare >= 0 && championShare < 1))
            throw new IllegalArgumentException("champion share must be in [0, 1)");
        if (!(evaluationShare > 0 && evaluationShare < 1))
            throw new IllegalArgumentException("evaluation share must be in (0, 1)");
        if (minImprovement < 0) throw new IllegalArgumentException("min improvement must not be negative");
        excludedFeatures = Set.copyOf(excludedFeatures);
    }

    /** These settings with {@code more} features excluded besides the ones already excluded. */
    public LoopSettings alsoExcluding(java.util.Collection<String> more) {
        var excluded = new HashSet<>(excludedFeatures);
        excluded.addAll(more);
        return new LoopSettings(
                model,
                lookback,
                evaluationShare,
                minTrainingRows,
                minEvaluationRows,
                minImprovement,
                resamples,
                design,
                params,
                excluded,
                championShare,
                minLivePerArm);
    }
}

package io.kairos.models.registry;

import java.time.Instant;

/**
 * One run of the learning loop for a model name, as the model's history records it: what it trained on, what it
 * compared, and what it decided. Runs are kept forever (a few hundred bytes each), newest first in a listing.
 *
 * @param id the run's id (unique per model name)
 * @param model the model name
 * @param trigger {@code schedule} or {@code operator}
 * @param requestedBy the id of the API key that started an operator's run (null for a scheduled run, and in runs
 *     recorded before it was kept)
 * @param startedAt when the run started
 * @param finishedAt when it finished
 * @param training the decisions the challenger was trained on
 * @param evaluation the decisions it was evaluated on (the most recent ones, not trained on)
 * @param champion the model that decided at the time, as {@code name@version} ({@code safe-rule@1} when none is
 *     promoted)
 * @param challenger the version the run trained and stored, null when it trained none
 * @param comparison the off-policy comparison, null when the run did not get that far
 * @param verdict {@code promoted}, {@code kept} (the champion stays) or {@code failed}; for the live check of the
 *     loop's last promotion, {@code watching} (no verdict yet), {@code confirmed} or {@code rolled-back}
 * @param reason why, in words an operator can act on
 */
public record TrainingRun(
        String id,
        String model,
        String trigger,
        String requestedBy,
        Instant startedAt,
        Instant finishedAt,
        Window training,
        Window evaluation,
        String champion,
        String challenger,
        Comparison comparison,
        String verdict,
        String reason) {

    public static final String PROMOTED = "promoted";
    public static final String KEPT = "kept";
    public static final String FAILED = "failed";
    public static final String WATCHING = "watching";
    public static final String CONFIRMED = "confirmed";
    public static final String ROLLED_BACK = "rolled-back";

    /** A slice of the decision log: decisions made in {@code [from, to)}, how many, and how many shoppers made them. */
    public record Window(Instant from, Instant to, int decisions, int shoppers) {}

    /** An estimate with its 95 % interval. */
    public record Estimate(double estimate, double low, double high) {}

    /**
     * The challenger against the champion off-policy, per decision, in the currency's units.
     *
     * @param estimator what the verdict is based on: {@code SNIPS}, or {@code live-holdout} for the live check of a
     *     promotion, where {@code champion} and {@code challenger} are each arm's uplift over the holdout group and
     *     {@code rows} counts both arms and the holdout
     * @param rows evaluation rows used; {@code skipped} could not be evaluated (no shopper id or offer recorded)
     * @param champion the champion's value (SNIPS)
     * @param challenger the challenger's value (SNIPS)
     * @param difference challenger minus champion (SNIPS, paired bootstrap over shoppers)
     * @param differenceIps challenger minus champion (IPS)
     * @param minImprovement the margin the difference had to reach, relative to the champion's value
     * @param minRows the evaluation rows a verdict needs
     */
    public record Comparison(
            String estimator,
            int rows,
            int skipped,
            Estimate champion,
            Estimate challenger,
            Estimate difference,
            Estimate differenceIps,
            double minImprovement,
            int minRows) {}
}

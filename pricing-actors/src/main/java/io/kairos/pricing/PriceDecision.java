package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that produced one pricing decision, recorded in the event so that a replay or an audit reads it instead of
 * re-running the policy: the model, the seed of its random draws, every candidate with the data it had and the value it
 * drew, what the policy wanted, what the guardrails let through and which rule bound it.
 *
 * @param target the price the policy proposed, before the guardrails
 * @param price the price posted after the guardrails (equal to {@code currentPrice} when the decision held)
 * @param seed seed of the decision's random generator; the draws themselves are in {@code candidates}
 * @param observations the demand data the policy saw
 * @param qLearning the Q-learning step, for that policy only
 */
public record PriceDecision(
        String decisionId,
        Instant at,
        Reason reason,
        SkuConfig.Policy policy,
        SkuConfig.Objective objective,
        String model,
        long seed,
        BigDecimal currentPrice,
        BigDecimal target,
        BigDecimal price,
        List<Guardrails.Guardrail> boundBy,
        List<Candidate> candidates,
        ObservationSummary observations,
        List<SkuConfig.CompetitorPrice> competitorPrices,
        String note,
        Optional<QLearningStep> qLearning)
        implements CborSerializable {

    /** The model name of a decision whose policy threw: the price was held. */
    public static final String POLICY_FAILED = "policy-failed";

    public PriceDecision {
        boundBy = List.copyOf(boundBy);
        candidates = List.copyOf(candidates);
        competitorPrices = List.copyOf(competitorPrices);
    }

    /** Why the price was (re)decided. */
    public enum Reason {
        /** first price after the first configuration: the list price, legalised */
        INITIAL,
        /** a repricing at the cadence */
        REPRICE,
        /** a configuration change made the price in force illegal; exempt from the step and cadence rules */
        CONFIG
    }

    /**
     * One price the policy considered.
     *
     * @param views views observed at this price (in the decision's context when the policy uses one)
     * @param units units sold at this price in the same context
     * @param sample the policy's drawn or estimated units per view at this price
     * @param score the value the policy maximised (per view), after any inventory constraint
     */
    public record Candidate(BigDecimal price, long views, long units, double sample, double score)
            implements CborSerializable {}

    /**
     * The demand data behind a decision.
     *
     * @param views views recorded over the SKU's life
     * @param units units recorded over the SKU's life
     * @param periodViews views recorded since the previous decision
     * @param periodUnits units recorded since the previous decision
     * @param periodRevenue revenue of those units at the prices they were sold at
     * @param cells distinct (hour, price) cells of data
     */
    public record ObservationSummary(
            long views, long units, long periodViews, long periodUnits, double periodRevenue, int cells)
            implements CborSerializable {}

    /**
     * One tabular Q-learning step: the update of the previous state-action from the reward just observed, and the
     * action chosen now.
     *
     * @param rows every Q row this step created or changed, with its values after the step
     */
    public record QLearningStep(
            Optional<String> previousState,
            int previousAction,
            Optional<Double> reward,
            String state,
            int action,
            double epsilon,
            double draw,
            boolean explored,
            Map<String, QTable.Row> rows)
            implements CborSerializable {

        public QLearningStep {
            rows = Map.copyOf(rows);
        }
    }
}

package io.kairos.models.uplift;

import java.time.Instant;
import java.util.Map;

/**
 * One decision the engine made, as its decision log records it, joined with what happened afterwards.
 *
 * @param decisionId the decision's id
 * @param decidedAt when it was made
 * @param shopper the shopper features the decision saw
 * @param offer the issued offer's features; empty when the shopper was put in the holdout group
 * @param holdout whether the shopper was held out (the control group: no offer)
 * @param propensity probability with which the policy made this choice: issuing this offer, or holding out
 * @param converted whether the shopper converted within the outcome window
 * @param orderValue the order's value, {@code NaN} if none
 * @param shopperId the shopper (off-policy estimates resample shoppers, not decisions); null when unknown
 * @param action the offer the decision was about, with its economics: the issued offer, or for a holdout the offer its
 *     campaign would have made; for a decision that issued nothing, its best-ranked candidate (untreated); null when
 *     the log cannot say (then the row trains but is not evaluated)
 * @param scoredBy what scored the decision: {@code name@version} of the model, or {@code safe-rule@version}; null for a
 *     holdout (drawn before scoring) and for records that do not say
 * @param arm during the learning loop's watch of a promotion ({@link io.kairos.models.learning.LiveComparison}):
 *     {@code promoted} or {@code champion}, the share kept on what the promotion replaced; null otherwise
 */
public record LoggedDecision(
        String decisionId,
        Instant decidedAt,
        Map<String, ?> shopper,
        Map<String, ?> offer,
        boolean holdout,
        double propensity,
        boolean converted,
        double orderValue,
        String shopperId,
        Action action,
        String scoredBy,
        String arm) {
    /** The arm of the decisions scored by a watched promotion. */
    public static final String PROMOTED = "promoted";
    /** The arm of the decisions kept on what a watched promotion replaced. */
    public static final String CHAMPION = "champion";

    /**
     * The offer a decision issued or withheld, as the decision priced it.
     *
     * @param campaignId the offer's campaign
     * @param offer the offer's features, as a model sees them
     * @param objective the campaign's objective ({@code profit}, {@code gmv} or {@code activation})
     * @param marginRate the share of an incremental order's value that is profit
     * @param expectedOrderValue the order value the decision expected, used when a model has no value model
     * @param expectedDiscount what the coupon gives away on a redeemed order
     * @param messageCost what sending the offer costs
     */
    public record Action(
            String campaignId,
            Map<String, ?> offer,
            String objective,
            double marginRate,
            double expectedOrderValue,
            double expectedDiscount,
            double messageCost) {
        public Action {
            offer = Map.copyOf(offer);
        }

        /**
         * What the shop earns from one decision's outcome under this offer's economics: the order's margin (its value
         * for gmv and activation), less the coupon's discount on a converted treated decision and the message cost of a
         * treated one.
         */
        public double reward(boolean treated, boolean converted, double orderValue) {
            double earned = converted && Double.isFinite(orderValue) ? orderValue * marginOf() : 0;
            if (!treated) return earned;
            return earned - (converted ? expectedDiscount : 0) - messageCost;
        }

        /**
         * Expected value of issuing this offer from a model's score ({@link Score#expectedValue}, as the decision
         * ranks), with the score's order value, or the one the decision expected when the score has none.
         */
        public double expectedValue(Score s) {
            double value = Double.isFinite(s.expectedOrderValue()) && s.expectedOrderValue() > 0
                    ? s.expectedOrderValue()
                    : expectedOrderValue;
            return s.expectedValue(objective, value, marginRate, expectedDiscount, messageCost);
        }

        private double marginOf() {
            return "profit".equals(objective) ? marginRate : 1;
        }
    }

    public LoggedDecision {
        shopper = Map.copyOf(shopper);
        offer = Map.copyOf(offer);
        if (holdout && !offer.isEmpty()) {
            throw new IllegalArgumentException("a holdout decision has no offer");
        }
    }

    /** A row that does not say what scored it. */
    public LoggedDecision(
            String decisionId,
            Instant decidedAt,
            Map<String, ?> shopper,
            Map<String, ?> offer,
            boolean holdout,
            double propensity,
            boolean converted,
            double orderValue,
            String shopperId,
            Action action) {
        this(
                decisionId,
                decidedAt,
                shopper,
                offer,
                holdout,
                propensity,
                converted,
                orderValue,
                shopperId,
                action,
                null,
                null);
    }

    /** A row without shopper id or action: it trains, but off-policy evaluation cannot use it. */
    public LoggedDecision(
            String decisionId,
            Instant decidedAt,
            Map<String, ?> shopper,
            Map<String, ?> offer,
            boolean holdout,
            double propensity,
            boolean converted,
            double orderValue) {
        this(decisionId, decidedAt, shopper, offer, holdout, propensity, converted, orderValue, null, null, null, null);
    }

    /** The training row: treated unless held out, weighted later by the inverse of the recorded propensity. */
    public UpliftExample toExample() {
        return new UpliftExample(
                shopper, offer, !holdout, propensity, converted ? 1 : 0, converted ? orderValue : Double.NaN);
    }

    /** Whether the recorded propensity is one a training row accepts ({@link UpliftExample#isPropensity}). */
    public boolean hasPropensity() {
        return UpliftExample.isPropensity(propensity);
    }

    /** Whether the decision issued an offer (neither a holdout nor a decision for no offer). */
    public boolean treated() {
        return !holdout && !offer.isEmpty();
    }

    /** What the shop earned from this decision (see {@link Action#reward}); NaN without an action. */
    public double reward() {
        return action == null ? Double.NaN : action.reward(treated(), converted, orderValue);
    }
}

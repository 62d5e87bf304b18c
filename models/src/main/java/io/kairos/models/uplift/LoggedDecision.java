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
 */
public record LoggedDecision(
        String decisionId,
        Instant decidedAt,
        Map<String, ?> shopper,
        Map<String, ?> offer,
        boolean holdout,
        double propensity,
        boolean converted,
        double orderValue) {

    public LoggedDecision {
        shopper = Map.copyOf(shopper);
        offer = Map.copyOf(offer);
        if (holdout && !offer.isEmpty()) {
            throw new IllegalArgumentException("a holdout decision has no offer");
        }
    }

    /** The training row: treated unless held out, weighted later by the inverse of the recorded propensity. */
    public UpliftExample toExample() {
        return new UpliftExample(
                shopper, offer, !holdout, propensity, converted ? 1 : 0, converted ? orderValue : Double.NaN);
    }
}

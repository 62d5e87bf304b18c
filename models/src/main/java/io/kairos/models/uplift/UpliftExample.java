package io.kairos.models.uplift;

import java.util.Map;

/**
 * One training row for the uplift model, whatever its source (a randomised-experiment CSV or the engine's decision
 * log): what we knew about the shopper, what was offered (empty for the control / holdout group), whether the offer was
 * made, how likely the policy was to make that choice, and what happened.
 *
 * @param shopper raw shopper feature values by name (numbers or text; absent = missing)
 * @param offer raw offer feature values by name; empty when not treated
 * @param treated whether the shopper received the offer ({@code false} = control / holdout)
 * @param propensity probability with which the logging policy made the recorded choice (offer for treated rows, holdout
 *     for control rows), in (0, 1]; training weights rows by its inverse
 * @param outcome the response, 1/0 for conversion (any number for a regression outcome)
 * @param orderValue value of the resulting order, {@code NaN} when unknown or when there was no order
 */
public record UpliftExample(
        Map<String, ?> shopper,
        Map<String, ?> offer,
        boolean treated,
        double propensity,
        double outcome,
        double orderValue) {

    public UpliftExample {
        shopper = Map.copyOf(withoutNulls(shopper));
        offer = Map.copyOf(withoutNulls(offer));
        if (!isPropensity(propensity)) {
            throw new IllegalArgumentException("propensity must be in (0, 1]: " + propensity);
        }
        if (!treated && !offer.isEmpty()) {
            throw new IllegalArgumentException("a control row has no offer");
        }
    }

    /** Whether {@code p} is a probability a row can be weighted by (1 / p): in (0, 1]. */
    public static boolean isPropensity(double p) {
        return p > 0 && p <= 1;
    }

    private static Map<String, ?> withoutNulls(Map<String, ?> m) {
        var copy = new java.util.HashMap<String, Object>(m);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}

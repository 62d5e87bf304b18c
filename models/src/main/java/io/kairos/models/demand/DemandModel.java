package io.kairos.models.demand;

import java.util.Map;
import java.util.TreeMap;

/**
 * A log-log demand curve with one intercept per group (brand, SKU or category): {@code ln q = intercept[group] +
 * elasticity · ln p}, so expected demand is {@code smearing · exp(intercept[group]) · p^elasticity}.
 *
 * <p>{@code smearing} is Duan's factor, the mean of exp(residual) in training: exponentiating a mean of logs gives the
 * geometric mean, which under-states expected units. Unknown groups fall back to {@code defaultIntercept} (the
 * row-weighted mean intercept). Immutable and allocation-free, so a pricing actor calls it inline.
 *
 * @param elasticity the common log-price slope (negative for ordinary goods)
 * @param intercepts intercept per group (a single entry {@code "all"} when fitted without groups)
 * @param defaultIntercept intercept for a group not seen in training
 * @param smearing Duan's retransformation factor (≥ 1 in practice)
 */
public record DemandModel(double elasticity, Map<String, Double> intercepts, double defaultIntercept, double smearing) {

    public DemandModel {
        intercepts = Map.copyOf(intercepts);
        if (!Double.isFinite(elasticity) || !Double.isFinite(defaultIntercept) || !(smearing > 0)) {
            throw new IllegalArgumentException("invalid demand model");
        }
    }

    /** Expected units at {@code price} for {@code group} ({@code null} or unknown: the default intercept). */
    public double expectedDemand(double price, String group) {
        if (!(price > 0)) {
            throw new IllegalArgumentException("price must be positive: " + price);
        }
        Double intercept = group == null ? null : intercepts.get(group);
        double i = intercept == null ? defaultIntercept : intercept;
        return smearing * Math.exp(i + elasticity * Math.log(price));
    }

    /** Whether the group had its own intercept in training. */
    public boolean knows(String group) {
        return intercepts.containsKey(group);
    }

    /** Intercepts in name order, for printing. */
    public Map<String, Double> sortedIntercepts() {
        return new TreeMap<>(intercepts);
    }
}

package io.kairos.shopper;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exponentially time-decayed scores by key, evaluated lazily: each key stores its value as of its last update, and
 * {@link #valuesAt} decays it to any later instant, so no timer runs per shopper.
 *
 * <p>With half-life h, a weight w added at time t contributes {@code w * 2^-((T - t) / h)} at time T. Adding an event
 * older than a key's {@code asOf} (out-of-order arrival) decays the weight to {@code asOf} instead, which gives the
 * same result as if the events had arrived in time order. At most {@code maxKeys} keys are kept: a new key beyond that
 * evicts the key with the lowest current value, so memory per shopper stays bounded.
 */
public record DecayedScores(Map<String, Score> scores) {

    public static final DecayedScores EMPTY = new DecayedScores(Map.of());

    /** A value as of an instant. */
    public record Score(double value, Instant asOf) {
        Score add(double weight, Instant at, Duration halfLife) {
            if (at.isBefore(asOf)) return new Score(value + weight * factor(at, asOf, halfLife), asOf);
            return new Score(value * factor(asOf, at, halfLife) + weight, at);
        }

        public double valueAt(Instant t, Duration halfLife) {
            return t.isAfter(asOf) ? value * factor(asOf, t, halfLife) : value;
        }
    }

    public DecayedScores {
        // Keys (event types, categories, coupon types) repeat across every shopper: interned, a node holds each once.
        var interned = new HashMap<String, Score>(scores.size() * 2);
        scores.forEach((key, score) -> interned.put(key.intern(), score));
        scores = Map.copyOf(interned);
    }

    /**
     * {@code 2^-(to - from) / halfLife}, the fraction of a score left after decaying from {@code from} to {@code to}.
     */
    static double factor(Instant from, Instant to, Duration halfLife) {
        double elapsed = Duration.between(from, to).toMillis();
        return Math.pow(2.0, -elapsed / halfLife.toMillis());
    }

    public DecayedScores add(String key, double weight, Instant at, Duration halfLife, int maxKeys) {
        var next = new HashMap<>(scores);
        var current = next.get(key);
        next.put(key, current == null ? new Score(weight, at) : current.add(weight, at, halfLife));
        if (next.size() > maxKeys) {
            next.entrySet().stream()
                    .filter(e -> !e.getKey().equals(key))
                    .min(Comparator.comparingDouble(
                                    (Map.Entry<String, Score> e) -> e.getValue().valueAt(at, halfLife))
                            .thenComparing(Map.Entry::getKey))
                    .ifPresent(e -> next.remove(e.getKey()));
        }
        return new DecayedScores(next);
    }

    /** Folds another set of scores (e.g. a linked identity's history) into this one. */
    public DecayedScores merge(DecayedScores other, Duration halfLife, int maxKeys) {
        var merged = this;
        for (var e : new TreeMap<>(other.scores).entrySet()) {
            merged = merged.add(e.getKey(), e.getValue().value(), e.getValue().asOf(), halfLife, maxKeys);
        }
        return merged;
    }

    public double valueAt(String key, Instant t, Duration halfLife) {
        var s = scores.get(key);
        return s == null ? 0.0 : s.valueAt(t, halfLife);
    }

    /** Every key's value decayed to {@code t}, sorted by key for stable output. */
    public Map<String, Double> valuesAt(Instant t, Duration halfLife) {
        var out = new TreeMap<String, Double>();
        scores.forEach((k, s) -> out.put(k, s.valueAt(t, halfLife)));
        return out;
    }
}

package io.kairos.shopper;

import io.kairos.serialization.CborSerializable;
import java.time.Duration;
import java.util.Map;

/**
 * How behaviour is recorded into a shopper's state: the half-life of decayed scores, the weight each event type adds to
 * its category's score (event-type scores are decayed counts, weight 1), and the bounds on per-shopper memory. Adopted
 * into a shopper's state through an event, so a configuration change applies from the moment it is recorded and replay
 * reproduces the state exactly whatever the configuration is at replay time.
 */
public record RecordingPolicy(
        Duration halfLife,
        Map<EventType, Double> categoryWeights,
        int maxCategories,
        int dedupCapacity,
        int recentOrders)
        implements CborSerializable {

    public RecordingPolicy {
        if (halfLife.isZero() || halfLife.isNegative())
            throw new IllegalArgumentException("half-life must be positive");
        if (maxCategories < 1 || dedupCapacity < 1 || recentOrders < 1)
            throw new IllegalArgumentException("bounds must be positive");
        categoryWeights = Map.copyOf(categoryWeights);
    }

    /** The policies a node has seen, each held once; a node sees a handful (one per configuration it ran with). */
    private static final Canonical<RecordingPolicy, RecordingPolicy> CANONICAL = new Canonical<>(64);

    /**
     * The one instance of this policy on the node. Every shopper adopts the node's policy, but each snapshot or event
     * read back would otherwise hold its own copy (with its duration, map and boxed weights: about 270 bytes per
     * recovered shopper).
     */
    public RecordingPolicy canonical() {
        return CANONICAL.of(this, this);
    }

    public double categoryWeight(EventType type) {
        return categoryWeights.getOrDefault(type, 0.0);
    }
}

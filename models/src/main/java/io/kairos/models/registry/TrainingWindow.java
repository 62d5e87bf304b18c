package io.kairos.models.registry;

import java.time.Instant;

/**
 * The data a model was trained on: where it came from, the event-time window it covers (unknown bounds are
 * {@code null}, e.g. for a CSV without dates) and how many rows were used.
 */
public record TrainingWindow(String source, Instant from, Instant to, long rows) {
    public TrainingWindow {
        java.util.Objects.requireNonNull(source, "source");
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("training window ends before it starts");
        }
    }
}

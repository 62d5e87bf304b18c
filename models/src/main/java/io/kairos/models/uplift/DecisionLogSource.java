package io.kairos.models.uplift;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The engine's own decision log as a source of uplift training data: issued offers with the propensity the policy
 * recorded, and the holdout group as control. The journal-backed implementation lives with the decision log; this
 * module only needs the rows.
 *
 * <p>Contract: {@link #decisions} returns the decisions made in {@code [from, to)} whose outcome window has closed (so
 * {@code converted} is final), each exactly once.
 */
public interface DecisionLogSource {
    Stream<LoggedDecision> decisions(Instant from, Instant to);

    /** Training rows for the window, through the same pipeline as experiment CSVs. */
    default List<UpliftExample> examples(Instant from, Instant to) {
        try (Stream<LoggedDecision> s = decisions(from, to)) {
            return s.map(LoggedDecision::toExample).toList();
        }
    }
}

package io.kairos.offer;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Finds a recorded decision by its id (the audit endpoint's read). */
public interface DecisionLookup {

    /**
     * A decision as recorded, with where it is in the journal.
     *
     * @param kind {@code offer} (an offer was issued) or {@code holdout} (the person was assigned to the control group)
     * @param offer the offer issued, null for a holdout
     */
    record StoredDecision(
            String decisionId,
            String shopperId,
            String persistenceId,
            long sequenceNr,
            String kind,
            Instant decidedAt,
            DecisionRecord record,
            Offer offer) {}

    CompletionStage<Optional<StoredDecision>> find(String decisionId);

    /** Every decision made in {@code [from, to)}, in no particular order (an audit's window). */
    Source<StoredDecision, NotUsed> between(Instant from, Instant to);
}

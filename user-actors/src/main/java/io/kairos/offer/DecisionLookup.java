package io.kairos.offer;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /**
     * The decisions of {@link #between} as they are stored, each opened (decrypted and decoded) only when asked: a
     * reader that re-derives a window opens them on as many threads as it replays on.
     */
    default Source<Stored, NotUsed> storedBetween(Instant from, Instant to) {
        return between(from, to).map(d -> () -> CompletableFuture.completedFuture(Optional.of(d)));
    }

    /** A decision as stored, not yet opened. */
    interface Stored {
        /** The decision; empty when it can no longer be read (its person was erased). */
        CompletionStage<Optional<StoredDecision>> open();
    }
}

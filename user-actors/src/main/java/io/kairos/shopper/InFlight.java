package io.kairos.shopper;

import java.util.Optional;

/**
 * What a person waits for while a decision or a redemption asks a model or a campaign. While something waits, the
 * entity keeps every other command of this person in its stash, so concurrent requests see the result of the one before
 * them and never double-issue or double-redeem. Transient by design: a restart forgets it, and the asks' answers to a
 * new incarnation are ignored (reservations are released by the campaign's expiry sweep).
 */
final class InFlight {

    /** The one thing a person can wait for at a time. */
    sealed interface Waiting permits OfferDecisions.Decision, Redemptions.Ordering, Redemptions.Cancelling {}

    private Waiting waiting;

    boolean busy() {
        return waiting != null;
    }

    void start(Waiting w) {
        if (waiting != null) throw new IllegalStateException("already waiting for " + waiting);
        waiting = w;
    }

    /** Replaces what is waited for with its next step (the same kind of thing). */
    void advance(Waiting w) {
        if (waiting == null || waiting.getClass() != w.getClass()) {
            throw new IllegalStateException("not waiting for a " + w.getClass().getSimpleName());
        }
        waiting = w;
    }

    void clear() {
        waiting = null;
    }

    /** What waits, if it is of {@code type}. */
    <T extends Waiting> Optional<T> get(Class<T> type) {
        return type.isInstance(waiting) ? Optional.of(type.cast(waiting)) : Optional.empty();
    }
}

package io.kairos.privacy;

import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.EventSeq;

/**
 * What one person's entity writes and reads through: its events and snapshots sealed under its key on the way to the
 * journal and the snapshot store, opened on the way back ({@link Seals}). Also reads a plain value, as written before
 * pseudonyms. One per entity, holding the key as two longs and references to what the entity holds anyway.
 *
 * @param <E> the entity's events
 * @param <S> the entity's state
 */
public final class PersonSeal<E, S> extends EventAdapter<E, Object> {
    private final Seals seals;
    private final String persistenceId;
    private final String subject;
    private final long high;
    private final long low;

    public PersonSeal(Seals seals, String persistenceId, String subject, PersonSecret secret) {
        this.seals = seals;
        this.persistenceId = persistenceId;
        this.subject = subject;
        this.high = secret.high();
        this.low = secret.low();
    }

    private PersonSecret secret() {
        return new PersonSecret(high, low);
    }

    @Override
    public Object toJournal(E event) {
        return seals.seal(persistenceId, secret(), subject, event);
    }

    @Override
    public String manifest(E event) {
        return "";
    }

    @Override
    @SuppressWarnings("unchecked")
    public EventSeq<E> fromJournal(Object stored, String manifest) {
        return EventSeq.single((E) open(stored));
    }

    /**
     * A snapshot sealed as the events are: for the entity's snapshot adapter (the entity is its own, as this class's
     * methods would clash with {@link akka.persistence.typed.SnapshotAdapter}'s, and an adapter object per entity would
     * cost 16 bytes).
     */
    public Object sealSnapshot(S state) {
        return seals.seal(persistenceId, secret(), subject, state);
    }

    /** A snapshot as {@link #sealSnapshot} sealed it, or as written before pseudonyms. */
    @SuppressWarnings("unchecked")
    public S openSnapshot(Object stored) {
        return (S) open(stored);
    }

    private Object open(Object stored) {
        return stored instanceof Sealed s
                ? seals.open(persistenceId, secret(), s).value()
                : stored;
    }
}

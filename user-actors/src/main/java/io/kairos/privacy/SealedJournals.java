package io.kairos.privacy;

import akka.NotUsed;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Source;
import io.kairos.privacy.PersonKeys.Legacy;
import io.kairos.privacy.PersonKeys.Pseudonymous;
import io.kairos.privacy.Seals.Opened;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * How read sides read sealed journals. By subject (an audit, an export, a stream's catch-up): the subject's journal is
 * found through its pseudonym and its events come back opened, under the persistence id the subject had before
 * pseudonyms ({@code Shopper|<subject>}), so a reader never sees a pseudonym; an erased or unknown subject has no
 * events. By tag (the projections): each event is opened with its journal's key, or dropped once the key is erased.
 * Reading never creates a pseudonym or key.
 */
public final class SealedJournals {
    /** The entity type whose journals are sealed. */
    public static final String SHOPPER = "Shopper";

    private SealedJournals() {}

    /** Whether {@code persistenceId} is a shopper journal's (by subject or by pseudonym). */
    public static boolean isShopper(String persistenceId) {
        return persistenceId.startsWith(SHOPPER + PersistenceId.DefaultSeparator());
    }

    /** {@code Shopper|<subject>}: how read sides name a shopper's journal, whatever its stored name. */
    public static String subjectId(String subject) {
        return PersistenceId.of(SHOPPER, subject).id();
    }

    /**
     * A journal reader ({@code persistenceId, fromSequenceNr → events}) that reads shopper journals by subject, opened,
     * and every other journal as it is.
     */
    public static BiFunction<String, Long, Source<EventEnvelope, NotUsed>> bySubject(
            PersonKeys keys, BiFunction<String, Long, Source<EventEnvelope, NotUsed>> journal) {
        return (persistenceId, from) -> {
            if (!isShopper(persistenceId)) return journal.apply(persistenceId, from);
            var subject = PersistenceId.extractEntityId(persistenceId);
            return Source.completionStageSource(keys.find(subject).thenApply(r -> {
                        if (r instanceof Legacy) return journal.apply(persistenceId, from);
                        if (!(r instanceof Pseudonymous p)) return Source.<EventEnvelope>empty();
                        var stored = subjectId(p.pseudonym());
                        return journal.apply(stored, from)
                                .map(env -> new EventEnvelope(
                                        env.offset(),
                                        persistenceId,
                                        env.sequenceNr(),
                                        opened(keys, stored, p.secret(), env.event()),
                                        env.timestamp(),
                                        env.eventMetadata()));
                    }))
                    .mapMaterializedValue(m -> NotUsed.getInstance());
        };
    }

    private static Object opened(PersonKeys keys, String persistenceId, PersonSecret secret, Object event) {
        return event instanceof Sealed s
                ? keys.seals().open(persistenceId, secret, s).value()
                : event;
    }

    /**
     * An event as a tag reader found it in journal {@code persistenceId}, opened, with the subject it belongs to; empty
     * once the journal's person is erased. A plain event (written before pseudonyms) belongs to its journal's entity.
     */
    public static CompletionStage<Optional<Opened>> open(PersonKeys keys, String persistenceId, Object event) {
        if (!(event instanceof Sealed s)) {
            return CompletableFuture.completedFuture(
                    Optional.of(new Opened(PersistenceId.extractEntityId(persistenceId), event)));
        }
        return keys.secretOf(PersistenceId.extractEntityId(persistenceId))
                .thenApply(secret -> secret.map(k -> keys.seals().open(persistenceId, k, s)));
    }

    /** A tag query whose events come opened and named by their subjects; events of erased persons are skipped. */
    public static CurrentEventsByTagQuery byTag(PersonKeys keys, CurrentEventsByTagQuery journal) {
        return (tag, offset) -> journal.currentEventsByTag(tag, offset)
                .mapAsync(TAG_PARALLELISM, env -> open(keys, env))
                .filter(Optional::isPresent)
                .map(Optional::get);
    }

    /** Events of a tag opened at once (their keys looked up concurrently, their order kept). */
    public static final int TAG_PARALLELISM = 8;

    /** A query envelope as its subject's: opened, under {@code Shopper|<subject>}; empty once erased. */
    public static CompletionStage<Optional<EventEnvelope>> open(PersonKeys keys, EventEnvelope env) {
        return open(keys, env.persistenceId(), env.event())
                .thenApply(o -> o.map(opened -> new EventEnvelope(
                        env.offset(),
                        subjectId(opened.subject()),
                        env.sequenceNr(),
                        opened.value(),
                        env.timestamp(),
                        env.eventMetadata())));
    }
}

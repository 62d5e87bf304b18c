package io.kairos.privacy;

import akka.Done;
import akka.actor.typed.ActorSystem;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Each person's pseudonym and key: what crypto-shredding needs. A subject (a shopper id, or an identity such as
 * {@code email:…}) gets a random pseudonym, which names its journal ({@code Shopper|<pseudonym>}, never the subject),
 * and a random key ({@link PersonSecret}), under which its events and snapshots are sealed ({@link Seals}). Erasure
 * deletes both and remembers that the subject was erased, so the person cannot come back through any path that reaches
 * a shopper (ingestion over HTTP or Kafka, tracked links, backfills all do). A node keeps them in Cassandra
 * ({@link CassandraPersonKeys}); {@link MemoryPersonKeys} keeps them in memory, for tests and benchmarks.
 */
public interface PersonKeys {

    /** The node's key store (Cassandra). */
    static PersonKeys get(ActorSystem<?> system) {
        return CassandraPersonKeys.Id.INSTANCE.apply(system);
    }

    /** What a subject's journal is, if anything. */
    sealed interface Resolution {}

    /** Journal {@code Shopper|<pseudonym>}, sealed under {@code secret}. */
    record Pseudonymous(String pseudonym, PersonSecret secret) implements Resolution {}

    /**
     * A subject whose pseudonym and key this very lookup created ({@link #resolve}): nothing was ever written under the
     * new pseudonym, so its journal is empty and has no snapshot. Later lookups find it {@link Pseudonymous}.
     */
    record Created(Pseudonymous person) implements Resolution {}

    /** Journal {@code Shopper|<subject>} in plain form, written before pseudonyms. */
    record Legacy() implements Resolution {}

    /** Erased: nothing may be recorded about it again. */
    record Erased(Instant at) implements Resolution {}

    /** Never seen (only when asked not to create it). */
    record Unknown() implements Resolution {}

    /** A new pseudonym: 128 random bits, base64url without padding (22 characters, a short persistence id). */
    static String newPseudonym(SecureRandom random) {
        var bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** How values are sealed and opened. */
    Seals seals();

    /**
     * The journal of {@code subject}: its pseudonym and key, created (and stored) if it has none yet ({@link Created}
     * then).
     */
    CompletionStage<Resolution> resolve(String subject);

    /** As {@link #resolve}, but writes nothing: a subject never seen is {@link Unknown}. */
    CompletionStage<Resolution> find(String subject);

    /** The key of the journal named by {@code pseudonym}; empty once its person is erased. */
    CompletionStage<Optional<PersonSecret>> secretOf(String pseudonym);

    /**
     * The subject {@code pseudonym} stands for, for a store that names people by pseudonym (a delivery, a contact cap)
     * when it must reach the shopper; empty once its person is erased. Kept sealed under the person's key, so it goes
     * with the key.
     */
    CompletionStage<Optional<String>> subjectOf(String pseudonym);

    /**
     * How a read-side table that must not hold the subject names the person (a wake-up, a campaign outcome): by its
     * pseudonym, or, for a journal written before pseudonyms, by the subject as before; empty if it was erased (or
     * never seen). {@link #subjectNamed} turns the name back while the person is not erased.
     */
    default CompletionStage<Optional<String>> nameOf(String subject) {
        return find(subject).thenApply(r -> {
            if (r instanceof Pseudonymous p) return Optional.of(p.pseudonym());
            if (r instanceof Legacy) return Optional.of(subject);
            return Optional.<String>empty();
        });
    }

    /** The subject a name of {@link #nameOf} stands for; empty once its person is erased. */
    default CompletionStage<Optional<String>> subjectNamed(String name) {
        return subjectOf(name)
                .thenCompose(subject -> subject.isPresent()
                        ? CompletableFuture.completedFuture(subject)
                        : find(name)
                                .thenApply(r -> r instanceof Legacy ? Optional.of(name) : Optional.<String>empty()));
    }

    /**
     * Erases {@code subjects} (a person and every identity linked to it): their keys and pseudonyms go, each subject
     * stays known as erased, and a receipt is kept (who, when, the person's former pseudonym, how many identities went
     * with it).
     *
     * @param person the person's pseudonym for the receipt ({@code legacy} for a journal from before pseudonyms)
     * @param erasedBy the id of the API key that asked
     */
    CompletionStage<Done> erase(String person, List<String> subjects, String erasedBy, Instant at);
}

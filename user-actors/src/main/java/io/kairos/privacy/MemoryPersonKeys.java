package io.kairos.privacy;

import akka.Done;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PersonKeys} in one JVM's memory, for tests and benchmarks of sealed shoppers on the in-memory journal. Keys
 * the maps by subject itself (nothing here is stored); otherwise as {@link CassandraPersonKeys}: random pseudonyms and
 * keys, erasure remembered, no legacy journals.
 */
public final class MemoryPersonKeys implements PersonKeys {
    private final Seals seals;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Resolution> bySubject = new ConcurrentHashMap<>();
    private final Map<String, PersonSecret> byPseudonym = new ConcurrentHashMap<>();
    private final Map<String, String> whose = new ConcurrentHashMap<>();

    public MemoryPersonKeys(Seals seals) {
        this.seals = seals;
    }

    @Override
    public Seals seals() {
        return seals;
    }

    @Override
    public CompletionStage<Resolution> resolve(String subject) {
        var fresh = new Pseudonymous[1];
        var found = bySubject.computeIfAbsent(subject, s -> {
            var created = new Pseudonymous(PersonKeys.newPseudonym(random), PersonSecret.random(random));
            byPseudonym.put(created.pseudonym(), created.secret());
            whose.put(created.pseudonym(), subject);
            return fresh[0] = created;
        });
        return CompletableFuture.completedFuture(fresh[0] != null ? new Created(fresh[0]) : found);
    }

    @Override
    public CompletionStage<Resolution> find(String subject) {
        return CompletableFuture.completedFuture(bySubject.getOrDefault(subject, new Unknown()));
    }

    @Override
    public CompletionStage<Optional<PersonSecret>> secretOf(String pseudonym) {
        return CompletableFuture.completedFuture(Optional.ofNullable(byPseudonym.get(pseudonym)));
    }

    @Override
    public CompletionStage<Optional<String>> subjectOf(String pseudonym) {
        return CompletableFuture.completedFuture(Optional.ofNullable(whose.get(pseudonym)));
    }

    @Override
    public CompletionStage<Done> erase(String person, List<String> subjects, String erasedBy, Instant at) {
        for (var subject : subjects) {
            if (bySubject.put(subject, new Erased(at)) instanceof Pseudonymous p) {
                byPseudonym.remove(p.pseudonym());
                whose.remove(p.pseudonym());
            }
        }
        return CompletableFuture.completedFuture(Done.getInstance());
    }
}

package io.kairos.models.registry;

import java.util.List;
import java.util.Optional;

/**
 * Durable storage of model artifacts and of which version of each name is promoted (the one nodes should serve).
 * Storage-neutral: a directory today, Cassandra later. Versions are immutable: saving an existing (name, version)
 * fails. Implementations are thread-safe; promotion is atomic (a reader sees the old or the new version, never a mix).
 */
public interface ModelStore {
    /** Stores a new version. @throws IllegalStateException if that (name, version) already exists */
    void save(ModelArtifact artifact);

    /** Loads one version. @throws java.util.NoSuchElementException if it does not exist */
    ModelArtifact load(String name, String version);

    /** Metadata of every stored version, ordered by name then creation time. */
    List<ModelMetadata> list();

    /** The promoted version of {@code name}, if any. */
    Optional<String> promoted(String name);

    /**
     * Makes {@code version} the promoted one. Records the previous one so {@link #rollback} can return to it, and the
     * change with who made it ({@link #changes}), atomically with the promotion.
     *
     * @param actor who asks (see {@link ModelChange#actor()})
     * @throws java.util.NoSuchElementException if that version is not stored
     */
    void promote(String name, String version, String actor);

    /**
     * Re-promotes the version that was promoted before the current one, recording the change with who made it.
     *
     * @return the version now promoted
     * @throws IllegalStateException if there is no earlier promotion to return to
     */
    String rollback(String name, String actor);

    /**
     * Settles a promotion the learning loop has watched live ({@link io.kairos.models.learning.LiveComparison}): if
     * {@code version} is still the promoted version, either keeps it (records a {@link ModelChange#CONFIRM}) or returns
     * to what its promotion replaced (a {@link ModelChange#ROLLBACK}; when that was no version, none is promoted and
     * decisions use the safe rule). Atomic with respect to promotions and rollbacks.
     *
     * @return false, changing nothing, when {@code version} is no longer the promoted one (someone moved on)
     */
    boolean settle(String name, String version, boolean keep, String actor);

    /** The promotions and rollbacks of {@code name}, newest first (at most {@link ModelChange#KEPT}). */
    List<ModelChange> changes(String name);

    /** Adds a learning-loop run to the history of its model name. */
    void recordRun(TrainingRun run);

    /** The runs recorded for {@code name}, newest first, at most {@code limit}. */
    List<TrainingRun> runs(String name, int limit);

    /** The next integer version of {@code name}: one above the highest integer version stored (1 for a new name). */
    default String nextVersion(String name) {
        int max = list().stream()
                .filter(m -> m.name().equals(name))
                .map(ModelMetadata::version)
                .filter(v -> v.matches("\\d{1,9}"))
                .mapToInt(Integer::parseInt)
                .max()
                .orElse(0);
        return Integer.toString(max + 1);
    }
}

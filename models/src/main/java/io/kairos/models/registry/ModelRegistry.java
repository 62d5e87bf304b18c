package io.kairos.models.registry;

import io.kairos.models.demand.DemandModel;
import io.kairos.models.lifecycle.BgNbdModel;
import io.kairos.models.uplift.UpliftScorer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The models a node serves right now: one active version per model name, loaded from a {@link ModelStore} and
 * switchable at run time without restart.
 *
 * <p>Invariants: readers ({@link #uplift}, {@link #lifecycle}, {@link #demand}, {@link #active}) take no lock and
 * always see a complete model: activation loads and decodes the new version first and then swaps an immutable map in
 * one atomic step, so an actor mid-decision keeps the model object it already holds while later calls get the new one.
 * A version that fails to load or decode never becomes active (the old one stays). A replaced model that holds native
 * resources (an ONNX Runtime session) is closed {@link #RETIRE_AFTER} later, when no decision still uses it.
 */
public final class ModelRegistry {
    /** A served model and its metadata (for decisions to record name and version). */
    public record Active(ModelMetadata metadata, Object model) {}

    /**
     * A promotion by the learning loop that it has not settled yet ({@link ModelStore#settle}): while it lasts, a share
     * of decisions stays on what the promotion replaced, so the two can be compared live.
     *
     * @param version the promoted version
     * @param since when it was promoted
     * @param champion what it replaced: a loaded version, or null for the safe rule (no version was promoted)
     */
    public record Watch(String version, Instant since, Active champion) {}

    /** How long a replaced model stays open for the calls that took it before the swap. */
    public static final Duration RETIRE_AFTER = Duration.ofSeconds(60);

    private final ModelStore store;
    private final AtomicReference<Map<String, Active>> active = new AtomicReference<>(Map.of());
    private final AtomicReference<Map<String, Watch>> watches = new AtomicReference<>(Map.of());

    public ModelRegistry(ModelStore store) {
        this.store = store;
    }

    public ModelStore store() {
        return store;
    }

    /** Loads {@code version} of {@code name} from the store and makes it the active one. */
    public Active activate(String name, String version) {
        var loaded = load(name, version);
        swap(active, name, loaded);
        return loaded;
    }

    private Active load(String name, String version) {
        ModelArtifact artifact = store.load(name, version);
        return new Active(artifact.metadata(), ModelCodec.decode(artifact));
    }

    /** Puts (or with null removes) {@code name}'s entry in one atomic step and retires the model it replaced. */
    private static <T> void swap(AtomicReference<Map<String, T>> map, String name, T entry) {
        var before = map.getAndUpdate(current -> {
            var next = new HashMap<>(current);
            if (entry == null) next.remove(name);
            else next.put(name, entry);
            return Map.copyOf(next);
        });
        var replaced = before.get(name);
        var model = replaced instanceof Active a
                ? a.model()
                : replaced instanceof Watch w && w.champion() != null
                        ? w.champion().model()
                        : null;
        if (replaced != entry && model instanceof AutoCloseable closeable) retire(closeable);
    }

    /** Closes a model that holds native resources {@link #RETIRE_AFTER} from now, when no call still uses it. */
    public static void retire(AutoCloseable model) {
        CompletableFuture.delayedExecutor(RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    try {
                        model.close();
                    } catch (Exception e) {
                        // closing a retired session can only fail if it is already closed
                    }
                });
    }

    /**
     * Activates the store's promoted version of every promoted model whose active version differs (what a node runs at
     * start and whenever it is told that a promotion happened).
     *
     * @return how many models changed version
     */
    public int syncWithStore() {
        int changed = 0;
        var names = new java.util.TreeSet<String>();
        store.list().forEach(m -> names.add(m.name()));
        for (String name : names) {
            Optional<String> promoted = store.promoted(name);
            Active now = active.get().get(name);
            if (promoted.isEmpty()) {
                // never promoted, or the loop rolled its first promotion back: the safe rule decides
                if (now != null) {
                    swap(active, name, null);
                    changed++;
                }
                swap(watches, name, null);
                continue;
            }
            if (now == null || !now.metadata().version().equals(promoted.get())) {
                activate(name, promoted.get());
                changed++;
            }
            syncWatch(name, promoted.get());
        }
        return changed;
    }

    /** Keeps {@code name}'s watch in step with the store: there while its newest change is the loop's promotion. */
    private void syncWatch(String name, String promoted) {
        var changes = store.changes(name);
        var newest = changes.isEmpty() ? null : changes.get(0);
        if (newest == null || !newest.watched() || !promoted.equals(newest.version())) {
            swap(watches, name, null);
            return;
        }
        var watch = watches.get().get(name);
        if (watch != null && watch.version().equals(promoted) && watch.since().equals(newest.at())) return;
        var champion = newest.previous() == null ? null : load(name, newest.previous());
        swap(watches, name, new Watch(promoted, newest.at(), champion));
    }

    /** The unsettled promotion of {@code name} by the learning loop, if there is one. */
    public Optional<Watch> watch(String name) {
        return Optional.ofNullable(watches.get().get(name));
    }

    /** Promotes in the store and activates here in one call (the operator's "switch now"); {@code actor}: who asks. */
    public Active promote(String name, String version, String actor) {
        Active loaded = activate(name, version);
        store.promote(name, version, actor);
        return loaded;
    }

    /** Rolls the store's promotion back one step and activates that version; {@code actor}: who asks. */
    public Active rollback(String name, String actor) {
        String previous = store.rollback(name, actor);
        return activate(name, previous);
    }

    public Optional<Active> active(String name) {
        return Optional.ofNullable(active.get().get(name));
    }

    public Map<String, Active> activeModels() {
        return active.get();
    }

    public Optional<UpliftScorer> uplift(String name) {
        return typed(name, UpliftScorer.class);
    }

    public Optional<BgNbdModel> lifecycle(String name) {
        return typed(name, BgNbdModel.class);
    }

    public Optional<DemandModel> demand(String name) {
        return typed(name, DemandModel.class);
    }

    private <T> Optional<T> typed(String name, Class<T> type) {
        Active a = active.get().get(name);
        if (a == null) {
            return Optional.empty();
        }
        if (!type.isInstance(a.model())) {
            throw new IllegalStateException(
                    "model " + name + " is a " + a.metadata().kind() + " model, not " + type.getSimpleName());
        }
        return Optional.of(type.cast(a.model()));
    }
}

package io.kairos.modelserving;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.stream.alpakka.cassandra.CassandraSessionSettings;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kairos.audit.Rederivation;
import io.kairos.campaign.Campaign;
import io.kairos.models.demand.DemandModel;
import io.kairos.models.lifecycle.BgNbdModel;
import io.kairos.models.registry.CassandraModelStore;
import io.kairos.models.registry.DirectoryModelStore;
import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.ModelRegistry;
import io.kairos.models.registry.ModelStore;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionReplay;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.LifecycleModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The node's models: one {@link ModelRegistry} per node over the configured store (by default the Cassandra store every
 * node shares), kept in step with the store's promotions. A promotion made through this extension is announced on a
 * cluster pub-sub topic and every node re-syncs at once; a periodic sync catches anything else (a promotion from the
 * command line, a node that missed the announcement). Readers ({@link #uplift()}, …) never block: they get the version
 * active at the moment of the call. Store I/O and model decoding run on the blocking dispatcher.
 */
public final class ModelServing implements Extension {
    private static final Logger log = LoggerFactory.getLogger(ModelServing.class);

    /** Announced on the topic after a promotion or rollback: every node syncs with the store. */
    public record ModelsChanged(String name) implements CborSerializable {}

    private final ModelServingSettings settings;
    private final CompletableFuture<ModelRegistry> registry = new CompletableFuture<>();
    private final ExecutionContextExecutor blocking;
    private final ActorRef<Topic.Command<ModelsChanged>> topic;
    private final AtomicReference<LifecycleCache> lifecycleCache = new AtomicReference<>();

    /** How many stored versions re-derivations keep loaded besides the active ones. */
    static final int KEPT_VERSIONS = 4;

    private final AsyncCache<String, Optional<UpliftScorer>> versions = Caffeine.newBuilder()
            .maximumSize(KEPT_VERSIONS)
            .<String, Optional<UpliftScorer>>removalListener((key, model, cause) -> {
                if (model != null && model.orElse(null) instanceof AutoCloseable closeable)
                    ModelRegistry.retire(closeable);
            })
            .buildAsync();

    private ModelServing(ActorSystem<?> system) {
        this.settings = ModelServingSettings.create(system);
        this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        this.topic = system.systemActorOf(
                Topic.create(ModelsChanged.class, "kairos-models"),
                "kairosModelsTopic",
                akka.actor.typed.Props.empty());
        openStore(system)
                .thenAcceptAsync(
                        store -> {
                            registry.complete(new ModelRegistry(store));
                            sync("start");
                        },
                        blocking)
                .exceptionally(e -> {
                    log.error(
                            "Model store {} could not be opened; decisions use their fallback rules until it can",
                            settings.store(),
                            e);
                    registry.completeExceptionally(e);
                    return null;
                });
        var listener = system.systemActorOf(
                Behaviors.<ModelsChanged>receiveMessage(m -> {
                    sync("announced change of " + m.name());
                    return Behaviors.same();
                }),
                "kairosModelsListener",
                akka.actor.typed.Props.empty());
        topic.tell(Topic.subscribe(listener));
        system.scheduler()
                .scheduleAtFixedRate(
                        settings.syncInterval(), settings.syncInterval(), () -> sync("periodic"), blocking);
    }

    public static ModelServing get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    private CompletionStage<ModelStore> openStore(ActorSystem<?> system) {
        if (!settings.store().startsWith("cassandra")) {
            return CompletableFuture.completedFuture(new DirectoryModelStore(Path.of(settings.store())));
        }
        // "cassandra" or "cassandra://host:port/keyspace" (the CLI's form): the node always uses its own session, on
        // the
        // cluster the journal is on; a keyspace in the URI wins over kairos.models.keyspace.
        var path = settings.store().startsWith("cassandra://")
                ? java.net.URI.create(settings.store()).getPath()
                : null;
        var keyspace = path == null || path.length() <= 1 ? settings.keyspace() : path.substring(1);
        var session = CassandraSessionRegistry.get(system)
                .sessionFor(CassandraSessionSettings.create("akka.persistence.cassandra"));
        return session.underlying().thenApply(cql -> new CassandraModelStore(cql, keyspace));
    }

    private void sync(String why) {
        registry.thenAcceptAsync(
                r -> {
                    try {
                        int changed = r.syncWithStore();
                        if (changed > 0)
                            log.info(
                                    "Models synced with the store ({}): {} changed, active now {}",
                                    why,
                                    changed,
                                    r.activeModels().keySet());
                    } catch (RuntimeException e) {
                        log.warn("Model sync ({}) failed; the active versions stay as they were", why, e);
                    }
                },
                blocking);
    }

    /** Runs {@code work} against the registry (and its store) on the blocking dispatcher, once the store is open. */
    public <T> CompletionStage<T> withRegistry(java.util.function.Function<ModelRegistry, T> work) {
        return registry.thenApplyAsync(work, blocking);
    }

    /**
     * Promotes a version in the store, activates it here, and tells every node to sync; {@code actor}: who asks (the
     * store records it with the promotion).
     */
    public CompletionStage<ModelRegistry.Active> promote(String name, String version, String actor) {
        return withRegistry(r -> r.promote(name, version, actor)).thenApply(active -> announce(name, active));
    }

    /** Returns a model to the version promoted before the current one, here and on every node; {@code actor}: who. */
    public CompletionStage<ModelRegistry.Active> rollback(String name, String actor) {
        return withRegistry(r -> r.rollback(name, actor)).thenApply(active -> announce(name, active));
    }

    /**
     * Settles the learning loop's watched promotion of {@code version} ({@link ModelStore#settle}), here and on every
     * node; false when it was no longer the promoted version.
     */
    public CompletionStage<Boolean> settle(String name, String version, boolean keep, String actor) {
        return withRegistry(r -> {
                    boolean settled = r.store().settle(name, version, keep, actor);
                    r.syncWithStore();
                    return settled;
                })
                .thenApply(settled -> announce(name, settled));
    }

    /** Tells every node that {@code name} changed, and returns {@code result}. */
    private <T> T announce(String name, T result) {
        topic.tell(Topic.publish(new ModelsChanged(name)));
        return result;
    }

    private Optional<ModelRegistry> now() {
        return registry.isDone() && !registry.isCompletedExceptionally()
                ? Optional.of(registry.join())
                : Optional.empty();
    }

    /** The version of {@code name} active on this node right now, if any. Never blocks. */
    public Optional<ModelRegistry.Active> active(String name) {
        return now().flatMap(r -> r.active(name));
    }

    /** The active offer uplift model, if one is promoted and loaded. */
    public Optional<UpliftScorer> uplift() {
        return now().flatMap(r -> r.uplift(settings.upliftModel()));
    }

    /**
     * The uplift model that scores decision {@code decisionId}. While the learning loop watches its last promotion
     * ({@link ModelRegistry.Watch}), a share {@code kairos.learning.watch.champion-share} of decisions, drawn from the
     * decision's id (the same id always draws the same arm), stays on the champion the promotion replaced, a stored
     * version or the safe rule; the rest get the promoted model. Both are marked with their arm. Never blocks.
     */
    public OfferScoring.Pick upliftFor(String decisionId) {
        var registry = now();
        var model = registry.flatMap(r -> r.uplift(settings.upliftModel()));
        var watch = registry.flatMap(r -> r.watch(settings.upliftModel()))
                .filter(w -> settings.championShare() > 0)
                .orElse(null);
        if (watch == null) return OfferScoring.Pick.of(model);
        if (armDraw(decisionId) >= settings.championShare())
            return new OfferScoring.Pick(
                    model, LoggedDecision.PROMOTED, model.isEmpty() ? OfferScoring.NO_MODEL : null);
        var champion = watch.champion();
        return champion != null && champion.model() instanceof UpliftScorer scorer
                ? new OfferScoring.Pick(Optional.of(scorer), LoggedDecision.CHAMPION, null)
                : new OfferScoring.Pick(Optional.empty(), LoggedDecision.CHAMPION, OfferScoring.CHAMPION_SAFE_RULE);
    }

    /** A uniform draw in [0, 1) from a decision's id, independent of the exploration draw's seed. */
    static double armDraw(String decisionId) {
        var bits = java.util
                .UUID
                .nameUUIDFromBytes(("arm:" + decisionId).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
        return (bits >>> 11) * 0x1.0p-53;
    }

    /**
     * Any stored version of an uplift model, to re-derive the decisions it scored: the active model when it is that
     * version, else loaded from the store and kept among the last {@value #KEPT_VERSIONS} versions asked for (a
     * replaced one closes {@link ModelRegistry#RETIRE_AFTER} later). Empty when the store has no such version or it is
     * not an uplift model. Never blocks: loading runs on the blocking dispatcher.
     */
    public CompletionStage<Optional<UpliftScorer>> upliftVersion(String name, String version) {
        var active =
                active(name).filter(a -> a.metadata().version().equals(version)).map(ModelRegistry.Active::model);
        if (active.isPresent())
            return CompletableFuture.completedFuture(
                    active.filter(UpliftScorer.class::isInstance).map(UpliftScorer.class::cast));
        return versions.get(name + "\u0000" + version, (key, executor) -> withRegistry(r -> load(r, name, version))
                .toCompletableFuture());
    }

    private static Optional<UpliftScorer> load(ModelRegistry registry, String name, String version) {
        try {
            var model = ModelCodec.decode(registry.store().load(name, version));
            if (model instanceof UpliftScorer scorer) return Optional.of(scorer);
            if (model instanceof AutoCloseable closeable) ModelRegistry.retire(closeable);
            return Optional.empty();
        } catch (java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }

    /**
     * Re-derives a recorded offer decision ({@link DecisionReplay}) with the model version its record names: the active
     * one, or that version loaded from the store. Scoring runs on the blocking dispatcher.
     *
     * @param campaigns a campaign's definition by id
     */
    public CompletionStage<Rederivation.Result> replay(
            StoredDecision d, Function<String, Optional<Campaign>> campaigns, OfferSettings offers) {
        var scoring = d.record() == null ? null : d.record().scoring();
        CompletionStage<Optional<UpliftScorer>> model =
                scoring != null && "model".equals(scoring.source()) && scoring.model() != null
                        ? upliftVersion(scoring.model().name(), scoring.model().version())
                        : CompletableFuture.completedFuture(Optional.empty());
        // Only a model holds native resources and takes time: the safe rule and holdouts replay where they are.
        return scoring != null && "model".equals(scoring.source())
                ? model.thenApplyAsync(scorer -> DecisionReplay.replay(d, scorer, campaigns, offers), blocking)
                : model.thenApply(scorer -> DecisionReplay.replay(d, scorer, campaigns, offers));
    }

    public Optional<BgNbdModel> lifecycle() {
        return now().flatMap(r -> r.lifecycle(settings.lifecycleModel()));
    }

    /**
     * The active lifecycle model with the time unit it was fitted in (its {@code timeUnitDays} property, written by
     * {@code train bgnbd --time-unit-days}; 7 days, CDNOW's weeks, for artifacts without a usable one). Never blocks.
     * Shopper actors ask on every command, so the result is kept until another version becomes active.
     */
    public Optional<LifecycleModel> lifecycleModel() {
        var active = active(settings.lifecycleModel()).orElse(null);
        var cached = lifecycleCache.get();
        if (cached != null && cached.active() == active) return cached.model();
        var model = Optional.ofNullable(active)
                .filter(a -> a.model() instanceof BgNbdModel)
                .map(ModelServing::lifecycleOf);
        lifecycleCache.set(new LifecycleCache(active, model));
        return model;
    }

    private static LifecycleModel lifecycleOf(ModelRegistry.Active a) {
        double days = 7;
        try {
            double declared = Double.parseDouble(a.metadata().properties().getOrDefault("timeUnitDays", "7"));
            if (declared > 0) days = declared;
        } catch (NumberFormatException e) {
            // artifacts written before the property existed say "as in the training summary": CDNOW's weeks
        }
        return new LifecycleModel(
                (BgNbdModel) a.model(),
                Duration.ofMillis(Math.round(days * 86_400_000d)),
                a.metadata().version());
    }

    /** The lifecycle model derived from one active registry entry (null: none active). */
    private record LifecycleCache(ModelRegistry.Active active, Optional<LifecycleModel> model) {}

    public Optional<DemandModel> demand() {
        return now().flatMap(r -> r.demand(settings.demandModel()));
    }

    public ModelServingSettings settings() {
        return settings;
    }

    /** The extension's id. */
    public static final class Id extends ExtensionId<ModelServing> {
        static final Id INSTANCE = new Id();

        private Id() {}

        @Override
        public ModelServing createExtension(ActorSystem<?> system) {
            return new ModelServing(system);
        }
    }

    /** The {@code kairos.models} configuration. */
    public record ModelServingSettings(
            String store,
            String keyspace,
            Duration syncInterval,
            String upliftModel,
            String lifecycleModel,
            String demandModel,
            double championShare) {
        static ModelServingSettings create(ActorSystem<?> system) {
            var c = system.settings().config().getConfig("kairos.models");
            return new ModelServingSettings(
                    c.getString("store"),
                    c.getString("keyspace"),
                    c.getDuration("sync-interval"),
                    c.getString("uplift-model"),
                    c.getString("lifecycle-model"),
                    c.getString("demand-model"),
                    system.settings().config().getDouble("kairos.learning.watch.champion-share"));
        }
    }
}

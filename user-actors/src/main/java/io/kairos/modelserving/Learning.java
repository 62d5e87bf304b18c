package io.kairos.modelserving;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import com.typesafe.config.Config;
import io.kairos.metrics.KairosMetrics;
import io.kairos.models.learning.LearningLoop;
import io.kairos.models.learning.LoopSettings;
import io.kairos.models.registry.ModelStore;
import io.kairos.models.registry.TrainingRun;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.OfferSettings;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.JournalDecisionLog;
import io.kairos.shopper.ShopperJournal;
import io.kairos.time.NodeClock;
import io.kairos.time.SimulatedClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning loop in the cluster: one instance (a cluster singleton, on the nodes of {@code kairos.learning.role}
 * when it names one) that runs {@link LearningLoop} for the uplift model every {@code kairos.learning.interval}, and
 * when an operator asks ({@code POST /v1/models/{name}/train}). A run reads the journal's decisions, trains on the
 * learning dispatcher (one thread, never a decision's), and promotes through {@link ModelServing} (every node switches
 * without restart). One run at a time; a run asked for while another goes is refused. Every run is in the model's
 * history; a failed one is logged at ERROR.
 */
public final class Learning {
    private static final Logger log = LoggerFactory.getLogger(Learning.class);

    /** What the singleton is told. */
    public sealed interface Command {}

    /**
     * An operator's run, now; {@code excludedFeatures} are features the challenger must not use, {@code actor} the id
     * of the API key that asked (recorded in the run).
     */
    public record RunNow(List<String> excludedFeatures, String actor, ActorRef<RunAccepted> replyTo)
            implements Command, CborSerializable {}

    /** Whether a run started, and if not, why. */
    public record RunAccepted(boolean started, String detail) implements CborSerializable {}

    private enum Tick implements Command {
        INSTANCE
    }

    private record Finished(TrainingRun run, Throwable failure) implements Command {}

    /**
     * The {@code kairos.learning} settings.
     *
     * @param scheduled whether runs start by themselves every {@code interval} (operators can always start one)
     * @param role the cluster role of the nodes that may run the loop; empty: any node
     */
    public record LearningSettings(
            boolean scheduled,
            Duration initialDelay,
            Duration interval,
            String role,
            String dispatcher,
            Duration readTimeout,
            int readRate,
            LoopSettings loop) {
        public static LearningSettings create(ActorSystem<?> system) {
            var c = system.settings().config().getConfig("kairos.learning");
            return fromConfig(c, ModelServing.get(system).settings().upliftModel());
        }

        static LearningSettings fromConfig(Config c, String model) {
            var b = c.getConfig("boosting");
            var loop = new LoopSettings(
                    model,
                    c.getDuration("lookback"),
                    c.getDouble("evaluation-share"),
                    c.getInt("min-training-decisions"),
                    c.getInt("min-evaluation-decisions"),
                    c.getDouble("min-improvement"),
                    c.getInt("bootstrap-resamples"),
                    UpliftDesign.valueOf(c.getString("design").toUpperCase().replace('-', '_')),
                    new BoostingParams(
                            b.getInt("rounds"),
                            b.getInt("max-depth"),
                            b.getDouble("eta"),
                            b.getDouble("min-child-weight"),
                            b.getDouble("subsample"),
                            b.getDouble("lambda"),
                            b.getLong("seed")),
                    Set.copyOf(c.getStringList("excluded-features")),
                    c.getDouble("watch.champion-share"),
                    c.getInt("watch.min-decisions-per-arm"));
            return new LearningSettings(
                    c.getBoolean("scheduled"),
                    c.getDuration("initial-delay"),
                    c.getDuration("interval"),
                    c.getString("role"),
                    c.getString("dispatcher"),
                    c.getDuration("read-timeout"),
                    c.getInt("read-rate"),
                    loop);
        }
    }

    private Learning() {}

    /**
     * Starts the singleton (on every node: Akka runs it on the oldest node of the role) and returns its proxy.
     *
     * @param decisions the decision log the loop reads
     */
    public static ActorRef<Command> init(ActorSystem<?> system, JournalDecisionLog decisions) {
        var settings = LearningSettings.create(system);
        var models = ModelServing.get(system);
        var safeRule = OfferSettings.create(system).safeRule();
        var singletonSettings = ClusterSingletonSettings.create(system);
        if (!settings.role().isEmpty()) singletonSettings = singletonSettings.withRole(settings.role());
        var behavior = Behaviors.supervise(create(settings, models, decisions, safeRule))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(5), Duration.ofMinutes(5), 0.2));
        return ClusterSingleton.get(system)
                .init(SingletonActor.of(behavior, "kairos-learning").withSettings(singletonSettings));
    }

    private static Behavior<Command> create(
            LearningSettings settings,
            ModelServing models,
            JournalDecisionLog decisions,
            OfferSettings.SafeRule safeRule) {
        return Behaviors.setup(ctx -> {
            Executor executor =
                    ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(settings.dispatcher()));
            var name = settings.loop().model();
            var clock = NodeClock.get(ctx.getSystem()).clock();
            Supplier<CompletionStage<LearningLoop>> loop = () -> loop(models, decisions, safeRule, name, clock);
            var schedule = new Schedule(clock, clock.instant().plus(settings.initialDelay()), settings.interval());
            return Behaviors.withTimers(timers -> {
                if (settings.scheduled())
                    timers.startTimerWithFixedDelay(
                            Tick.INSTANCE,
                            NodeClock.timerDelay(clock, settings.initialDelay()),
                            NodeClock.timerDelay(clock, settings.interval()));
                return idle(ctx.getSelf(), loop, settings, executor, schedule);
            });
        });
    }

    private static Behavior<Command> idle(
            ActorRef<Command> self,
            Supplier<CompletionStage<LearningLoop>> loop,
            LearningSettings settings,
            Executor executor,
            Schedule schedule) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Tick.INSTANCE, () -> {
                    if (!schedule.due()) return Behaviors.same();
                    start(self, loop, settings.loop(), "schedule", null, executor);
                    return running(self, loop, settings, executor, schedule);
                })
                .onMessage(RunNow.class, r -> {
                    start(
                            self,
                            loop,
                            settings.loop().alsoExcluding(r.excludedFeatures()),
                            "operator",
                            r.actor(),
                            executor);
                    r.replyTo()
                            .tell(new RunAccepted(
                                    true, "a run of " + settings.loop().model() + " started"));
                    return running(self, loop, settings, executor, schedule);
                })
                .onMessage(Finished.class, f -> Behaviors.same())
                .build();
    }

    private static Behavior<Command> running(
            ActorRef<Command> self,
            Supplier<CompletionStage<LearningLoop>> loop,
            LearningSettings settings,
            Executor executor,
            Schedule schedule) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Tick.INSTANCE, Behaviors::same) // the next tick comes after this run
                .onMessage(RunNow.class, r -> {
                    r.replyTo()
                            .tell(new RunAccepted(
                                    false, "a run of " + settings.loop().model() + " is going on"));
                    return Behaviors.same();
                })
                .onMessage(Finished.class, f -> {
                    report(f);
                    return idle(self, loop, settings, executor, schedule);
                })
                .build();
    }

    /**
     * When a scheduled run is due. On the system clock every tick is one (the timer keeps the interval); a simulated
     * clock moves by jumps and the timer only looks at it, so a run is due once the clock passed the next run's time.
     */
    private static final class Schedule {
        private final Clock clock;
        private final Duration interval;
        private Instant next;

        Schedule(Clock clock, Instant first, Duration interval) {
            this.clock = clock;
            this.next = first;
            this.interval = interval;
        }

        boolean due() {
            if (!(clock instanceof SimulatedClock)) return true;
            var now = clock.instant();
            if (now.isBefore(next)) return false;
            next = now.plus(interval);
            return true;
        }
    }

    private static void start(
            ActorRef<Command> self,
            Supplier<CompletionStage<LearningLoop>> loop,
            LoopSettings s,
            String trigger,
            String requestedBy,
            Executor executor) {
        loop.get()
                .thenApplyAsync(l -> l.run(s, trigger, requestedBy), executor)
                .whenComplete((run, failure) -> self.tell(new Finished(run, failure)));
    }

    private static void report(Finished f) {
        if (f.failure() != null) {
            log.error("Learning: the run could not be recorded", f.failure());
            return;
        }
        var run = f.run();
        KairosMetrics.LEARNING_RUNS.labelValues(run.model(), run.verdict()).inc();
        KairosMetrics.LEARNING_LAST_RUN
                .labelValues(run.model())
                .set(run.finishedAt().toEpochMilli() / 1000.0);
        if (run.comparison() != null
                && run.comparison().difference() != null
                && !LearningLoop.LIVE.equals(run.comparison().estimator()))
            KairosMetrics.LEARNING_IMPROVEMENT
                    .labelValues(run.model())
                    .set(run.comparison().difference().estimate());
        if (TrainingRun.FAILED.equals(run.verdict()))
            log.error("Learning: run {} of {} failed: {}", run.id(), run.model(), run.reason());
        else log.info("Learning: run {} of {}: {} ({})", run.id(), run.model(), run.verdict(), run.reason());
    }

    /**
     * The decisions the loop learns from: the Cassandra journal's, final once the offers' outcome window has passed,
     * each tag read within {@code kairos.learning.read-timeout}, one after another at {@code read-rate} events a second
     * (unthrottled on a simulated clock: a simulator compresses weeks into minutes, and its runs must keep up).
     */
    public static JournalDecisionLog journalDecisions(ActorSystem<?> system) {
        var settings = LearningSettings.create(system);
        var clock = NodeClock.get(system);
        return ShopperJournal.decisionLog(
                        system, OfferSettings.create(system).outcomeWindow(), clock.clock(), settings.readTimeout())
                .withReadRate(clock.simulated().isPresent() ? 0 : settings.readRate());
    }

    /**
     * A learning loop on model serving's store (it opens asynchronously; each run builds its loop on it), whose
     * champion is what serving has active (the safe rule when nothing is) and whose promotions go through serving
     * (announced to every node in the cluster; a process outside it promotes in the store, which nodes re-read every
     * {@code kairos.models.sync-interval}).
     */
    public static CompletionStage<LearningLoop> loop(
            ModelServing models,
            JournalDecisionLog decisions,
            OfferSettings.SafeRule safeRule,
            String name,
            Clock clock) {
        return models.withRegistry(r -> new LearningLoop(
                decisions,
                decisions.withNoOfferDecisions(),
                r.store(),
                () -> champion(models, name, safeRule),
                new LearningLoop.Promoter() {
                    @Override
                    public void promote(String model, String version) {
                        models.promote(model, version, LearningLoop.ACTOR)
                                .toCompletableFuture()
                                .join();
                    }

                    @Override
                    public boolean settle(ModelStore store, String model, String version, boolean keep) {
                        return models.settle(model, version, keep, LearningLoop.ACTOR)
                                .toCompletableFuture()
                                .join();
                    }
                },
                clock,
                line -> log.info("Learning: {}", line)));
    }

    /** The model deciding now: the active version, or the safe rule when none is loaded. */
    public static LearningLoop.Champion champion(ModelServing models, String name, OfferSettings.SafeRule safeRule) {
        var active = models.active(name).filter(a -> a.model() instanceof UpliftScorer);
        if (active.isPresent()) {
            var a = active.get();
            return new LearningLoop.Champion(name + "@" + a.metadata().version(), (UpliftScorer) a.model());
        }
        return new LearningLoop.Champion(OfferSettings.SafeRule.NAME + "@" + safeRule.version(), safeRule.scorer());
    }
}

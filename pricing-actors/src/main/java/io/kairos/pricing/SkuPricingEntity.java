package io.kairos.pricing;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import io.kairos.entity.EntitySettings;
import io.kairos.entity.KairosEntity;
import io.kairos.metrics.KairosMetrics;
import io.kairos.pricing.SkuCommand.*;
import io.kairos.pricing.SkuPricingState.Priced;
import io.kairos.pricing.SkuPricingState.Unconfigured;
import io.kairos.serialization.CborSerializable;
import io.kairos.time.NodeClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One SKU's price: it learns demand at the price in force and reprices within the operator's guardrails, one price for
 * every shopper.
 *
 * <p>Time only enters through commands ({@link Reprice#now()}, {@link Configure#at()}, observation times) or, for the
 * production timer's {@link Tick}, through the injected clock: the simulator runs the same entity on a simulated clock.
 * In production a per-entity timer ticks every {@code reprice-timer.tick-interval} and the entity reprices when its
 * cadence is due; SKUs are few, so they are remembered entities that sharding keeps alive and restarts.
 *
 * <p>Invariants: the price in force is always legal for the current config (a config change that makes it illegal moves
 * it to the nearest legal price at once, reason CONFIG, exempt from the step and cadence rules); a repricing moves it
 * at most maxStep and happens at most once per cadence; every change is a {@link PriceChanged} carrying its whole
 * {@link PriceDecision}, and replay applies recorded decisions without running a policy.
 */
public final class SkuPricingEntity extends KairosEntity<SkuCommand, SkuPricingEntity.Event, SkuPricingState> {

    public static final EntityTypeKey<SkuCommand> ENTITY_KEY = SkuCommand.ENTITY_KEY;

    // --- protocol -------------------------------------------------------------------------------------------------

    public sealed interface Event extends CborSerializable {
        String sku();
    }

    /**
     * The configuration in force from {@code at}, with the demand prior resolved; {@code actor}: the id of the API key
     * that set it (null in events recorded before it was kept).
     */
    public record Configured(String sku, SkuConfig config, Instant at, String actor) implements Event {}

    /** The price changed at {@code validFrom}; {@code previousPrice} is empty for the first price. */
    public record PriceChanged(
            String sku,
            Instant validFrom,
            Optional<BigDecimal> previousPrice,
            BigDecimal price,
            BigDecimal lowestPrice30d,
            PriceDecision decision)
            implements Event {}

    /** A repricing decision that kept the price (it still restarts the cadence and teaches Q-learning). */
    public record PriceHeld(String sku, PriceDecision decision) implements Event {}

    /**
     * Demand recorded at the prices in force when it happened.
     *
     * @param earlier demand dated before the SKU's configuration, at its list price: it teaches the demand estimate but
     *     neither counts down the inventory nor belongs to the period since the last decision (empty in journals
     *     written before it was counted)
     */
    public record DemandRecorded(String sku, List<DemandBook.Recorded> observations, List<DemandBook.Recorded> earlier)
            implements Event {

        public DemandRecorded {
            observations = List.copyOf(observations);
            earlier = earlier == null ? List.of() : List.copyOf(earlier);
        }
    }

    // --- wiring -----------------------------------------------------------------------------------------------------

    /**
     * What an entity depends on besides its id.
     *
     * @param shard the sharding shard, to passivate an entity that was never configured; empty outside sharding
     */
    public record Env(
            PricingSettings settings,
            Clock clock,
            DemandPriors priors,
            PricePublisher publisher,
            Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {}

    public static void init(ActorSystem<?> system) {
        var settings = PricingSettings.create(system);
        init(system, DemandPriors.constant(settings.defaultPrior()));
    }

    /** Starts sharding of SKU entities with the given prior source (the models module's demand model, once wired). */
    public static void init(ActorSystem<?> system, DemandPriors priors) {
        var settings = PricingSettings.create(system);
        var view = PriceView.get(system);
        var sharding = ClusterShardingSettings.create(system)
                .withRememberEntities(true)
                .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
        ClusterSharding.get(system)
                .init(Entity.of(
                                ENTITY_KEY,
                                ctx -> create(
                                        ctx.getEntityId(),
                                        tagFor(ctx.getEntityId(), settings.tags()),
                                        new Env(
                                                settings,
                                                NodeClock.get(system).clock(),
                                                priors,
                                                view,
                                                Optional.of(ctx.getShard()))))
                        .withSettings(sharding));
    }

    public static Behavior<SkuCommand> create(String sku, String tag, Env env) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            if (env.settings().repriceTimer())
                timers.startTimerWithFixedDelay(
                        Tick.INSTANCE,
                        NodeClock.timerDelay(env.clock(), env.settings().tickInterval()));
            return new SkuPricingEntity(ctx, sku, tag, env);
        }));
    }

    public static String tagFor(String sku, int tags) {
        return "sku-" + Math.abs(sku.hashCode() % tags);
    }

    /** A decision's id names its SKU and the sequence number of its event, so an audit can read it from the journal. */
    public static String decisionId(String sku, long sequenceNr) {
        return "price:" + sku + ":" + sequenceNr;
    }

    // --- behaviour --------------------------------------------------------------------------------------------------

    private final ActorContext<SkuCommand> context;
    private final String sku;
    private final String tag;
    private final Env env;
    private final Decisions decisions;

    private SkuPricingEntity(ActorContext<SkuCommand> context, String sku, String tag, Env env) {
        super(ENTITY_KEY.name(), sku, env.settings().entity());
        this.context = context;
        this.sku = sku;
        this.tag = tag;
        this.env = env;
        this.decisions = new Decisions(sku, env.settings());
    }

    @Override
    public SkuPricingState emptyState() {
        return new Unconfigured();
    }

    @Override
    protected EntitySettings entitySettings() {
        return env.settings().entity();
    }

    @Override
    protected void commands(CommandHandlerWithReplyBuilder<SkuCommand, Event, SkuPricingState> builder) {
        builder.forStateType(Unconfigured.class)
                .onCommand(Configure.class, this::onFirstConfigure)
                .onCommand(
                        GetSku.class,
                        c -> unconfigured(
                                c.replyTo(),
                                new SkuStatus(sku, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0)))
                .onCommand(GetPrice.class, c -> unconfigured(c.replyTo(), new PriceReply(Optional.empty())))
                .onCommand(
                        GetPriceHistory.class,
                        c -> unconfigured(c.replyTo(), new PriceHistory(sku, false, List.of(), false)))
                .onCommand(GetDecision.class, c -> unconfigured(c.replyTo(), new DecisionReply(Optional.empty())))
                .onCommand(
                        RecordDemand.class,
                        c -> unconfigured(
                                c.replyTo(),
                                new DemandAck(0, 0, 0, c.observations().size())))
                .onCommand(
                        Reprice.class,
                        c -> unconfigured(
                                c.replyTo(),
                                new RepriceResult(Outcome.NOT_CONFIGURED, Optional.empty(), Optional.empty())))
                .onCommand(
                        Tick.class,
                        c -> Effect().none().thenRun(s -> passivate()).thenNoReply());
        builder.forStateType(Priced.class)
                .onCommand(Configure.class, this::onConfigure)
                .onCommand(GetSku.class, (s, c) -> Effect().reply(c.replyTo(), status(s)))
                .onCommand(
                        GetPrice.class, (s, c) -> Effect().reply(c.replyTo(), new PriceReply(Optional.of(s.quote()))))
                .onCommand(GetPriceHistory.class, (s, c) -> Effect()
                        .reply(
                                c.replyTo(),
                                new PriceHistory(
                                        sku, true, s.historyBetween(c.from(), c.to()), s.historyCovers(c.from()))))
                .onCommand(GetDecision.class, (s, c) -> Effect()
                        .reply(c.replyTo(), new DecisionReply(s.decision(c.decisionId()))))
                .onCommand(RecordDemand.class, this::onRecordDemand)
                .onCommand(Reprice.class, this::onReprice)
                .onCommand(Tick.class, this::onTick);
    }

    private ReplyEffect<Event, SkuPricingState> onFirstConfigure(Configure c) {
        var errors = c.config().validate(env.settings().minRepriceEvery());
        if (!errors.isEmpty())
            return Effect().reply(c.replyTo(), new ConfigRejected(ConfigRejection.INVALID_CONFIG, errors));
        var config = resolvePrior(c.config());
        var initial = decisions.initial(config, c.at(), nextSequenceNr() + 1);
        return Effect()
                .persist(List.of(new Configured(sku, config, c.at(), c.actor()), initial))
                .thenRun(after -> counted(List.of(initial)))
                .thenRun(this::publish)
                .thenReply(c.replyTo(), s -> new ConfigAccepted(((Priced) s).quote()));
    }

    private ReplyEffect<Event, SkuPricingState> onConfigure(Priced s, Configure c) {
        var errors = c.config().validate(env.settings().minRepriceEvery());
        if (!errors.isEmpty())
            return Effect().reply(c.replyTo(), new ConfigRejected(ConfigRejection.INVALID_CONFIG, errors));
        var config = resolvePrior(c.config());
        Event configured = new Configured(sku, config, c.at(), c.actor());
        var events = decisions
                .correction(s, config, c.at(), nextSequenceNr() + 1)
                .<List<Event>>map(change -> List.of(configured, change))
                .orElse(List.of(configured));
        return Effect()
                .persist(events)
                .thenRun(after -> counted(events))
                .thenRun(this::publish)
                .thenReply(c.replyTo(), after -> new ConfigAccepted(((Priced) after).quote()));
    }

    private ReplyEffect<Event, SkuPricingState> onReprice(Priced s, Reprice c) {
        if (!s.due(c.now())) {
            return Effect()
                    .reply(c.replyTo(), new RepriceResult(Outcome.NOT_DUE, Optional.of(s.quote()), Optional.empty()));
        }
        var event = decisions.reprice(s, c.now(), nextSequenceNr(), hourOf(c.now()));
        var outcome = event instanceof PriceChanged ? Outcome.CHANGED : Outcome.HELD;
        var decision = Optional.of(event instanceof PriceChanged pc ? pc.decision() : ((PriceHeld) event).decision());
        return Effect()
                .persist(event)
                .thenRun(after -> counted(List.of(event)))
                .thenRun(after -> {
                    if (outcome == Outcome.CHANGED) publish(after);
                })
                .thenReply(
                        c.replyTo(),
                        after -> new RepriceResult(outcome, Optional.of(((Priced) after).quote()), decision));
    }

    private ReplyEffect<Event, SkuPricingState> onTick(Priced s, Tick t) {
        Instant now = env.clock().instant();
        if (!s.due(now)) return Effect().noReply();
        var event = decisions.reprice(s, now, nextSequenceNr(), hourOf(now));
        return Effect()
                .persist(event)
                .thenRun(after -> counted(List.of(event)))
                .thenRun(after -> {
                    if (event instanceof PriceChanged) publish(after);
                })
                .thenNoReply();
    }

    private ReplyEffect<Event, SkuPricingState> onRecordDemand(Priced s, RecordDemand c) {
        int ignored = 0;
        int duplicates = 0;
        int stale = 0;
        var seenInBatch = new HashSet<String>();
        var recorded = new ArrayList<DemandBook.Recorded>();
        var earlier = new ArrayList<DemandBook.Recorded>();
        for (var o : c.observations()) {
            if (!o.isValid()) {
                ignored++;
                continue;
            }
            if (!seenInBatch.add(o.eventId()) || s.demand().recentIds().contains(o.eventId())) {
                duplicates++;
                continue;
            }
            var price = s.priceAt(o.occurredAt());
            if (price.isPresent()) recorded.add(recorded(o, price.get()));
            else if (s.beforeFirstPrice(o.occurredAt())) earlier.add(recorded(o, s.listPrice()));
            else stale++;
        }
        var ack = new DemandAck(recorded.size() + earlier.size(), duplicates, stale, ignored);
        if (recorded.isEmpty() && earlier.isEmpty()) return Effect().reply(c.replyTo(), ack);
        return Effect().persist(new DemandRecorded(sku, recorded, earlier)).thenReply(c.replyTo(), after -> ack);
    }

    private DemandBook.Recorded recorded(DemandObservation o, BigDecimal price) {
        return new DemandBook.Recorded(
                o.eventId(),
                o.occurredAt(),
                hourOf(o.occurredAt()),
                price,
                o.views(),
                o.addToCarts(),
                o.orders(),
                o.units());
    }

    private <R> ReplyEffect<Event, SkuPricingState> unconfigured(ActorRef<R> replyTo, R reply) {
        // A SKU nobody configured must not stay remembered by sharding: reply, then ask the shard to passivate it.
        return Effect().none().thenRun(s -> passivate()).thenReply(replyTo, s -> reply);
    }

    private void passivate() {
        env.shard().ifPresent(shard -> shard.tell(new ClusterSharding.Passivate<>(context.getSelf())));
    }

    private SkuConfig resolvePrior(SkuConfig config) {
        return config.prior().isPresent()
                ? config
                : config.withPrior(env.priors().priorFor(sku, config));
    }

    private long nextSequenceNr() {
        return lastSequenceNumber(context) + 1;
    }

    private int hourOf(Instant t) {
        return t.atZone(env.settings().timeZone()).getHour();
    }

    /**
     * Counts the price changes just persisted (never in the event handler: replay must not count again). Changes a
     * policy made count under its name; the first price and corrections forced by a new configuration are "manual".
     */
    private static void counted(List<Event> events) {
        for (var e : events) {
            if (e instanceof PriceChanged changed) {
                var d = changed.decision();
                var label =
                        d.reason() == PriceDecision.Reason.REPRICE ? d.policy().wireName() : "manual";
                KairosMetrics.PRICE_CHANGES.labelValues(label).inc();
            }
        }
    }

    private void publish(SkuPricingState state) {
        if (state instanceof Priced p) env.publisher().publish(p.quote());
    }

    /** What {@code GetSku} answers for a priced SKU (the audit's view of a SKU rebuilt as of a time, too). */
    public static SkuStatus status(Priced s) {
        return new SkuStatus(
                s.sku(),
                Optional.of(s.config()),
                Optional.of(s.quote()),
                Optional.of(s.lastDecisionAt()),
                s.demand().views(),
                s.demand().units());
    }

    @Override
    public EventHandler<SkuPricingState, Event> eventHandler() {
        return (state, event) -> state.apply(event, env.settings());
    }

    @Override
    public SignalHandler<SkuPricingState> signalHandler() {
        // Republish after recovery: after a restart or a rebalance the view learns the price without waiting for a
        // change.
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::publish)
                .build();
    }

    @Override
    public Set<String> tagsFor(Event event) {
        return Set.of(tag);
    }
}

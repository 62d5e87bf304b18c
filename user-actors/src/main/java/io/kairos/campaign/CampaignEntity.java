package io.kairos.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
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
import io.kairos.serialization.CborSerializable;
import io.kairos.time.NodeClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/**
 * One campaign, event-sourced and sharded by campaign id: the single writer of its budget.
 *
 * <p>Invariant: {@code spent ≤ budget} and {@code reserved ≤ k × (budget − spent)}, k the campaign's overbooking (1
 * unless set: then {@code reserved + spent ≤ budget}). Every command that moves money is checked against it in the
 * command handler before its event is persisted, and sharding runs at most one instance of the entity in the cluster,
 * so the invariant holds under any concurrency and across nodes. {@link Reserve}, {@link Commit}, {@link Release} and
 * {@link ReturnRedemption} are idempotent by offer id (and order id), so retries and duplicate deliveries move money at
 * most once.
 *
 * <p>Group commit: reservations are admitted one by one and written in batches, each answered once written, with any
 * other command stashed meanwhile ({@link AdmittedReservations}).
 *
 * <p>Expiry: the campaign releases a reservation itself once its offer's expiry plus {@code expiry-grace} has passed
 * (the shopper refuses to redeem an expired offer, and refusing a commit after the grace keeps the two consistent). It
 * sweeps on a timer; campaign entities are remembered entities, so sharding restarts them on any node and the sweep
 * survives restarts and rebalancing. Reservations leaked by a shopper that crashed between reserving and recording its
 * offer are released the same way. Finished ledger entries are compacted after {@code ledger-retention}; at most
 * {@code max-open-entries} are held (beyond that a reservation is refused with reason {@code capacity}), which bounds
 * the state and its snapshots.
 */
public final class CampaignEntity extends KairosEntity<CampaignEntity.Command, CampaignEntity.Event, CampaignState> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Campaign");
    private static final int SWEEP_BATCH = 1000;

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** {@code actor}: who creates it, the id of the operator's API key (recorded in the event). */
    public record Create(Campaign campaign, Instant at, String actor, ActorRef<CampaignReply> replyTo)
            implements Command {}

    /** Changes status and/or budget (null = unchanged; see DefinitionRules); {@code actor}: the operator key's id. */
    public record Update(
            CampaignStatus status, BigDecimal budget, Instant at, String actor, ActorRef<CampaignReply> replyTo)
            implements Command {}

    public record Get(Instant now, ActorRef<CampaignReply> replyTo) implements Command {}

    public record Reserve(
            String offerId, BigDecimal amount, Instant expiresAt, Instant at, ActorRef<ReserveReply> replyTo)
            implements Command {}

    public record Commit(String offerId, String orderId, BigDecimal actual, Instant at, ActorRef<SettleReply> replyTo)
            implements Command {}

    public record Release(String offerId, String reason, Instant at, ActorRef<SettleReply> replyTo)
            implements Command {}

    /** A cancelled order gives a redemption back; {@code reinstate} asks to hold the reservation again for reuse. */
    public record ReturnRedemption(
            String offerId, String orderId, boolean reinstate, Instant at, ActorRef<SettleReply> replyTo)
            implements Command {}

    /**
     * Part of a redemption given back by a partial refund of its order: {@code amount} of the committed discount (at
     * most what is left of it). Idempotent by {@code refundId}. The coupon stays redeemed; a refund of the whole order
     * is a {@link ReturnRedemption}.
     */
    public record RefundRedemption(
            String offerId,
            String orderId,
            String refundId,
            BigDecimal amount,
            Instant at,
            ActorRef<SettleReply> replyTo)
            implements Command {}

    /** Releases expired reservations and compacts the ledger; sent by the entity's timer ({@code now} null = clock). */
    public record Sweep(Instant now) implements Command {}

    /** Writes the reservations admitted since the last write; the entity sends it to itself. */
    private enum Flush implements Command {
        INSTANCE
    }

    public sealed interface CampaignReply extends CborSerializable {}

    public record CampaignFound(CampaignSnapshot campaign) implements CampaignReply {}

    public record CampaignUnknown(String campaignId) implements CampaignReply {}

    public record CampaignRejected(CampaignRejection reason, String detail) implements CampaignReply {}

    public sealed interface ReserveReply extends CborSerializable {}

    public record Reserved(String offerId, BigDecimal amount) implements ReserveReply {}

    public record ReserveRefused(String offerId, ReserveRefusal reason) implements ReserveReply {}

    /** Why a reservation was refused; the wire name is recorded in the decision's outcome ({@code refused:budget}). */
    public enum ReserveRefusal {
        UNKNOWN,
        PAUSED,
        NOT_RUNNING,
        BUDGET,
        PACING,
        CAPACITY,
        RELEASED,
        INVALID;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public sealed interface SettleReply extends CborSerializable {}

    public record Settled(String offerId, SettleOutcome outcome) implements SettleReply {}

    public enum SettleOutcome {
        COMMITTED,
        RELEASED,
        REINSTATED,
        /** Part of a committed redemption given back by a partial refund. */
        REFUNDED
    }

    public record SettleRefused(String offerId, SettleRefusal reason) implements SettleReply {}

    public enum SettleRefusal {
        UNKNOWN_OFFER,
        ALREADY_REDEEMED,
        EXCEEDS_RESERVATION,
        EXPIRED,
        RELEASED,
        RETURNED,
        REDEEMED,
        NOT_REDEEMED,
        /** An overbooked campaign's budget cannot pay the coupon any more: it released the reservation. */
        BUDGET;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The campaign holds no money for the offer any more: its coupon cannot be honoured. */
        public boolean moneyGone() {
            return this == RELEASED || this == EXPIRED || this == UNKNOWN_OFFER || this == BUDGET;
        }
    }

    /** A campaign event; every one records when it happened ({@code at}), the audit's business time. */
    public sealed interface Event extends CborSerializable {
        Instant at();
    }

    /** {@code actor}: the id of the API key that created it; null in events recorded before it was kept. */
    public record CampaignCreated(Campaign campaign, Instant at, String actor) implements Event {}

    /** {@code actor}: the id of the API key that changed it; null in events recorded before it was kept. */
    public record CampaignUpdated(CampaignStatus status, BigDecimal budget, Instant at, String actor)
            implements Event {}

    public record BudgetReserved(String offerId, BigDecimal amount, Instant expiresAt, Instant at) implements Event {}

    public record ReservationCommitted(String offerId, String orderId, BigDecimal actual, Instant at)
            implements Event {}

    public record ReservationReleased(String offerId, String reason, Instant at) implements Event {}

    public record RedemptionReturned(String offerId, String orderId, boolean reinstated, Instant at) implements Event {}

    public record RedemptionRefunded(String offerId, String orderId, String refundId, BigDecimal amount, Instant at)
            implements Event {}

    /**
     * Finished entries before {@code cutoff} forgotten, committed ones only if they expired before
     * {@code committedCutoff} (the refund window; absent in events written before it existed: the same cutoff).
     */
    public record LedgerCompacted(Instant cutoff, Instant at, Instant committedCutoff) implements Event {
        public LedgerCompacted {
            committedCutoff = committedCutoff == null ? cutoff : committedCutoff;
        }
    }

    // ---- wiring ----

    public static void init(ActorSystem<?> system, CampaignCatalogue catalogue) {
        var settings = CampaignSettings.create(system);
        var clock = NodeClock.get(system).clock();
        var sharding = ClusterShardingSettings.create(system)
                .withRememberEntities(true)
                .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
        ClusterSharding.get(system)
                .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, catalogue, clock))
                        .withSettings(sharding));
    }

    public static Behavior<Command> create(
            String campaignId, CampaignSettings settings, CampaignCatalogue catalogue, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(
                timers -> new CampaignEntity(campaignId, settings, catalogue, clock, ctx, timers)));
    }

    private final String campaignId;
    private final CampaignSettings settings;
    private final CampaignCatalogue catalogue;
    private final Clock clock;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    // What the catalogue was last told (the budget exhausted, the money left): budget events republish on a change.
    private Boolean publishedExhausted;
    private BigDecimal publishedMoneyLeft;
    private final AdmittedReservations admitted = new AdmittedReservations();

    private CampaignEntity(
            String campaignId,
            CampaignSettings settings,
            CampaignCatalogue catalogue,
            Clock clock,
            ActorContext<Command> context,
            TimerScheduler<Command> timers) {
        super(ENTITY_KEY.name(), campaignId, settings.entity());
        this.campaignId = campaignId;
        this.settings = settings;
        this.catalogue = catalogue;
        this.clock = clock;
        this.context = context;
        this.timers = timers;
    }

    @Override
    public CampaignState emptyState() {
        return CampaignState.EMPTY;
    }

    @Override
    protected EntitySettings entitySettings() {
        return settings.entity();
    }

    @Override
    public SignalHandler<CampaignState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::started)
                .build();
    }

    private void started(CampaignState s) {
        // A restart after a failure re-runs recovery on this same instance: nothing admitted before it was written.
        admitted.clear();
        if (!s.exists()) return;
        publish(s);
        timers.startTimerWithFixedDelay(
                "sweep", new Sweep(null), NodeClock.timerDelay(clock, settings.sweepInterval()));
    }

    // ---- commands ----

    @Override
    protected void commands(CommandHandlerWithReplyBuilder<Command, Event, CampaignState> builder) {
        builder.forAnyState()
                .onCommand(Reserve.class, this::onReserve)
                .onCommand(Flush.class, (s, c) -> flush())
                .onCommand(c -> admitted.waiting(), (s, c) -> Effect().stash())
                .onCommand(
                        Create.class,
                        (s, c) -> changed(
                                DefinitionRules.create(s, campaignId, c),
                                new CampaignCreated(c.campaign(), c.at(), c.actor()),
                                this::started,
                                c.replyTo()))
                .onCommand(
                        Update.class,
                        (s, c) -> changed(
                                DefinitionRules.update(s, campaignId, c),
                                new CampaignUpdated(c.status(), c.budget(), c.at(), c.actor()),
                                this::publish,
                                c.replyTo()))
                .onCommand(Get.class, (s, c) -> Effect()
                        .reply(c.replyTo(), s.exists() ? found(s) : new CampaignUnknown(campaignId)))
                .onCommand(Commit.class, (s, c) -> decided(BudgetRules.commit(s, c, settings), c.replyTo()))
                .onCommand(Release.class, (s, c) -> decided(BudgetRules.release(s, c), c.replyTo()))
                .onCommand(ReturnRedemption.class, (s, c) -> decided(BudgetRules.returnRedemption(s, c), c.replyTo()))
                .onCommand(RefundRedemption.class, (s, c) -> decided(BudgetRules.refundRedemption(s, c), c.replyTo()))
                .onCommand(Sweep.class, this::onSweep);
    }

    /**
     * A change of the definition: the reply that stands instead of it ({@link DefinitionRules}), else {@code event}
     * persisted, {@code then} run on the new state, and the campaign as it now is answered.
     */
    private ReplyEffect<Event, CampaignState> changed(
            java.util.Optional<CampaignReply> instead,
            Event event,
            akka.japi.function.Procedure<CampaignState> then,
            ActorRef<CampaignReply> replyTo) {
        return instead.map(reply -> Effect().reply(replyTo, reply))
                .orElseGet(() -> Effect().persist(event).thenRun(then).thenReply(replyTo, this::found));
    }

    /**
     * Admits a reservation against the state with every admitted reservation applied, and answers it once it is written
     * (a refusal or a duplicate too, so answers keep their order and none claims what is not yet written).
     */
    private ReplyEffect<Event, CampaignState> onReserve(CampaignState s, Reserve c) {
        var state = admitted.stateOr(s);
        var d = BudgetRules.reserve(state, c, settings);
        if (d.reply() instanceof ReserveRefused r)
            CampaignMetrics.refused(campaignId, r.reason().wireName());
        if (!admitted.waiting()) {
            if (d.event() == null) return Effect().reply(c.replyTo(), d.reply());
            context.getSelf().tell(Flush.INSTANCE);
        }
        return admitted.admit(state, d, c.replyTo()) >= settings.reservationBatch()
                ? flush()
                : Effect().noReply();
    }

    /** Writes the admitted reservations in one persist, answers them, and runs what waited for them. */
    private ReplyEffect<Event, CampaignState> flush() {
        if (!admitted.waiting()) return Effect().noReply(); // a batch already written when it was full
        var batch = admitted.drain();
        CampaignMetrics.reservationBatch(campaignId, batch.events().size());
        if (batch.events().isEmpty()) {
            return Effect()
                    .none()
                    .thenRun(st -> batch.answers().forEach(Runnable::run))
                    .thenNoReply()
                    .thenUnstashAll();
        }
        return Effect()
                .persist(batch.events())
                .thenRun(st -> batch.answers().forEach(Runnable::run))
                .thenRun(this::budgetChanged)
                .thenNoReply()
                .thenUnstashAll();
    }

    /** Persists what the budget rules decided (if anything), then answers. */
    private <R> ReplyEffect<Event, CampaignState> decided(BudgetRules.Decision<R> d, ActorRef<R> replyTo) {
        if (d.event() == null) return Effect().reply(replyTo, d.reply());
        return Effect().persist(d.event()).thenRun(this::budgetChanged).thenReply(replyTo, st -> d.reply());
    }

    private ReplyEffect<Event, CampaignState> onSweep(CampaignState s, Sweep c) {
        var events = BudgetRules.sweep(s, c.now() != null ? c.now() : clock.instant(), settings, SWEEP_BATCH);
        if (events.isEmpty()) return Effect().noReply();
        return Effect().persist(events).thenRun(this::budgetChanged).thenNoReply();
    }

    private CampaignReply found(CampaignState s) {
        return new CampaignFound(s.snapshot());
    }

    private void publish(CampaignState s) {
        publishedExhausted = exhausted(s);
        publishedMoneyLeft = s.moneyLeft();
        catalogue.publish(new CampaignView(
                s.definition(), s.status(), publishedExhausted, lastSequenceNumber(context), publishedMoneyLeft));
        CampaignMetrics.record(s);
    }

    /** After a budget event: metrics, and the catalogue when exhaustion flipped or the money left (if low) changed. */
    private void budgetChanged(CampaignState s) {
        CampaignMetrics.record(s);
        boolean flipped = publishedExhausted == null || publishedExhausted != exhausted(s);
        if (flipped || !java.util.Objects.equals(publishedMoneyLeft, s.moneyLeft())) publish(s);
    }

    private static boolean exhausted(CampaignState s) {
        return s.available().compareTo(s.definition().coupon().maxCost()) < 0;
    }

    // ---- events ----

    @Override
    public EventHandler<CampaignState, Event> eventHandler() {
        return CampaignState::apply;
    }
}

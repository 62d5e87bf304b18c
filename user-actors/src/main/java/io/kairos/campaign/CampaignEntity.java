package io.kairos.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.kairos.campaign.Ledger.Status;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One campaign, event-sourced and sharded by campaign id: the single writer of its budget.
 *
 * <p>Invariant: {@code reserved + spent ≤ budget}. Every command that moves money is checked against it in the command
 * handler before its event is persisted, and sharding runs at most one instance of the entity in the cluster, so the
 * invariant holds under any concurrency and across nodes. {@link Reserve}, {@link Commit}, {@link Release} and
 * {@link ReturnRedemption} are idempotent by offer id (and order id), so retries and duplicate deliveries move money at
 * most once.
 *
 * <p>Expiry: the campaign releases a reservation itself once its offer's expiry plus {@code expiry-grace} has passed
 * (the shopper refuses to redeem an expired offer, and refusing a commit after the grace keeps the two consistent). It
 * sweeps on a timer; campaign entities are remembered entities, so sharding restarts them on any node and the sweep
 * survives restarts and rebalancing. Reservations leaked by a shopper that crashed between reserving and recording its
 * offer are released the same way. Finished ledger entries are compacted after {@code ledger-retention}; at most
 * {@code max-open-entries} are held (beyond that a reservation is refused with reason {@code capacity}), which bounds
 * the state and its snapshots.
 */
public final class CampaignEntity
        extends EventSourcedBehaviorWithEnforcedReplies<CampaignEntity.Command, CampaignEntity.Event, CampaignState> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Campaign");
    private static final int SWEEP_BATCH = 1000;

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    public record Create(Campaign campaign, Instant at, ActorRef<CampaignReply> replyTo) implements Command {}

    /** Changes the status and/or the budget (null = unchanged). A budget below reserved + spent is refused. */
    public record Update(CampaignStatus status, BigDecimal budget, Instant at, ActorRef<CampaignReply> replyTo)
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

    /** Releases expired reservations and compacts the ledger; sent by the entity's timer ({@code now} null = clock). */
    public record Sweep(Instant now) implements Command {}

    public sealed interface CampaignReply extends CborSerializable {}

    public record CampaignFound(CampaignSnapshot campaign) implements CampaignReply {}

    public record CampaignUnknown(String campaignId) implements CampaignReply {}

    public enum RejectReason {
        INVALID,
        CONFLICT
    }

    public record CampaignRejected(RejectReason reason, String detail) implements CampaignReply {}

    public sealed interface ReserveReply extends CborSerializable {}

    public record Reserved(String offerId, BigDecimal amount) implements ReserveReply {}

    /** {@code reason}: unknown, paused, not-running, budget, pacing, capacity, released, invalid. */
    public record ReserveRefused(String offerId, String reason) implements ReserveReply {}

    public sealed interface SettleReply extends CborSerializable {}

    /** {@code outcome}: committed, released, reinstated. */
    public record Settled(String offerId, String outcome) implements SettleReply {}

    /**
     * {@code reason}: unknown-offer, already-redeemed, exceeds-reservation, expired, released, returned, redeemed,
     * not-redeemed.
     */
    public record SettleRefused(String offerId, String reason) implements SettleReply {}

    /** A campaign's definition and money as of a moment (the reply to {@link Get}). */
    public record CampaignSnapshot(
            Campaign definition,
            CampaignStatus status,
            BigDecimal budget,
            BigDecimal reserved,
            BigDecimal spent,
            long issued,
            long redeemed,
            long returned,
            long released,
            int openEntries)
            implements CborSerializable {}

    public sealed interface Event extends CborSerializable {}

    public record CampaignCreated(Campaign campaign, Instant at) implements Event {}

    public record CampaignUpdated(CampaignStatus status, BigDecimal budget, Instant at) implements Event {}

    public record BudgetReserved(String offerId, BigDecimal amount, Instant expiresAt, Instant at) implements Event {}

    public record ReservationCommitted(String offerId, String orderId, BigDecimal actual, Instant at)
            implements Event {}

    public record ReservationReleased(String offerId, String reason, Instant at) implements Event {}

    public record RedemptionReturned(String offerId, String orderId, boolean reinstated, Instant at) implements Event {}

    public record LedgerCompacted(Instant cutoff, Instant at) implements Event {}

    // ---- wiring ----

    public static void init(ActorSystem<?> system, CampaignCatalogue catalogue) {
        var settings = CampaignSettings.create(system);
        var sharding = ClusterShardingSettings.create(system)
                .withRememberEntities(true)
                .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
        ClusterSharding.get(system)
                .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, catalogue, Clock.systemUTC()))
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
    // Whether the catalogue was last told the budget is exhausted: budget events republish only when this flips.
    private Boolean publishedExhausted;

    private CampaignEntity(
            String campaignId,
            CampaignSettings settings,
            CampaignCatalogue catalogue,
            Clock clock,
            ActorContext<Command> context,
            TimerScheduler<Command> timers) {
        super(
                PersistenceId.of(ENTITY_KEY.name(), campaignId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
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
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public SignalHandler<CampaignState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::started)
                .build();
    }

    private void started(CampaignState s) {
        if (!s.exists()) return;
        publish(s);
        timers.startTimerWithFixedDelay("sweep", new Sweep(null), settings.sweepInterval());
    }

    // ---- commands ----

    @Override
    public CommandHandlerWithReply<Command, Event, CampaignState> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Create.class, this::onCreate)
                .onCommand(Update.class, this::onUpdate)
                .onCommand(Get.class, (s, c) -> Effect()
                        .reply(c.replyTo(), s.exists() ? found(s) : new CampaignUnknown(campaignId)))
                .onCommand(Reserve.class, this::onReserve)
                .onCommand(Commit.class, this::onCommit)
                .onCommand(Release.class, this::onRelease)
                .onCommand(ReturnRedemption.class, this::onReturn)
                .onCommand(Sweep.class, this::onSweep)
                .build();
    }

    private ReplyEffect<Event, CampaignState> onCreate(CampaignState s, Create c) {
        if (!c.campaign().campaignId().equals(campaignId)) {
            return Effect()
                    .reply(
                            c.replyTo(),
                            new CampaignRejected(RejectReason.INVALID, "campaign id does not match the entity"));
        }
        if (s.exists()) {
            // Re-sending the same definition is idempotent; another one under the same id is a conflict.
            return s.definition().equals(c.campaign())
                    ? Effect().reply(c.replyTo(), found(s))
                    : Effect()
                            .reply(
                                    c.replyTo(),
                                    new CampaignRejected(
                                            RejectReason.CONFLICT, "campaign " + campaignId + " already exists"));
        }
        return Effect()
                .persist(new CampaignCreated(c.campaign(), c.at()))
                .thenRun(this::started)
                .thenReply(c.replyTo(), this::found);
    }

    private ReplyEffect<Event, CampaignState> onUpdate(CampaignState s, Update c) {
        if (!s.exists()) return Effect().reply(c.replyTo(), new CampaignUnknown(campaignId));
        if (c.budget() != null && c.budget().compareTo(s.reserved().add(s.spent())) < 0) {
            return Effect()
                    .reply(
                            c.replyTo(),
                            new CampaignRejected(
                                    RejectReason.INVALID,
                                    "budget " + c.budget() + " is below what is reserved and spent ("
                                            + s.reserved().add(s.spent()) + ")"));
        }
        return Effect()
                .persist(new CampaignUpdated(c.status(), c.budget(), c.at()))
                .thenRun(this::publish)
                .thenReply(c.replyTo(), this::found);
    }

    private ReplyEffect<Event, CampaignState> onReserve(CampaignState s, Reserve c) {
        if (!s.exists()) return refuse(c, "unknown");
        var existing = s.ledger().get(c.offerId());
        if (existing.isPresent()) {
            var e = existing.get();
            return e.status() == Status.RELEASED
                    ? refuse(c, "released")
                    : Effect().reply(c.replyTo(), new Reserved(c.offerId(), e.amount()));
        }
        if (c.amount().signum() <= 0 || !c.expiresAt().isAfter(c.at())) return refuse(c, "invalid");
        if (s.status() != CampaignStatus.ACTIVE) return refuse(c, "paused");
        if (!s.definition().runsAt(c.at())) return refuse(c, "not-running");
        if (s.ledger().size() >= settings.maxOpenEntries()) return refuse(c, "capacity");
        var committed = s.reserved().add(s.spent()).add(c.amount());
        if (committed.compareTo(s.budget()) > 0) return refuse(c, "budget");
        if (committed.compareTo(Pacing.allowance(s.definition(), s.budget(), c.at(), settings.pacingInitialShare()))
                > 0) {
            return refuse(c, "pacing");
        }
        return Effect()
                .persist(new BudgetReserved(c.offerId(), c.amount(), c.expiresAt(), c.at()))
                .thenRun(this::budgetChanged)
                .thenReply(c.replyTo(), st -> new Reserved(c.offerId(), c.amount()));
    }

    private ReplyEffect<Event, CampaignState> refuse(Reserve c, String reason) {
        CampaignMetrics.refused(campaignId, reason);
        return Effect().reply(c.replyTo(), new ReserveRefused(c.offerId(), reason));
    }

    private ReplyEffect<Event, CampaignState> onCommit(CampaignState s, Commit c) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "unknown-offer"));
        var e = entry.get();
        return switch (e.status()) {
            case COMMITTED ->
                Effect()
                        .reply(
                                c.replyTo(),
                                c.orderId().equals(e.orderId())
                                        ? new Settled(c.offerId(), "committed")
                                        : new SettleRefused(c.offerId(), "already-redeemed"));
            case RELEASED -> Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "released"));
            case RESERVED -> {
                if (e.returnedOrders().contains(c.orderId()))
                    yield Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "returned"));
                if (c.actual().signum() < 0 || c.actual().compareTo(e.amount()) > 0) {
                    yield Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "exceeds-reservation"));
                }
                if (!c.at().isBefore(e.expiresAt().plus(settings.expiryGrace()))) {
                    yield Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "expired"));
                }
                yield Effect()
                        .persist(new ReservationCommitted(c.offerId(), c.orderId(), c.actual(), c.at()))
                        .thenRun(this::budgetChanged)
                        .thenReply(c.replyTo(), st -> new Settled(c.offerId(), "committed"));
            }
        };
    }

    private ReplyEffect<Event, CampaignState> onRelease(CampaignState s, Release c) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "unknown-offer"));
        return switch (entry.get().status()) {
            case RELEASED -> Effect().reply(c.replyTo(), new Settled(c.offerId(), "released"));
            case COMMITTED -> Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "redeemed"));
            case RESERVED ->
                Effect()
                        .persist(new ReservationReleased(c.offerId(), c.reason(), c.at()))
                        .thenRun(this::budgetChanged)
                        .thenReply(c.replyTo(), st -> new Settled(c.offerId(), "released"));
        };
    }

    private ReplyEffect<Event, CampaignState> onReturn(CampaignState s, ReturnRedemption c) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "unknown-offer"));
        var e = entry.get();
        if (e.returnedOrders().contains(c.orderId())) {
            // A duplicate: answer what was decided the first time.
            return Effect()
                    .reply(
                            c.replyTo(),
                            new Settled(c.offerId(), e.status() == Status.RELEASED ? "released" : "reinstated"));
        }
        if (e.status() != Status.COMMITTED || !c.orderId().equals(e.orderId())) {
            return Effect().reply(c.replyTo(), new SettleRefused(c.offerId(), "not-redeemed"));
        }
        // Holding the reservation again must itself respect the budget: the room the commit freed may be taken
        // meanwhile.
        var afterReturn = s.reserved().add(s.spent()).subtract(e.actual()).add(e.amount());
        boolean reinstate = c.reinstate() && c.at().isBefore(e.expiresAt()) && afterReturn.compareTo(s.budget()) <= 0;
        return Effect()
                .persist(new RedemptionReturned(c.offerId(), c.orderId(), reinstate, c.at()))
                .thenRun(this::budgetChanged)
                .thenReply(c.replyTo(), st -> new Settled(c.offerId(), reinstate ? "reinstated" : "released"));
    }

    private ReplyEffect<Event, CampaignState> onSweep(CampaignState s, Sweep c) {
        if (!s.exists()) return Effect().noReply();
        var now = c.now() != null ? c.now() : clock.instant();
        var events = new ArrayList<Event>();
        for (var e : s.ledger().reservedExpiredBy(now.minus(settings.expiryGrace()), SWEEP_BATCH)) {
            events.add(new ReservationReleased(e.offerId(), "expired", now));
        }
        var cutoff = now.minus(settings.ledgerRetention());
        if (s.ledger().compactedBefore(cutoff).size() < s.ledger().size()) events.add(new LedgerCompacted(cutoff, now));
        if (events.isEmpty()) return Effect().noReply();
        return Effect().persist(events).thenRun(this::budgetChanged).thenNoReply();
    }

    private CampaignReply found(CampaignState s) {
        return new CampaignFound(snapshot(s));
    }

    static CampaignSnapshot snapshot(CampaignState s) {
        return new CampaignSnapshot(
                s.definition(),
                s.status(),
                s.budget(),
                s.reserved(),
                s.spent(),
                s.issued(),
                s.redeemed(),
                s.returned(),
                s.released(),
                s.ledger().size());
    }

    private void publish(CampaignState s) {
        publishedExhausted = exhausted(s);
        catalogue.publish(
                new CampaignView(s.definition(), s.status(), publishedExhausted, lastSequenceNumber(context)));
        CampaignMetrics.record(s);
    }

    /** After a budget event: metrics, and the catalogue when the budget became exhausted or available again. */
    private void budgetChanged(CampaignState s) {
        CampaignMetrics.record(s);
        if (publishedExhausted == null || publishedExhausted != exhausted(s)) publish(s);
    }

    private static boolean exhausted(CampaignState s) {
        return s.available().compareTo(s.definition().coupon().maxCost()) < 0;
    }

    // ---- events ----

    @Override
    public EventHandler<CampaignState, Event> eventHandler() {
        return CampaignEntity::apply;
    }

    /** The one state transition function. */
    static CampaignState apply(CampaignState s, Event event) {
        if (event instanceof CampaignCreated e) return s.created(e.campaign());
        if (event instanceof CampaignUpdated e) return s.updated(e.status(), e.budget());
        if (event instanceof BudgetReserved e) return s.reserve(e.offerId(), e.amount(), e.expiresAt());
        if (event instanceof ReservationCommitted e) return s.commit(e.offerId(), e.orderId(), e.actual());
        if (event instanceof ReservationReleased e) return s.release(e.offerId(), e.at());
        if (event instanceof RedemptionReturned e) return s.returnRedemption(e.offerId(), e.reinstated(), e.at());
        if (event instanceof LedgerCompacted e) return s.compacted(e.cutoff());
        throw new IllegalStateException("unhandled event " + event.getClass().getName());
    }

    /**
     * Replays a campaign's events and returns every state on the way: what the journal check of the invariant reads.
     */
    public static List<CampaignState> replay(List<Event> events) {
        var states = new ArrayList<CampaignState>();
        var s = CampaignState.EMPTY;
        for (var e : events) {
            s = apply(s, e);
            states.add(s);
        }
        return states;
    }
}

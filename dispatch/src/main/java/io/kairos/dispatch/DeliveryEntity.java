package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import io.kairos.dispatch.DeliveryState.Status;
import io.kairos.entity.EntitySettings;
import io.kairos.entity.KairosEntity;
import io.kairos.metrics.KairosMetrics;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferStatus;
import io.kairos.privacy.PersonKeys;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperCommand;
import io.kairos.time.NodeClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The delivery ledger of one issued offer (sharded by offer id, remembered by sharding until its result is recorded):
 * it is scheduled once by the dispatch projection, then, when due, checks the shopper's consent, quiet hours, active
 * hour and the offer's expiry, takes a slot of the person's contact cap, chooses the channel and sends, and finally
 * reports the result to the shopper ({@code RecordDelivery}).
 *
 * <p>Invariants: every attempt is journalled ({@link AttemptStarted}) before the message leaves, and every attempt for
 * this offer carries the offer id as idempotency key, so a crash between sending and recording the result leads to a
 * resend with the same key, which the receiver recognises: exactly once in effect, at least once on the wire. Nothing
 * is sent inside quiet hours, without consent on the channel used, beyond the contact cap, or at or after the offer's
 * expiry. A final result ({@link DeliverySent} / {@link DeliveryAbandoned}) is never changed, and is reported to the
 * shopper until the shopper acknowledged it.
 */
public final class DeliveryEntity extends KairosEntity<DeliveryEntity.Command, DeliveryEntity.Event, DeliveryState> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Delivery");

    public sealed interface Command extends CborSerializable {}

    /**
     * From the projection: deliver {@code offer} to the person named by its pseudonym {@code person} (or, for a journal
     * written before pseudonyms, by its shopper id {@code personId}; the other is null). Answers once durably scheduled
     * (or known).
     */
    public record Schedule(String personId, String person, Offer offer, double margin, ActorRef<Done> replyTo)
            implements Command {}

    /** The final state, for tests and operators. */
    public record Get(ActorRef<DeliveryState> replyTo) implements Command {}

    enum Tick implements Command {
        INSTANCE
    }

    /** Asks the shopper again to record the final result (the last ask failed). */
    enum ReportAgain implements Command {
        INSTANCE
    }

    record Checked(ShopperCommand.ShopperReply shopper, String failure) implements Command {}

    record CapAnswered(Plan plan, Boolean granted, String failure) implements Command {}

    record Sent(Plan plan, String failure, boolean permanent) implements Command {}

    record Reported(String failure) implements Command {}

    /** What an attempt sends: the channel and the message. */
    record Plan(String channel, BigDecimal cost, Message message) implements CborSerializable {}

    public sealed interface Event extends CborSerializable {}

    /**
     * @param personId the shopper id: in deliveries scheduled before pseudonyms, and for a person whose journal was
     *     written before them; else null
     * @param person the person's pseudonym (null where {@code personId} is set): the ledger names nobody, and reaches
     *     the shopper through the key store ({@link PersonKeys#subjectOf}) only while the person is not erased
     */
    public record DeliveryScheduled(String personId, Offer offer, double margin, Instant at, String person)
            implements Event {}

    public record AttemptStarted(String channel, Instant at) implements Event {}

    public record DeliverySent(String channel, BigDecimal cost, Instant at) implements Event {}

    /**
     * {@code reason}: no-channel (this node has no channel configured), no-consent, capped, expired, not-live:<status>,
     * unknown-shopper, rejected:<detail>, failed:<detail>.
     */
    public record DeliveryAbandoned(String channel, String reason, Instant at) implements Event {}

    public record DeliveryReported(Instant at) implements Event {}

    /** What an entity needs from its node. {@code shard} is empty in tests (no passivation). */
    public record Env(
            DispatchSettings settings,
            Map<String, ResilientChannel> channels,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            Function<String, RecipientRef<ContactCapEntity.Command>> caps,
            PersonKeys keys,
            java.util.function.ToDoubleFunction<String> responseRate,
            Templates templates,
            TrackedLinks links,
            Clock clock,
            EntitySettings entity,
            Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {}

    public static Behavior<Command> create(String offerId, Env env) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new DeliveryEntity(offerId, env, ctx, timers)));
    }

    private final String offerId;
    private final Env env;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private boolean working; // a check, cap ask, send or report is under way: further ticks wait for it

    private DeliveryEntity(String offerId, Env env, ActorContext<Command> context, TimerScheduler<Command> timers) {
        super(ENTITY_KEY.name(), offerId, env.entity());
        this.offerId = offerId;
        this.env = env;
        this.context = context;
        this.timers = timers;
    }

    @Override
    public DeliveryState emptyState() {
        return DeliveryState.EMPTY;
    }

    @Override
    protected EntitySettings entitySettings() {
        return env.entity();
    }

    @Override
    public SignalHandler<DeliveryState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), s -> resume(s))
                .build();
    }

    /** After recovery (a restart, a rebalance): a pending delivery is checked again, an unreported result reported. */
    private void resume(DeliveryState s) {
        if (s.status() == Status.PENDING) context.getSelf().tell(Tick.INSTANCE);
        else if (s.isFinal() && !s.reported()) report(s);
        else if (s.isFinal()) passivate();
    }

    @Override
    protected void commands(CommandHandlerWithReplyBuilder<Command, Event, DeliveryState> builder) {
        builder.forAnyState()
                .onCommand(Schedule.class, this::onSchedule)
                .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
                .onCommand(Tick.class, this::onTick)
                .onCommand(Checked.class, this::onChecked)
                .onCommand(CapAnswered.class, this::onCap)
                .onCommand(Sent.class, this::onSent)
                .onCommand(Reported.class, this::onReported)
                .onCommand(ReportAgain.class, (s, c) -> {
                    if (s.isFinal()) report(s);
                    return done();
                });
    }

    private ReplyEffect<Event, DeliveryState> onSchedule(DeliveryState s, Schedule c) {
        if (s.status() != Status.NEW) return Effect().reply(c.replyTo(), Done.getInstance());
        return Effect()
                .persist(new DeliveryScheduled(
                        c.personId(), c.offer(), c.margin(), env.clock().instant(), c.person()))
                .thenRun(st -> context.getSelf().tell(Tick.INSTANCE))
                .thenReply(c.replyTo(), st -> Done.getInstance());
    }

    private ReplyEffect<Event, DeliveryState> onTick(DeliveryState s, Tick c) {
        if (s.status() != Status.PENDING || working) return Effect().noReply();
        working = true;
        CompletionStage<ShopperCommand.ShopperReply> shopper = subject(s)
                .thenCompose(subject -> subject.isEmpty()
                        ? CompletableFuture.completedFuture(new ShopperCommand.Unknown(s.person())) // erased
                        : AskPattern.ask(
                                env.shoppers().apply(subject.get()),
                                r -> new ShopperCommand.GetShopper(env.clock().instant(), r),
                                env.settings().askTimeout(),
                                context.getSystem().scheduler()));
        context.pipeToSelf(
                shopper, (reply, failure) -> new Checked(reply, failure == null ? null : String.valueOf(failure)));
        return Effect().noReply();
    }

    private ReplyEffect<Event, DeliveryState> onChecked(DeliveryState s, Checked c) {
        if (s.status() != Status.PENDING) return done();
        var now = env.clock().instant();
        if (c.failure() != null) return retryLater();
        if (!(c.shopper() instanceof ShopperCommand.Found found)) return abandon(s, "unknown-shopper", now);
        var summary = found.summary();
        var live = summary.offers().stream()
                .filter(o -> o.hasOfferId(offerId))
                .findFirst()
                .map(o -> o.statusAt(now));
        if (live.isEmpty()) return abandon(s, "not-live:unknown", now);
        if (live.get() != OfferStatus.ISSUED)
            return abandon(s, "not-live:" + live.get().wireName(), now);
        var zone = DeliveryPlans.zone(summary, env.settings());
        var localHour = DeliveryPlans.localHour(summary, zone, now, env.settings());
        var at = SendWindow.next(
                now,
                zone,
                env.settings().quietHours(),
                localHour,
                env.settings().maxWait(),
                s.offer().expiresAt());
        if (at.isEmpty()) return abandon(s, s.attempts() > 0 ? "failed:expired-while-retrying" : "expired", now);
        if (at.get().isAfter(now.plusSeconds(1))) {
            working = false;
            timers.startSingleTimer(Tick.INSTANCE, NodeClock.timerDelay(env.clock(), Duration.between(now, at.get())));
            return done();
        }
        var options = env.channels().values().stream()
                .map(ch -> new ChannelChoice.Option(
                        ch.name(),
                        ch.settings().consent(),
                        ch.settings().addressAttribute(),
                        ch.settings().cost(),
                        env.responseRate().applyAsDouble(ch.name()),
                        !ch.isOpen()))
                .toList();
        var choice = ChannelChoice.choose(s.offer().channel(), options, summary.profile(), s.margin());
        if (choice.isEmpty()) {
            if (env.channels().isEmpty()) return abandon(s, "no-channel", now);
            // No consented channel at all is final; consented channels that are all down are worth waiting for.
            boolean anyConsented = env.channels().values().stream()
                    .anyMatch(ch -> summary.profile().consents(ch.settings().consent()));
            return anyConsented ? retryLater() : abandon(s, "no-consent", now);
        }
        var plan = DeliveryPlans.plan(s, offerId, summary, zone, choice.get(), env);
        context.pipeToSelf(
                AskPattern.<ContactCapEntity.Command, Boolean>ask(
                        env.caps().apply(s.capKey()),
                        r -> new ContactCapEntity.Reserve(offerId, now, r),
                        env.settings().askTimeout(),
                        context.getSystem().scheduler()),
                (granted, failure) -> new CapAnswered(plan, granted, failure == null ? null : failure.toString()));
        return done();
    }

    private ReplyEffect<Event, DeliveryState> onCap(DeliveryState s, CapAnswered c) {
        if (s.status() != Status.PENDING) return done();
        if (c.failure() != null) return retryLater();
        if (!c.granted()) return abandon(s, "capped", env.clock().instant());
        var channel = env.channels().get(c.plan().channel());
        return Effect()
                .persist(new AttemptStarted(c.plan().channel(), env.clock().instant()))
                .thenRun(st -> context.pipeToSelf(channel.send(c.plan().message()), (ok, failure) -> {
                    if (failure == null) return new Sent(c.plan(), null, false);
                    var cause = ResilientChannel.unwrap(failure);
                    return new Sent(c.plan(), cause.getMessage(), cause instanceof Channel.Rejected);
                }))
                .thenNoReply();
    }

    private ReplyEffect<Event, DeliveryState> onSent(DeliveryState s, Sent c) {
        if (s.status() != Status.PENDING) return done();
        var now = env.clock().instant();
        if (c.failure() == null) {
            KairosMetrics.DELIVERIES.labelValues(c.plan().channel(), "sent").inc();
            return Effect()
                    .persist(new DeliverySent(c.plan().channel(), c.plan().cost(), now))
                    .thenRun(this::report)
                    .thenNoReply();
        }
        KairosMetrics.DELIVERY_ATTEMPTS_FAILED.labelValues(c.plan().channel()).inc();
        if (c.permanent()) {
            release(s.capKey());
            return abandon(s, "rejected:" + c.failure(), now);
        }
        context.getLog()
                .info(
                        "Delivery of {} on {} failed, retrying in {}: {}",
                        offerId,
                        c.plan().channel(),
                        env.settings().retryInterval(),
                        c.failure());
        return retryLater();
    }

    private ReplyEffect<Event, DeliveryState> onReported(DeliveryState s, Reported c) {
        if (s.reported()) return done();
        if (c.failure() != null) {
            timers.startSingleTimer(ReportAgain.INSTANCE, env.settings().retryInterval());
            return done();
        }
        return Effect()
                .persist(new DeliveryReported(env.clock().instant()))
                .thenRun(st -> passivate())
                .thenNoReply();
    }

    private ReplyEffect<Event, DeliveryState> abandon(DeliveryState s, String reason, Instant at) {
        context.getLog().debug("Delivery {} abandoned: {}", offerId, reason);
        working = false;
        KairosMetrics.DELIVERIES
                .labelValues(s.channel() == null ? "none" : s.channel(), outcome(reason))
                .inc();
        return Effect()
                .persist(new DeliveryAbandoned(s.channel(), reason, at))
                .thenRun(this::report)
                .thenNoReply();
    }

    private static String outcome(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    private ReplyEffect<Event, DeliveryState> retryLater() {
        working = false;
        timers.startSingleTimer(Tick.INSTANCE, env.settings().retryInterval());
        return done();
    }

    private ReplyEffect<Event, DeliveryState> done() {
        return Effect().noReply();
    }

    /** Records the final result in the shopper's journal; until the shopper acknowledges, it is asked again. */
    private void report(DeliveryState s) {
        if (s.reported()) return;
        working = true;
        boolean sent = s.status() == Status.SENT;
        context.pipeToSelf(
                subject(s)
                        .thenCompose(subject -> subject.isEmpty()
                                ? CompletableFuture.completedFuture(Done.getInstance()) // erased: nobody to tell
                                : AskPattern.<ShopperCommand, Done>ask(
                                        env.shoppers().apply(subject.get()),
                                        r -> new ShopperCommand.RecordDelivery(
                                                offerId,
                                                s.channel() == null ? "none" : s.channel(),
                                                sent,
                                                s.reason(),
                                                sent ? s.cost() : BigDecimal.ZERO,
                                                s.finishedAt(),
                                                r),
                                        env.settings().askTimeout(),
                                        context.getSystem().scheduler())),
                (ok, failure) -> new Reported(failure == null ? null : failure.toString()));
    }

    /** The shopper id the ledger reaches its person by: recorded, or its pseudonym's; empty once erased. */
    private CompletionStage<Optional<String>> subject(DeliveryState s) {
        if (s.personId() != null) return CompletableFuture.completedFuture(Optional.of(s.personId()));
        return env.keys().subjectOf(s.person());
    }

    private void release(String capKey) {
        // A message that will never go out gives its contact slot back (best effort: a lost release only under-sends).
        env.caps()
                .apply(capKey)
                .tell(new ContactCapEntity.Release(offerId, context.getSystem().ignoreRef()));
    }

    private void passivate() {
        env.shard().ifPresent(shard -> shard.tell(new ClusterSharding.Passivate<>(context.getSelf())));
    }

    @Override
    public EventHandler<DeliveryState, Event> eventHandler() {
        return DeliveryState::apply;
    }
}

package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.typed.PersistenceId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import io.kairos.campaign.CampaignEntity;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionStore;
import io.kairos.offer.FunnelStore;
import io.kairos.offer.OutcomeStore;
import io.kairos.privacy.PersonKeys;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import io.kairos.time.NodeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shopper events' read side and outbox, one projection instance per shopper tag (a {@code ShardedDaemonProcess}),
 * at least once, offsets in Cassandra: it writes decisions for the audit endpoint ({@link DecisionStore}), exposures,
 * claims and outcomes for campaign stats ({@link OutcomeStore}), the coupon funnel's facts ({@link FunnelStore}, mapped
 * by {@link FunnelFacts}), due wake-ups ({@link WakeupStore}) and, with retention on, each person's last activity
 * ({@link Retention}); the outcomes, wake-ups and activity name the person by pseudonym. It delivers what a shopper
 * owes its campaigns after a cancelled order (the budget given back), in case the shopper's own ask did not get
 * through. Every effect is idempotent (upserts keyed by what they record; the campaign recognises a repeated return),
 * so a replayed envelope changes nothing.
 */
public final class ShopperProjection extends Handler<EventEnvelope<ShopperEvent>> {
    private static final Logger log = LoggerFactory.getLogger(ShopperProjection.class);

    private final DecisionStore decisions;
    private final OutcomeStore outcomes;
    private final FunnelStore funnel;
    private final WakeupStore wakeups;
    private final Function<String, RecipientRef<CampaignEntity.Command>> campaigns;
    private final Function<String, RecipientRef<ShopperCommand>> shoppers;
    private final ActorSystem<?> system;
    private final Duration askTimeout;
    private final Clock clock;
    private final PersonKeys keys;
    private final Retention.ActivityLog activity; // null: retention is off

    private ShopperProjection(
            ActorSystem<?> system,
            DecisionStore decisions,
            OutcomeStore outcomes,
            FunnelStore funnel,
            WakeupStore wakeups) {
        var sharding = ClusterSharding.get(system);
        this.decisions = decisions;
        this.outcomes = outcomes;
        this.campaigns = id -> sharding.entityRefFor(CampaignEntity.ENTITY_KEY, id);
        this.funnel = funnel;
        this.wakeups = wakeups;
        this.shoppers = id -> sharding.entityRefFor(ShopperCommand.ENTITY_KEY, id);
        this.system = system;
        this.askTimeout = system.settings().config().getDuration("kairos.offers.settle-timeout");
        this.clock = NodeClock.get(system).clock();
        this.keys = PersonKeys.get(system);
        this.activity =
                Retention.Settings.fromConfig(system.settings().config()).enabled()
                        ? new Retention.ActivityLog(Retention.ActivityStore.create(system), keys)
                        : null;
    }

    /** Runs the projection over every shopper tag of this node's configuration. */
    public static void init(
            ActorSystem<?> system,
            DecisionStore decisions,
            OutcomeStore outcomes,
            FunnelStore funnel,
            WakeupStore wakeups) {
        ShopperJournal.runAtLeastOnce(
                system,
                "shopper-projection",
                system.settings().config().getDuration("kairos.shopper.projection-rewind"),
                () -> new ShopperProjection(system, decisions, outcomes, funnel, wakeups));
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<ShopperEvent> envelope) {
        var facts = FunnelFacts.of(envelope.event());
        var written = activity == null
                ? record(envelope)
                : record(envelope)
                        .thenCompose(done -> activity.note(
                                PersistenceId.extractEntityId(envelope.persistenceId()),
                                envelope.event(),
                                Instant.ofEpochMilli(envelope.timestamp())));
        return facts.isEmpty()
                ? written
                : written.thenCompose(done -> funnel.writeAll(facts, Instant.ofEpochMilli(envelope.timestamp())));
    }

    private CompletionStage<Done> record(EventEnvelope<ShopperEvent> envelope) {
        var persistenceId = envelope.persistenceId();
        var shopperId = PersistenceId.extractEntityId(persistenceId);
        var event = envelope.event();
        var row = ShopperJournal.decisionRow(persistenceId, envelope.sequenceNr(), event);
        if (event instanceof OfferIssued e)
            return decided(row.orElseThrow(), e.offer().campaignId());
        if (event instanceof HoldoutAssigned e) return decided(row.orElseThrow(), e.campaignId());
        // A decision that issued nothing is kept for the audit; it exposes nobody to a campaign.
        if (event instanceof ShopperEvent.NoOfferDecided) return decisions.save(row.orElseThrow());
        if (event instanceof OfferClaimed e)
            return named(shopperId, name -> outcomes.claimed(e.campaignId(), e.decisionId(), name, e.at()));
        if (event instanceof OutcomeRecorded e) {
            return named(
                    shopperId,
                    name -> outcomes.order(
                            e.campaignId(), e.decisionId(), name, e.holdout(), e.orderId(), e.netAmount(), e.at()));
        }
        if (event instanceof TriggerScheduled e)
            return named(shopperId, name -> wakeups.schedule(name, e.trigger().dueAt(), clock.instant()));
        if (event instanceof OrderCancelled e) return returnCoupons(shopperId, e);
        if (event instanceof OrderRefunded e) return refundCoupons(e);
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    /** A decision's row in the decisions table and its exposure in the campaign's outcomes (holdout: no offer). */
    private CompletionStage<Done> decided(StoredDecision row, String campaignId) {
        return decisions
                .save(row)
                .thenCompose(done -> named(
                        row.shopperId(),
                        name -> outcomes.exposure(
                                campaignId, row.decisionId(), name, row.offer() == null, row.decidedAt())));
    }

    /**
     * {@code write} with the name the outcomes and wake-ups tables give the shopper (its pseudonym: those rows name
     * nobody once the person is erased); nothing for a person erased meanwhile.
     */
    private CompletionStage<Done> named(String shopperId, Function<String, CompletionStage<Done>> write) {
        return keys.nameOf(shopperId)
                .thenCompose(name -> name.map(write).orElse(CompletableFuture.completedFuture(Done.getInstance())));
    }

    /**
     * A refund's part of its coupons' budget, given back to their campaigns (a repeat answers as before). A campaign
     * that no longer knows the redemption (its entry compacted after the refund window) cannot take it back: logged.
     */
    private CompletionStage<Done> refundCoupons(OrderRefunded e) {
        CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
        for (var ask : Redemptions.campaignReturns(e, e.refund().at())) {
            chain = chain.thenCompose(done -> AskPattern.<CampaignEntity.Command, CampaignEntity.SettleReply>ask(
                            campaigns.apply(ask.getKey()), ask.getValue()::apply, askTimeout, system.scheduler())
                    .thenApply(reply -> {
                        if (reply instanceof CampaignEntity.SettleRefused r) {
                            log.warn(
                                    "Refund {} of order {}: campaign {} did not take the budget back ({})",
                                    e.refund().refundId(),
                                    e.orderId(),
                                    ask.getKey(),
                                    r.reason());
                        }
                        return Done.getInstance();
                    }));
        }
        return chain;
    }

    /**
     * The budget of a cancelled order's coupons, given back to their campaigns (the campaign answers a repeat as
     * before).
     */
    private CompletionStage<Done> returnCoupons(String shopperId, OrderCancelled e) {
        CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
        for (var coupon : e.coupons()) {
            chain = chain.thenCompose(done -> AskPattern.<CampaignEntity.Command, CampaignEntity.SettleReply>ask(
                            campaigns.apply(coupon.campaignId()),
                            r -> new CampaignEntity.ReturnRedemption(
                                    coupon.offerId(), e.orderId(), coupon.reinstated(), e.at(), r),
                            askTimeout,
                            system.scheduler())
                    .thenCompose(reply -> {
                        if (reply instanceof CampaignEntity.Settled s
                                && s.outcome() == CampaignEntity.SettleOutcome.RELEASED
                                && coupon.reinstated()) {
                            return AskPattern.<ShopperCommand, Done>ask(
                                    shoppers.apply(shopperId),
                                    r -> new RevokeOffer(
                                            coupon.offerId(),
                                            "budget exhausted when the order was cancelled",
                                            e.at(),
                                            r),
                                    askTimeout,
                                    system.scheduler());
                        }
                        return CompletableFuture.completedFuture(Done.getInstance());
                    }));
        }
        return chain;
    }
}

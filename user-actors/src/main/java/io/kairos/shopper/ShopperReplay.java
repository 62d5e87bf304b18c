package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Source;
import io.kairos.shopper.ShopperEvent.*;
import io.kairos.wire.LowerCaseName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A shopper rebuilt from its journal as of a moment, with the entity's own transition function and without snapshots,
 * so what is shown is exactly what the recorded events imply. For audits; recovery never comes here.
 *
 * <p>"As of" goes by business time by default ({@link #businessTime}: when what an event records happened, so 60 days
 * of history loaded today rebuild as of any of those days) or by the journal's write time. Either way the events kept
 * are applied in journal order, as the entity applied them: an event recorded late but dated early is folded in where
 * it was recorded, not re-sorted by its date.
 */
public final class ShopperReplay {
    private final ShopperSettings settings;
    private final ActorSystem<?> system;

    public ShopperReplay(ShopperSettings settings, ActorSystem<?> system) {
        this.settings = settings;
        this.system = system;
    }

    public static ShopperReplay create(ActorSystem<?> system) {
        return new ShopperReplay(ShopperSettings.create(system), system);
    }

    /** Which time an audit read goes by. */
    public enum Timeline implements LowerCaseName {
        /** When what the event records happened in the shop ({@link #businessTime}). */
        BUSINESS,
        /** When the journal recorded the event (its write timestamp). */
        RECORDED
    }

    /**
     * A shopper as of a moment: the sequence number of the last event applied (0 when there was none: the shopper did
     * not exist then), and either the person's view (scores decayed to that moment) or, for a linked identity, the
     * person it belonged to.
     */
    public record AsOf(long sequenceNr, String aliasOf, ShopperSummary person) {
        public boolean existed() {
            return sequenceNr > 0;
        }
    }

    /** The persistence id of a shopper's journal. */
    public static String persistenceId(String shopperId) {
        return PersistenceId.of(ShopperCommand.ENTITY_KEY.name(), shopperId).id();
    }

    /**
     * When what {@code event} records happened: a behaviour event's {@code occurredAt}, an order's {@code placedAt}, a
     * lifecycle change's {@code effectiveAt}, a decision's time, a scheduled trigger's cause ({@code since}), otherwise
     * the event's own {@code at}. {@code recordedAt} (the journal's write time) for an event that carries no time
     * ({@link PolicyAdopted}) or a null one.
     */
    public static Instant businessTime(ShopperEvent event, Instant recordedAt) {
        Instant t = null;
        if (event instanceof BehaviourRecorded e) t = e.event().occurredAt();
        else if (event instanceof LifecycleChanged e) t = e.effectiveAt();
        else if (event instanceof ProfileUpdated e) t = e.at();
        else if (event instanceof IdentityLinked e) t = e.at();
        else if (event instanceof BecameAlias e) t = e.at();
        else if (event instanceof OfferIssued e) t = e.offer().issuedAt();
        else if (event instanceof HoldoutAssigned e) t = e.decision().decidedAt();
        else if (event instanceof ShopperEvent.NoOfferDecided e)
            t = e.decision().decidedAt();
        else if (event instanceof OfferClaimed e) t = e.at();
        else if (event instanceof OfferRevoked e) t = e.at();
        else if (event instanceof OfferDelivered e) t = e.at();
        else if (event instanceof DeliveryFailed e) t = e.at();
        else if (event instanceof OfferOpened e) t = e.at();
        else if (event instanceof OrderPlaced e) t = e.order().placedAt();
        else if (event instanceof OrderCancelled e) t = e.at();
        else if (event instanceof OrderRefunded e) t = e.refund().at();
        else if (event instanceof IdentityUnlinked e) t = e.at();
        else if (event instanceof AliasReleased e) t = e.at();
        else if (event instanceof OutcomeRecorded e) t = e.at();
        else if (event instanceof DecideAnswered e) t = e.at();
        else if (event instanceof TriggerScheduled e) t = e.trigger().since();
        else if (event instanceof TriggerFired e) t = e.at();
        return t != null ? t : recordedAt;
    }

    /** The time of a journal event on {@code timeline}. */
    public static Instant timeOf(EventEnvelope env, Timeline timeline) {
        var recordedAt = Instant.ofEpochMilli(env.timestamp());
        return timeline == Timeline.RECORDED ? recordedAt : businessTime((ShopperEvent) env.event(), recordedAt);
    }

    /**
     * {@code journal}: the shopper's current events in sequence order (a read journal's currentEventsByPersistenceId).
     * The events whose time on {@code timeline} is at or before {@code at} are applied, in journal order. A
     * {@link PolicyAdopted} is how the events after it were recorded, not something that happened to the shopper: it is
     * applied just before the next event kept, and not at all when none is.
     */
    public CompletionStage<AsOf> asOf(
            String shopperId, Source<EventEnvelope, ?> journal, Instant at, Timeline timeline) {
        record Folded(ShopperState state, long sequenceNr, List<ShopperEvent> pendingPolicies) {
            Folded next(EventEnvelope env, Instant at, Timeline timeline) {
                var event = (ShopperEvent) env.event();
                if (event instanceof PolicyAdopted) {
                    var pending = new ArrayList<>(pendingPolicies);
                    pending.add(event);
                    return new Folded(state, sequenceNr, List.copyOf(pending));
                }
                if (timeOf(env, timeline).isAfter(at)) return this;
                var s = state;
                for (var policy : pendingPolicies) s = s.apply(policy);
                return new Folded(s.apply(event), env.sequenceNr(), List.of());
            }
        }
        return journal.runFold(new Folded(Person.empty(), 0L, List.of()), (r, env) -> r.next(env, at, timeline), system)
                .thenApply(r -> r.state() instanceof ShopperState.Alias alias
                        ? new AsOf(r.sequenceNr(), alias.ownerId(), null)
                        : new AsOf(
                                r.sequenceNr(),
                                null,
                                ((Person) r.state()).summarize(shopperId, at, settings.highValueMonetary())));
    }
}

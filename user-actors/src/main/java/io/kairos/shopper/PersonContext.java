package io.kairos.shopper;

import akka.actor.typed.javadsl.ActorContext;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.scaladsl.EventSourcedBehavior;
import io.kairos.campaign.MoneyLeft;
import io.kairos.shopper.ShopperEvent.BehaviourRecorded;
import io.kairos.shopper.ShopperStreams.InterestChanged;
import io.kairos.shopper.ShopperStreams.OfferChanged;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a person's collaborators ({@link OfferDecisions}, {@link Redemptions}) are given by the entity: the shopper id,
 * what every shopper of the node shares ({@link ShopperType}: the services, the rules), the actor context their asks
 * reply through, the factories of the effects they return, the slot of what the person waits for, and the journal's
 * sequence number (read after a persist). Nothing in it leads back to the entity. Every persist of a person goes
 * through {@link #persist}, which publishes the changed offers and interests to the person's live streams, and the new
 * state to the node's {@link LiveWallets}, once the events are durable.
 */
final class PersonContext extends InFlight {
    private static final EffectFactories<ShopperEvent, ShopperState> EFFECTS = new EffectFactories<>();

    private final String shopperId;
    private final ShopperType type;
    private ActorContext<ShopperCommand> actor; // set once the actor starts (bind), before any command

    PersonContext(String shopperId, ShopperType type) {
        this.shopperId = shopperId;
        this.type = type;
    }

    /**
     * Called as the shopper's actor starts (and when a test kit starts the same entity again): the context its asks
     * reply through, and nothing waiting, as the in-flight slot is transient. Akka's own restart after a journal
     * failure restarts the behaviour within and does not call it; the slot is then as it was before the failure, as it
     * always was (what waits clears itself before it persists).
     */
    void bind(ActorContext<ShopperCommand> actor) {
        this.actor = actor;
        reset();
    }

    String shopperId() {
        return shopperId;
    }

    ShopperType type() {
        return type;
    }

    ActorContext<ShopperCommand> actor() {
        return actor;
    }

    /** The factories of the effects a person's handlers return (one instance, shared by every entity). */
    EffectFactories<ShopperEvent, ShopperState> effects() {
        return EFFECTS;
    }

    /** The slot of what the person waits for: this context itself. */
    InFlight inFlight() {
        return this;
    }

    OfferServices services() {
        return type.services();
    }

    ShopperRules rules() {
        return type.rules();
    }

    /** The journal's sequence number of the person (after a persist: of its last event). */
    long sequenceNr() {
        return EventSourcedBehavior.lastSequenceNumber(actor.asScala());
    }

    /** The fast path of a trigger due now: wake at once (the sweeper's wake-up comes later and finds it fired). */
    void wakeIfDue(ShopperState st, java.time.Instant now) {
        if (ShopperRules.due(st, now))
            actor.getSelf().tell(new ShopperCommand.Wake(now, actor.getSystem().ignoreRef()));
    }

    EffectBuilder<ShopperEvent, ShopperState> persist(ShopperEvent event) {
        return persist(List.of(event));
    }

    /** Persists {@code events}; once they are durable, the person's streams learn what they changed. */
    EffectBuilder<ShopperEvent, ShopperState> persist(List<ShopperEvent> events) {
        return EFFECTS.persist(events).thenRun(st -> published(events, st));
    }

    /** The node's live wallets, which this person's price reads are answered from once one reached it. */
    LiveWallets wallets() {
        return LiveWallets.get(actor.getSystem());
    }

    /** The money the campaigns have left as this node's catalogue knows it, for prices and quotes. */
    MoneyLeft moneyLeft() {
        return services().catalogue()::moneyLeft;
    }

    private void published(List<ShopperEvent> events, ShopperState st) {
        wallets().changed(shopperId, st);
        if (!(st instanceof Person p)) return;
        var streams = services().streams();
        long seqNr = sequenceNr();
        var offerIds = new LinkedHashSet<String>();
        boolean interest = false;
        for (var e : events) {
            offerIds.addAll(ShopperStreams.offersChangedBy(e));
            interest |= e instanceof BehaviourRecorded r
                    && r.event().sku() != null
                    && (r.event().type() == EventType.VIEW || r.event().type() == EventType.ADD_TO_CART);
        }
        for (var id : offerIds) {
            p.offers().byOffer(id).ifPresent(o -> streams.publish(shopperId, new OfferChanged(shopperId, seqNr, o)));
        }
        if (interest) {
            streams.publish(
                    shopperId,
                    new InterestChanged(shopperId, seqNr, p.behaviour().recentSkus()));
        }
    }
}

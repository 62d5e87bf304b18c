package io.kairos.shopper;

import akka.actor.typed.javadsl.ActorContext;
import akka.persistence.typed.javadsl.EffectFactories;

/**
 * What a person's collaborators ({@link OfferDecisions}, {@link Redemptions}) are given by the entity: the shopper id,
 * the node's services, the rules, the actor context their asks reply through, the factories of the effects they return,
 * and the slot of what the person waits for. Nothing in it leads back to the entity.
 */
record PersonContext(
        String shopperId,
        OfferServices services,
        ShopperRules rules,
        ActorContext<ShopperCommand> actor,
        EffectFactories<ShopperEvent, ShopperState> effects,
        InFlight inFlight) {

    /** The fast path of a trigger due now: wake at once (the sweeper's wake-up comes later and finds it fired). */
    void wakeIfDue(ShopperState st, java.time.Instant now) {
        if (ShopperRules.due(st, now))
            actor.getSelf().tell(new ShopperCommand.Wake(now, actor.getSystem().ignoreRef()));
    }
}

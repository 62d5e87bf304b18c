package io.kairos.shopper;

import akka.actor.typed.Behavior;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.internal.BehaviorImpl;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import io.kairos.privacy.PersonKeys.Created;
import io.kairos.privacy.PersonKeys.Erased;
import io.kairos.privacy.PersonKeys.Legacy;
import io.kairos.privacy.PersonKeys.Pseudonymous;
import io.kairos.privacy.PersonKeys.Unknown;
import io.kairos.shopper.ShopperCommand.Passivate;
import io.kairos.shopper.ShopperCommand.PersonResolved;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a shopper's actor starts on a node with crypto-shredding: it finds (or, for a new subject, creates) the person's
 * pseudonym and key ({@link io.kairos.privacy.PersonKeys}) while its commands wait in a stash, then becomes the
 * {@link ShopperEntity} of journal {@code Shopper|<pseudonym>} sealed under that key, the entity of its legacy journal,
 * or an {@link ErasedShopper}. A subject never seen gets its pseudonym and key with the first command that may record
 * something: until then its reads are answered as {@link NeverSeen} answers them, and write nothing. (The first command
 * chooses the lookup: a read only looks, anything else creates at once, so a new shopper's first events cost one read.
 * A journal whose pseudonym was just created is empty, and is started without asking for a snapshot.) A lookup that
 * fails is tried again a few times, then the actor stops (its callers' asks time out; the next command starts it
 * again).
 *
 * <p>A {@link BehaviorImpl.DeferredBehavior} rather than {@code Behaviors.setup}, as {@link ShopperEntity} is: the
 * actor's props keep this for the shopper's whole life, and it holds two references.
 */
final class ShopperStart extends BehaviorImpl.DeferredBehavior<ShopperCommand> {
    private static final Logger log = LoggerFactory.getLogger(ShopperStart.class);
    private static final int STASH = 1000;
    private static final int ATTEMPTS = 5;
    private static final Duration RETRY = Duration.ofMillis(200);

    private final String shopperId;
    private final ShopperType type;

    ShopperStart(String shopperId, ShopperType type) {
        this.shopperId = shopperId;
        this.type = type;
    }

    @Override
    public Behavior<ShopperCommand> apply(TypedActorContext<ShopperCommand> context) {
        var ctx = context.asJava();
        return Behaviors.withStash(STASH, stash -> unresolved(ctx, stash));
    }

    /** Before any lookup (the first command), or after one found the subject never seen. */
    private Behavior<ShopperCommand> unresolved(ActorContext<ShopperCommand> ctx, StashBuffer<ShopperCommand> stash) {
        return Behaviors.receive(ShopperCommand.class)
                .onMessage(Passivate.class, p -> Behaviors.stopped())
                .onAnyMessage(c -> {
                    stash.stash(c);
                    boolean create = NeverSeen.answer(shopperId, c).isEmpty();
                    look(ctx, create, 1);
                    return waiting(ctx, stash, create);
                })
                .build();
    }

    private void look(ActorContext<ShopperCommand> ctx, boolean create, int attempt) {
        ctx.pipeToSelf(
                create ? type.keys().resolve(shopperId) : type.keys().find(shopperId),
                (r, failure) -> new PersonResolved(r, failure == null ? null : failure.toString(), attempt));
    }

    private Behavior<ShopperCommand> waiting(
            ActorContext<ShopperCommand> ctx, StashBuffer<ShopperCommand> stash, boolean create) {
        return Behaviors.receive(ShopperCommand.class)
                .onMessage(PersonResolved.class, r -> resolved(ctx, stash, create, r))
                .onAnyMessage(c -> {
                    if (stash.isFull())
                        log.warn("Shopper {} is starting and its stash is full: dropped {}", shopperId, c);
                    else stash.stash(c);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<ShopperCommand> resolved(
            ActorContext<ShopperCommand> ctx, StashBuffer<ShopperCommand> stash, boolean create, PersonResolved r) {
        if (r.resolution() instanceof Pseudonymous p)
            return stash.unstashAll(ShopperEntity.sealed(shopperId, type, p, false));
        if (r.resolution() instanceof Created c)
            return stash.unstashAll(ShopperEntity.sealed(shopperId, type, c.person(), true));
        if (r.resolution() instanceof Legacy) return stash.unstashAll(ShopperEntity.plain(shopperId, type));
        if (r.resolution() instanceof Erased e) return stash.unstashAll(ErasedShopper.create(shopperId, e.at()));
        if (r.resolution() instanceof Unknown) return stash.unstashAll(neverSeen(ctx, stash));
        if (r.resolution() == null && r.failure() == null) { // the retry scheduled below
            look(ctx, create, r.attempt());
            return Behaviors.same();
        }
        if (r.failure() != null && r.attempt() < ATTEMPTS) {
            log.warn("Shopper {}: its key could not be looked up ({}), trying again", shopperId, r.failure());
            ctx.scheduleOnce(
                    RETRY.multipliedBy(r.attempt()), ctx.getSelf(), new PersonResolved(null, null, r.attempt() + 1));
            return Behaviors.same();
        }
        log.error("Shopper {}: its key could not be looked up ({}); stopping", shopperId, r.failure());
        return Behaviors.stopped();
    }

    /** A subject never seen: reads answered, and the first other command creates its pseudonym and key. */
    private Behavior<ShopperCommand> neverSeen(ActorContext<ShopperCommand> ctx, StashBuffer<ShopperCommand> stash) {
        return Behaviors.receive(ShopperCommand.class)
                .onMessage(Passivate.class, p -> Behaviors.stopped())
                .onAnyMessage(c -> {
                    var read = NeverSeen.answer(shopperId, c);
                    if (read.isPresent()) {
                        read.get().run();
                        return Behaviors.same();
                    }
                    stash.stash(c);
                    look(ctx, true, 1);
                    return waiting(ctx, stash, true);
                })
                .build();
    }
}

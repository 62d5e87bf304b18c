package io.kairos.shopper;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.AliasReleased;
import io.kairos.shopper.ShopperEvent.BecameAlias;
import io.kairos.shopper.ShopperEvent.IdentityLinked;
import io.kairos.shopper.ShopperEvent.IdentityUnlinked;
import io.kairos.shopper.ShopperState.Alias;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A person's identity links: linking an identity (which becomes an alias of the person once its own entity agrees),
 * unlinking it, and the identity's side of both. The identities a person is linking or unlinking wait in its
 * {@link InFlight}; a person never becomes an alias while one of its own links is pending (which rules out alias
 * cycles), and an identity is an alias of at most one person.
 */
record IdentityLinks(PersonContext ctx) {

    ReplyEffect<ShopperEvent, ShopperState> onLink(Person s, LinkIdentity c) {
        if (c.identity().equals(ctx.shopperId())) {
            return ctx.effects()
                    .reply(c.replyTo(), new LinkRejected(LinkRejection.SELF, "a shopper cannot be linked to itself"));
        }
        if (s.links().contains(c.identity())) return ctx.effects().reply(c.replyTo(), linked(s, c.identity()));
        return changeLink(
                c.identity(),
                c.replyTo(),
                "this link is already in progress",
                r -> new BecomeAlias(ctx.shopperId(), c.at(), r),
                reply -> new LinkAnswered(c.identity(), reply, c.at(), c.replyTo()));
    }

    /**
     * Starts a change of the link with {@code identity}, or refuses it BUSY ({@code busy}) while one is in progress;
     * then asks the identity's entity ({@code question}), whose reply, or a BUSY refusal when it does not answer in
     * time, comes back to this entity as the command {@code answered} makes of it.
     */
    private ReplyEffect<ShopperEvent, ShopperState> changeLink(
            String identity,
            ActorRef<LinkReply> replyTo,
            String busy,
            Function<ActorRef<AliasReply>, ShopperCommand> question,
            Function<AliasReply, ShopperCommand> answered) {
        if (!ctx.inFlight().startLink(identity)) {
            return ctx.effects().reply(replyTo, new LinkRejected(LinkRejection.BUSY, busy));
        }
        ctx.actor()
                .pipeToSelf(
                        AskPattern.<ShopperCommand, AliasReply>ask(
                                ctx.type().shoppers().apply(identity),
                                question::apply,
                                ctx.type().settings().linkTimeout(),
                                ctx.actor().getSystem().scheduler()),
                        (reply, failure) -> answered.apply(
                                reply != null
                                        ? reply
                                        : new AliasRefused(
                                                LinkRejection.BUSY,
                                                "identity did not answer: " + failure.getMessage())));
        return ctx.effects().noReply();
    }

    ReplyEffect<ShopperEvent, ShopperState> onLinkAnswered(Person s, LinkAnswered c) {
        ctx.inFlight().endLink(c.identity());
        if (c.reply() instanceof AliasRefused r) {
            return ctx.effects().reply(c.replyTo(), new LinkRejected(r.reason(), r.detail()));
        }
        var history = ((AliasAccepted) c.reply()).history();
        var changes = new Changes(s);
        ctx.rules().adoptPolicyIfNone(changes);
        var p = changes.add(new IdentityLinked(c.identity(), history, c.at()));
        ctx.rules()
                .transition(
                        changes,
                        Behaviour.later(c.at(), p.lastEventAt()),
                        c.at(),
                        ctx.services().lifecycle().get());
        return ctx.persist(changes.events()).thenReply(c.replyTo(), st -> linked((Person) st, c.identity()));
    }

    ReplyEffect<ShopperEvent, ShopperState> onUnlink(Person s, UnlinkIdentity c) {
        if (!s.links().contains(c.identity())) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new LinkRejected(
                                    LinkRejection.NOT_LINKED, c.identity() + " is not linked to " + ctx.shopperId()));
        }
        return changeLink(
                c.identity(),
                c.replyTo(),
                "this link is already changing",
                r -> new ReleaseAlias(ctx.shopperId(), c.at(), r),
                reply -> new UnlinkAnswered(c.identity(), reply, c.at(), c.replyTo()));
    }

    /** The identity let go (or had already): the person forgets the link. */
    ReplyEffect<ShopperEvent, ShopperState> onUnlinkAnswered(Person s, UnlinkAnswered c) {
        ctx.inFlight().endLink(c.identity());
        if (c.reply() instanceof AliasRefused r) {
            return ctx.effects().reply(c.replyTo(), new LinkRejected(r.reason(), r.detail()));
        }
        return ctx.persist(new IdentityUnlinked(c.identity(), c.at()))
                .thenReply(c.replyTo(), st -> linked((Person) st, c.identity()));
    }

    /** An alias released by its person becomes a shopper of its own; one of another person refuses. */
    ReplyEffect<ShopperEvent, ShopperState> onRelease(Alias s, ReleaseAlias c) {
        if (!c.ownerId().equals(s.ownerId())) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new AliasRefused(
                                    LinkRejection.LINKED_ELSEWHERE, ctx.shopperId() + " is linked to another shopper"));
        }
        return ctx.effects()
                .persist(new AliasReleased(c.ownerId(), c.at()))
                .thenReply(c.replyTo(), st -> new AliasAccepted(null));
    }

    ReplyEffect<ShopperEvent, ShopperState> onBecomeAlias(Person s, BecomeAlias c) {
        if (c.ownerId().equals(ctx.shopperId())) {
            return ctx.effects()
                    .reply(c.replyTo(), new AliasRefused(LinkRejection.SELF, "a shopper cannot be linked to itself"));
        }
        if (ctx.inFlight().linking()) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new AliasRefused(
                                    LinkRejection.BUSY, ctx.shopperId() + " is linking identities of its own; retry"));
        }
        var history = s.history();
        return ctx.persist(new BecameAlias(c.ownerId(), history, c.at()))
                .thenReply(c.replyTo(), st -> new AliasAccepted(history));
    }

    ReplyEffect<ShopperEvent, ShopperState> onBecomeAliasAgain(Alias s, BecomeAlias c) {
        if (c.ownerId().equals(s.ownerId())) return ctx.effects().reply(c.replyTo(), new AliasAccepted(s.handedOver()));
        return ctx.effects()
                .reply(
                        c.replyTo(),
                        new AliasRefused(
                                LinkRejection.LINKED_ELSEWHERE,
                                ctx.shopperId() + " is already linked to another shopper"));
    }

    private Linked linked(Person s, String identity) {
        return new Linked(ctx.shopperId(), identity, List.copyOf(new TreeSet<>(s.links())));
    }
}

package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.kairos.shopper.ShopperCommand.*;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shopper whose person was erased ({@link io.kairos.privacy.PersonKeys}): it has no journal and records nothing, so
 * the person cannot come back through events (HTTP, Kafka, backfills), tracked links or wake-ups. It answers as for a
 * shopper never seen where the protocol has such an answer (the reads as {@link NeverSeen} answers them; events are
 * counted as erased, not recorded), and an erasure again as done; every other command goes unanswered (its caller's ask
 * times out), and is logged.
 */
final class ErasedShopper {
    private static final Logger log = LoggerFactory.getLogger(ErasedShopper.class);

    private ErasedShopper() {}

    static Behavior<ShopperCommand> create(String shopperId, Instant erasedAt) {
        var gone = "shopper " + shopperId + " was erased: nothing is recorded about it";
        return Behaviors.receive(ShopperCommand.class)
                .onMessage(RecordEvents.class, c -> reply(c, shopperId))
                .onMessage(ForwardedEvents.class, c -> reply(c.events(), shopperId))
                .onMessage(UpdateProfile.class, c -> answer(c.replyTo(), new Unknown(shopperId)))
                // as for a guest, from nobody's history: nothing offered (reads, prices and quotes: NeverSeen)
                .onMessage(DecideOffers.class, c -> answer(c.replyTo(), new Decided(shopperId, null, List.of(), true)))
                .onMessage(
                        ClaimCoupon.class, c -> answer(c.replyTo(), new ClaimRejected(ClaimRejection.NOT_FOUND, gone)))
                .onMessage(
                        PlaceOrder.class, c -> answer(c.replyTo(), new OrderRejected(OrderRejection.NOT_FOUND, gone)))
                .onMessage(
                        CancelOrder.class, c -> answer(c.replyTo(), new OrderRejected(OrderRejection.NOT_FOUND, gone)))
                .onMessage(
                        RefundOrder.class, c -> answer(c.replyTo(), new OrderRejected(OrderRejection.NOT_FOUND, gone)))
                .onMessage(GetOrder.class, c -> answer(c.replyTo(), new OrderRejected(OrderRejection.NOT_FOUND, gone)))
                .onMessage(
                        LinkIdentity.class, c -> answer(c.replyTo(), new LinkRejected(LinkRejection.NOT_LINKED, gone)))
                .onMessage(
                        UnlinkIdentity.class,
                        c -> answer(c.replyTo(), new LinkRejected(LinkRejection.NOT_LINKED, gone)))
                // another person linking an erased identity: it cannot come back as theirs either
                .onMessage(
                        BecomeAlias.class,
                        c -> answer(c.replyTo(), new AliasRefused(LinkRejection.LINKED_ELSEWHERE, gone)))
                .onMessage(
                        ReleaseAlias.class, c -> answer(c.replyTo(), new AliasRefused(LinkRejection.NOT_LINKED, gone)))
                .onMessage(RevokeOffer.class, c -> answer(c.replyTo(), Done.getInstance()))
                .onMessage(RecordDelivery.class, c -> answer(c.replyTo(), Done.getInstance()))
                .onMessage(Wake.class, c -> answer(c.replyTo(), new Woken(shopperId, List.of())))
                .onMessage(EraseShopper.class, c -> answer(c.replyTo(), new ShopperErased(shopperId, 0)))
                .onMessage(WhoAreYou.class, c -> answer(c.replyTo(), new PersonNamed(null)))
                .onMessage(Passivate.class, c -> Behaviors.stopped())
                .onAnyMessage(c -> {
                    // the reads as for a shopper never seen; else answers to asks of the entity it was before the
                    // erasure: nobody waits for them any more
                    NeverSeen.answer(shopperId, c)
                            .ifPresentOrElse(
                                    Runnable::run,
                                    () -> log.debug(
                                            "Erased shopper (since {}): {} dropped",
                                            erasedAt,
                                            c.getClass().getSimpleName()));
                    return Behaviors.same();
                })
                .build();
    }

    private static <R> Behavior<ShopperCommand> answer(ActorRef<R> to, R reply) {
        to.tell(reply);
        return Behaviors.same();
    }

    private static Behavior<ShopperCommand> reply(RecordEvents c, String shopperId) {
        c.replyTo().tell(new Recorded(shopperId, 0, 0, c.events().size()));
        return Behaviors.same();
    }
}

package io.kairos.shopper;

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
 * shopper never seen where the protocol has such an answer (events are counted as erased, not recorded), and an erasure
 * again as done; every other command goes unanswered (its caller's ask times out), and is logged.
 */
final class ErasedShopper {
    private static final Logger log = LoggerFactory.getLogger(ErasedShopper.class);

    private ErasedShopper() {}

    static Behavior<ShopperCommand> create(String shopperId, Instant erasedAt) {
        return Behaviors.receive(ShopperCommand.class)
                .onMessage(RecordEvents.class, c -> reply(c, shopperId))
                .onMessage(ForwardedEvents.class, c -> reply(c.events(), shopperId))
                .onMessage(GetShopper.class, c -> {
                    c.replyTo().tell(new Unknown(shopperId));
                    return Behaviors.same();
                })
                .onMessage(UpdateProfile.class, c -> {
                    c.replyTo().tell(new Unknown(shopperId));
                    return Behaviors.same();
                })
                .onMessage(GetOffers.class, c -> {
                    c.replyTo().tell(new OffersUnknown(shopperId));
                    return Behaviors.same();
                })
                .onMessage(GetStream.class, c -> {
                    c.replyTo().tell(new StreamStart(shopperId, false, 0, List.of(), List.of()));
                    return Behaviors.same();
                })
                .onMessage(Wake.class, c -> {
                    c.replyTo().tell(new Woken(shopperId, List.of()));
                    return Behaviors.same();
                })
                .onMessage(EraseShopper.class, c -> {
                    c.replyTo().tell(new ShopperErased(shopperId, 0));
                    return Behaviors.same();
                })
                .onMessage(Passivate.class, c -> Behaviors.stopped())
                .onAnyMessage(c -> {
                    log.info(
                            "Erased shopper (since {}): {} not answered",
                            erasedAt,
                            c.getClass().getSimpleName());
                    return Behaviors.same();
                })
                .build();
    }

    private static Behavior<ShopperCommand> reply(RecordEvents c, String shopperId) {
        c.replyTo().tell(new Recorded(shopperId, 0, 0, c.events().size()));
        return Behaviors.same();
    }
}

package io.kairos.shopper;

import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.shopper.ShopperCommand.EraseShopper;
import io.kairos.shopper.ShopperCommand.ErasureAnswered;
import io.kairos.shopper.ShopperCommand.ErasureFailed;
import io.kairos.shopper.ShopperCommand.Passivate;
import io.kairos.shopper.ShopperCommand.ShopperErased;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * A person's erasure (GDPR Art. 17) by crypto-shredding: the key store deletes the keys of the person's journal and of
 * each linked identity's ({@link io.kairos.privacy.PersonKeys#erase}); then the identities' actors and the person's own
 * stop, and start again as {@link ErasedShopper}s. Nothing is persisted: the journal is not rewritten, it just cannot
 * be read any more.
 */
record Erasures(PersonContext ctx) {

    /**
     * Asks the key store to erase the person and its identities.
     *
     * @param journal the entity id of the person's journal: its pseudonym, or the shopper id itself for a journal from
     *     before pseudonyms (the receipt then says {@code legacy}, never the id)
     */
    ReplyEffect<ShopperEvent, ShopperState> onErase(Person s, EraseShopper c, String journal) {
        var keys = ctx.type().keys();
        if (keys == null) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new ErasureFailed(ctx.shopperId(), "journals of this node are plain: nothing to shred"));
        }
        var subjects = new ArrayList<String>();
        subjects.add(ctx.shopperId());
        subjects.addAll(new TreeSet<>(s.links()));
        var receipt = journal.equals(ctx.shopperId()) ? "legacy" : journal;
        ctx.actor()
                .pipeToSelf(
                        keys.erase(receipt, subjects, c.erasedBy(), c.at()),
                        (done, failure) ->
                                new ErasureAnswered(c, subjects, failure == null ? null : failure.toString()));
        return ctx.effects().noReply();
    }

    /**
     * The key store erased the person (the actor stops, then answers) or could not (it says so; erasure is idempotent).
     */
    ReplyEffect<ShopperEvent, ShopperState> onAnswered(ErasureAnswered a) {
        if (a.failure() != null) {
            return ctx.effects().reply(a.erase().replyTo(), new ErasureFailed(ctx.shopperId(), a.failure()));
        }
        var identities = a.subjects().subList(1, a.subjects().size());
        identities.forEach(identity -> ctx.type().shoppers().apply(identity).tell(new Passivate()));
        ctx.wallets().stopped(ctx.shopperId());
        return ctx.effects()
                .stop()
                .thenReply(a.erase().replyTo(), st -> new ShopperErased(ctx.shopperId(), identities.size()));
    }
}

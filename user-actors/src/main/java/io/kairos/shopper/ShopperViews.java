package io.kairos.shopper;

import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.shopper.ShopperCommand.Found;
import io.kairos.shopper.ShopperCommand.GetShopper;
import io.kairos.shopper.ShopperCommand.GetStream;
import io.kairos.shopper.ShopperCommand.ProfileStale;
import io.kairos.shopper.ShopperCommand.ShopperReply;
import io.kairos.shopper.ShopperCommand.StreamStart;
import io.kairos.shopper.ShopperCommand.Unknown;
import io.kairos.shopper.ShopperCommand.UpdateProfile;
import io.kairos.shopper.ShopperEvent.ProfileUpdated;

/**
 * What a person shows of itself: its live view (scores and lifecycle stage as of the request, nothing persisted), the
 * start of its live stream, and its profile, replaced as a whole (conditionally on its entity tag).
 */
record ShopperViews(PersonContext ctx) {

    ReplyEffect<ShopperEvent, ShopperState> onGetStream(Person s, GetStream c) {
        return ctx.effects()
                .reply(
                        c.replyTo(),
                        new StreamStart(
                                ctx.shopperId(),
                                s.isKnown(),
                                ctx.sequenceNr(),
                                s.offers().visibleAt(c.now()),
                                s.behaviour().recentSkus()));
    }

    ReplyEffect<ShopperEvent, ShopperState> onGet(Person s, GetShopper c) {
        if (!s.isKnown()) return ctx.effects().reply(c.replyTo(), new Unknown(ctx.shopperId()));
        // A read persists nothing: the lifecycle stage as of now is shown, and recorded by the next write or wake-up.
        var changes = new Changes(s);
        ctx.type()
                .rules()
                .transition(
                        changes,
                        Behaviour.later(c.now(), s.lastEventAt()),
                        c.now(),
                        ctx.type().services().lifecycle().get());
        return ctx.effects().reply(c.replyTo(), found(changes.person(), c.now()));
    }

    /** Replaces the profile; with {@code ifMatch}, only if the profile's entity tag is still that one. */
    ReplyEffect<ShopperEvent, ShopperState> onUpdateProfile(Person s, UpdateProfile c) {
        if (c.ifMatch() != null && !c.ifMatch().equals(s.profile().etag())) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new ProfileStale(ctx.shopperId(), s.profile().etag()));
        }
        return ctx.persist(new ProfileUpdated(c.profile(), c.at()))
                .thenReply(c.replyTo(), st -> found((Person) st, c.at()));
    }

    private ShopperReply found(Person s, java.time.Instant now) {
        var summary = s.summarize(ctx.shopperId(), now, ctx.type().settings().highValueMonetary());
        var lifecycle = ctx.type().services().lifecycle().get();
        return new Found(
                lifecycle.isEmpty()
                        ? summary
                        : summary.withPAlive(lifecycle.get().pAlive(s.book(), now)));
    }
}

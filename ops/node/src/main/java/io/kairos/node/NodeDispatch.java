package io.kairos.node;

import akka.actor.typed.ActorSystem;
import io.kairos.dispatch.Dispatch;
import io.kairos.dispatch.ResilientChannel;
import io.kairos.dispatch.TrackedLinks;
import java.util.Map;

/**
 * Offer delivery in a node: channels, delivery ledger and contact-cap shards, and the dispatch projection (see
 * dispatch/README.md). Off with {@code KAIROS_DISPATCH_ENABLED=false}; a channel is on when its endpoint is configured
 * (the default webhook: {@code KAIROS_WEBHOOK_URL} and {@code KAIROS_WEBHOOK_SECRET}).
 *
 * @param channels the channels this node sends on, by name
 */
public record NodeDispatch(Map<String, ResilientChannel> channels) {
    /** Starts dispatch on this node; call on every node after the shopper shards are initialised. */
    public static NodeDispatch init(ActorSystem<?> system, TrackedLinks links) {
        return new NodeDispatch(Dispatch.init(system, links));
    }
}

package io.kairos.shopper;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.pubsub.DistributedPubSub;
import akka.cluster.pubsub.DistributedPubSubMediator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shopper streams across the cluster through Akka's distributed pub-sub mediator: one topic per person
 * ({@code shopper-stream:<id>}). A publish goes straight to the nodes that have a subscriber to the topic; a topic
 * nobody subscribes to costs the mediator a lookup. A new subscription reaches the other nodes' mediators by gossip
 * (within {@code akka.cluster.pub-sub.gossip-interval}, 1 s): a change published before then is missed live and found
 * by the stream's catch-up from the journal.
 *
 * <p>Each subscription is a small forwarder actor (the mediator's registrant): it passes the stream's messages on,
 * drops the mediator's acknowledgements, and stops (leaving the topic) when closed or when its subscriber stops.
 */
public final class ClusterShopperStreams implements ShopperStreams {
    private static final AtomicLong SUBSCRIPTIONS = new AtomicLong();

    private final ActorSystem<?> system;
    private final akka.actor.ActorRef mediator;

    public ClusterShopperStreams(ActorSystem<?> system) {
        this.system = system;
        this.mediator = DistributedPubSub.get(Adapter.toClassic(system)).mediator();
    }

    static String topic(String shopperId) {
        return "shopper-stream:" + shopperId;
    }

    @Override
    public void publish(String shopperId, Message message) {
        mediator.tell(new DistributedPubSubMediator.Publish(topic(shopperId), message), akka.actor.ActorRef.noSender());
    }

    @Override
    public AutoCloseable subscribe(String shopperId, ActorRef<Message> to) {
        // A system actor: a node's ActorSystem has its own user guardian, which refuses top-level actors from outside.
        ActorRef<Object> forwarder =
                system.systemActorOf(forwarder(to), "shopper-stream-" + SUBSCRIPTIONS.incrementAndGet(), Props.empty());
        var classic = Adapter.toClassic(forwarder);
        mediator.tell(new DistributedPubSubMediator.Subscribe(topic(shopperId), classic), classic);
        return () -> forwarder.tell(Stop.INSTANCE);
    }

    private enum Stop {
        INSTANCE
    }

    private static Behavior<Object> forwarder(ActorRef<Message> to) {
        return Behaviors.setup(ctx -> {
            ctx.watch(to);
            return Behaviors.receive(Object.class)
                    .onMessage(Message.class, m -> {
                        to.tell(m);
                        return Behaviors.same();
                    })
                    .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                    .onSignal(Terminated.class, t -> Behaviors.stopped())
                    .onAnyMessage(ack -> Behaviors.same())
                    .build();
        });
    }
}

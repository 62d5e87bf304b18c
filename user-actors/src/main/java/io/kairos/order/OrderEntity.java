package io.kairos.order;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEntity.CartItem;
import io.kairos.shopper.ShopperEntity.OrderRejected;
import io.kairos.shopper.ShopperEntity.OrderReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Where an order id lives: binds it, the first time it is placed, to the shopper who placed it, and forwards the order
 * and its cancellation to that shopper. This is what lets {@code POST /v1/orders/{orderId}/cancel} find the order
 * without the shopper's id, and what makes an order id name one order in the whole shop (the same id for another
 * shopper is a conflict). The order itself (coupons, redemption, idempotent result) lives in the shopper entity, which
 * answers the caller directly.
 *
 * <p>Invariant: an order id is bound to at most one shopper, for ever.
 */
public final class OrderEntity
        extends EventSourcedBehaviorWithEnforcedReplies<OrderEntity.Command, OrderEntity.Event, OrderEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Order");

    public sealed interface Command extends CborSerializable {}

    public record Place(
            String shopperId,
            List<CartItem> items,
            List<String> couponIds,
            BigDecimal shippingFee,
            Instant now,
            ActorRef<OrderReply> replyTo)
            implements Command {}

    public record Cancel(Instant now, ActorRef<OrderReply> replyTo) implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record OrderBound(String shopperId, Instant at) implements Event {}

    /** The shopper the order belongs to; null until it is first placed. */
    public record State(String shopperId) implements CborSerializable {}

    public static void init(ActorSystem<?> system) {
        var sharding = ClusterSharding.get(system);
        Function<String, RecipientRef<ShopperEntity.Command>> shoppers =
                id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
        sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), shoppers)));
    }

    public static Behavior<Command> create(
            String orderId, Function<String, RecipientRef<ShopperEntity.Command>> shoppers) {
        return Behaviors.setup(ctx -> new OrderEntity(orderId, shoppers));
    }

    private final String orderId;
    private final Function<String, RecipientRef<ShopperEntity.Command>> shoppers;

    private OrderEntity(String orderId, Function<String, RecipientRef<ShopperEntity.Command>> shoppers) {
        super(
                PersistenceId.of(ENTITY_KEY.name(), orderId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.orderId = orderId;
        this.shoppers = shoppers;
    }

    @Override
    public State emptyState() {
        return new State(null);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Place.class, this::onPlace)
                .onCommand(Cancel.class, this::onCancel)
                .build();
    }

    private ReplyEffect<Event, State> onPlace(State s, Place c) {
        var forward =
                new ShopperEntity.PlaceOrder(orderId, c.items(), c.couponIds(), c.shippingFee(), c.now(), c.replyTo());
        if (s.shopperId() == null) {
            return Effect()
                    .persist(new OrderBound(c.shopperId(), c.now()))
                    .thenRun(st -> shoppers.apply(c.shopperId()).tell(forward))
                    .thenNoReply();
        }
        if (!s.shopperId().equals(c.shopperId())) {
            return Effect()
                    .reply(
                            c.replyTo(),
                            new OrderRejected("conflict", "order " + orderId + " belongs to another shopper"));
        }
        shoppers.apply(s.shopperId()).tell(forward);
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onCancel(State s, Cancel c) {
        if (s.shopperId() == null)
            return Effect().reply(c.replyTo(), new OrderRejected("not-found", "no order " + orderId));
        shoppers.apply(s.shopperId()).tell(new ShopperEntity.CancelOrder(orderId, c.now(), c.replyTo()));
        return Effect().noReply();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return (s, e) -> e instanceof OrderBound b ? new State(b.shopperId()) : s;
    }
}

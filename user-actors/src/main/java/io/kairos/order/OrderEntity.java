package io.kairos.order;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.entity.EntitySettings;
import io.kairos.entity.KairosEntity;
import io.kairos.offer.PriceList;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.CartItem;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.OrderReply;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where an order id lives: binds it, the first time it is placed, to the shopper who placed it, and forwards the order,
 * its cancellation, its refunds and reads of it to that shopper. This is what lets {@code POST
 * /v1/orders/{orderId}/cancel} find the order without the shopper's id, and what makes an order id name one order in
 * the whole shop (the same id for another shopper is a conflict). The order itself (coupons, redemption, idempotent
 * result) lives in the shopper entity, which answers the caller directly.
 *
 * <p>Invariant: an order id is bound to at most one shopper, for ever.
 */
public final class OrderEntity extends KairosEntity<OrderEntity.Command, OrderEntity.Event, OrderEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Order");

    public sealed interface Command extends CborSerializable {}

    public record Place(
            String shopperId,
            List<CartItem> items,
            List<String> couponIds,
            BigDecimal shippingFee,
            PriceList prices,
            Instant now,
            ActorRef<OrderReply> replyTo)
            implements Command {}

    public record Cancel(Instant now, ActorRef<OrderReply> replyTo) implements Command {}

    /** Refunds units per SKU (null: all that is left); idempotent by {@code refundId}. */
    public record Refund(String refundId, Map<String, Integer> units, Instant now, ActorRef<OrderReply> replyTo)
            implements Command {}

    /** The order as it is now. */
    public record Get(ActorRef<OrderReply> replyTo) implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record OrderBound(String shopperId, Instant at) implements Event {}

    /** The shopper the order belongs to; null until it is first placed. */
    public record State(String shopperId) implements CborSerializable {
        State apply(Event event) {
            return event instanceof OrderBound b ? new State(b.shopperId()) : this;
        }
    }

    public static void init(ActorSystem<?> system) {
        var sharding = ClusterSharding.get(system);
        var entity = EntitySettings.create(system, "order");
        Function<String, RecipientRef<ShopperCommand>> shoppers =
                id -> sharding.entityRefFor(ShopperCommand.ENTITY_KEY, id);
        sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), entity, shoppers)));
    }

    public static Behavior<Command> create(
            String orderId, EntitySettings entity, Function<String, RecipientRef<ShopperCommand>> shoppers) {
        return new OrderEntity(orderId, entity, shoppers);
    }

    private final String orderId;
    private final EntitySettings entity;
    private final Function<String, RecipientRef<ShopperCommand>> shoppers;

    private OrderEntity(
            String orderId, EntitySettings entity, Function<String, RecipientRef<ShopperCommand>> shoppers) {
        super(ENTITY_KEY.name(), orderId, entity);
        this.orderId = orderId;
        this.entity = entity;
        this.shoppers = shoppers;
    }

    @Override
    public OrderEntity.State emptyState() {
        return new State(null);
    }

    @Override
    protected EntitySettings entitySettings() {
        return entity;
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return State::apply;
    }

    @Override
    protected void commands(CommandHandlerWithReplyBuilder<Command, Event, State> builder) {
        builder.forAnyState()
                .onCommand(Place.class, this::onPlace)
                .onCommand(
                        Cancel.class,
                        (s, c) -> toShopper(
                                s, c.replyTo(), new ShopperCommand.CancelOrder(orderId, c.now(), c.replyTo())))
                .onCommand(
                        Refund.class,
                        (s, c) -> toShopper(
                                s,
                                c.replyTo(),
                                new ShopperCommand.RefundOrder(orderId, c.refundId(), c.units(), c.now(), c.replyTo())))
                .onCommand(
                        Get.class,
                        (s, c) -> toShopper(s, c.replyTo(), new ShopperCommand.GetOrder(orderId, c.replyTo())));
    }

    private ReplyEffect<Event, State> onPlace(State s, Place c) {
        var forward = new ShopperCommand.PlaceOrder(
                orderId, c.items(), c.couponIds(), c.shippingFee(), c.prices(), c.now(), c.replyTo());
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
                            new OrderRejected(
                                    OrderRejection.OTHER_SHOPPER, "order " + orderId + " belongs to another shopper"));
        }
        shoppers.apply(s.shopperId()).tell(forward);
        return Effect().noReply();
    }

    /** A command about a placed order goes to its shopper, who answers; an order never placed is not found. */
    private ReplyEffect<Event, State> toShopper(State s, ActorRef<OrderReply> replyTo, ShopperCommand command) {
        if (s.shopperId() == null) {
            return Effect().reply(replyTo, new OrderRejected(OrderRejection.NOT_FOUND, "no order " + orderId));
        }
        shoppers.apply(s.shopperId()).tell(command);
        return Effect().noReply();
    }
}

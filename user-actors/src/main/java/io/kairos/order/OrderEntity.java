package io.kairos.order;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.entity.EntitySettings;
import io.kairos.entity.KairosEntity;
import io.kairos.offer.PriceList;
import io.kairos.privacy.PersonKeys;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.CartItem;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.OrderReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where an order id lives: binds it, the first time it is placed, to the shopper who placed it, and forwards the order,
 * its cancellation, its refunds and reads of it to that shopper. This is what lets {@code POST
 * /v1/orders/{orderId}/cancel} find the order without the shopper's id, and what makes an order id name one order in
 * the whole shop (the same id for another shopper is a conflict). The order itself (coupons, redemption, idempotent
 * result) lives in the shopper entity, which answers the caller directly.
 *
 * <p>The binding names the person by the name its shopper gives ({@link ShopperCommand.WhoAreYou}: its pseudonym), not
 * by shopper id, so the order journal names nobody once the person is erased; the shopper is reached through the key
 * store ({@link PersonKeys#subjectNamed}). Orders bound before pseudonyms keep their shopper id.
 *
 * <p>Invariant: an order id is bound to at most one person, for ever.
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

    /** The name of the shopper who placed {@code place} (null: erased), or why it is not known. */
    record Named(Place place, String name, String failure) implements Command {}

    /** {@code command} for the shopper {@code subject} names (empty: erased), or why it is not known. */
    record Found(Optional<String> subject, String failure, ShopperCommand command, ActorRef<OrderReply> replyTo)
            implements Command {}

    public sealed interface Event extends CborSerializable {}

    /**
     * @param shopperId the shopper, in orders bound before pseudonyms (else null)
     * @param person the person's name ({@link ShopperCommand.PersonNamed}), where {@code shopperId} is null
     */
    public record OrderBound(String shopperId, Instant at, String person) implements Event {}

    /** Whom the order belongs to: a shopper id (bound before pseudonyms) or a person's name; both null until placed. */
    public record State(String shopperId, String person) implements CborSerializable {
        State apply(Event event) {
            return event instanceof OrderBound b ? new State(b.shopperId(), b.person()) : this;
        }

        boolean bound() {
            return shopperId != null || person != null;
        }
    }

    public static void init(ActorSystem<?> system) {
        var sharding = ClusterSharding.get(system);
        var entity = EntitySettings.create(system, "order");
        Function<String, RecipientRef<ShopperCommand>> shoppers =
                id -> sharding.entityRefFor(ShopperCommand.ENTITY_KEY, id);
        var keys = PersonKeys.get(system);
        var askTimeout = system.settings().config().getDuration("kairos.offers.settle-timeout");
        sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), entity, shoppers, keys, askTimeout)));
    }

    /** An order whose shoppers are named by shopper id, as before pseudonyms (tests). */
    public static Behavior<Command> create(
            String orderId, EntitySettings entity, Function<String, RecipientRef<ShopperCommand>> shoppers) {
        return create(orderId, entity, shoppers, null, Duration.ofSeconds(5));
    }

    /** An order bound to the name its shopper gives, reached through {@code keys} (null: by shopper id). */
    public static Behavior<Command> create(
            String orderId,
            EntitySettings entity,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            PersonKeys keys,
            Duration askTimeout) {
        return Behaviors.setup(c -> new OrderEntity(orderId, entity, shoppers, keys, askTimeout, c));
    }

    private final String orderId;
    private final EntitySettings entity;
    private final Function<String, RecipientRef<ShopperCommand>> shoppers;
    private final PersonKeys keys; // null: bind by shopper id
    private final Duration askTimeout;
    private final ActorContext<Command> context;

    private OrderEntity(
            String orderId,
            EntitySettings entity,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            PersonKeys keys,
            Duration askTimeout,
            ActorContext<Command> context) {
        super(ENTITY_KEY.name(), orderId, entity);
        this.orderId = orderId;
        this.entity = entity;
        this.shoppers = shoppers;
        this.keys = keys;
        this.askTimeout = askTimeout;
        this.context = context;
    }

    @Override
    public OrderEntity.State emptyState() {
        return new State(null, null);
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
                .onCommand(Named.class, this::onNamed)
                .onCommand(Found.class, this::onFound)
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

    /** Bound by shopper id (before pseudonyms, or tests): compared at once; else by the name the shopper gives. */
    private ReplyEffect<Event, State> onPlace(State s, Place c) {
        if (s.shopperId() != null || (keys == null && !s.bound())) return place(s, c, c.shopperId(), null);
        context.pipeToSelf(
                AskPattern.<ShopperCommand, ShopperCommand.PersonNamed>ask(
                        shoppers.apply(c.shopperId()),
                        ShopperCommand.WhoAreYou::new,
                        askTimeout,
                        context.getSystem().scheduler()),
                (named, failure) ->
                        new Named(c, named == null ? null : named.name(), failure == null ? null : failure.toString()));
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onNamed(State s, Named n) {
        var c = n.place();
        if (n.failure() != null) {
            return Effect()
                    .reply(
                            c.replyTo(),
                            new OrderRejected(
                                    OrderRejection.UNAVAILABLE,
                                    "the shopper did not answer in time: retry with the same order id"));
        }
        // an erased person: its shopper answers the order as not found, and the order stays unbound
        if (n.name() == null) return forward(c);
        return place(s, c, null, n.name());
    }

    private ReplyEffect<Event, State> place(State s, Place c, String shopperId, String person) {
        if (!s.bound()) {
            return Effect()
                    .persist(new OrderBound(shopperId, c.now(), person))
                    .thenRun(st -> forward(c))
                    .thenNoReply();
        }
        boolean same = s.shopperId() != null
                ? s.shopperId().equals(c.shopperId())
                : s.person().equals(person);
        if (!same) {
            return Effect()
                    .reply(
                            c.replyTo(),
                            new OrderRejected(
                                    OrderRejection.OTHER_SHOPPER, "order " + orderId + " belongs to another shopper"));
        }
        return forward(c);
    }

    private ReplyEffect<Event, State> forward(Place c) {
        shoppers.apply(c.shopperId())
                .tell(new ShopperCommand.PlaceOrder(
                        orderId, c.items(), c.couponIds(), c.shippingFee(), c.prices(), c.now(), c.replyTo()));
        return Effect().noReply();
    }

    /** A command about a placed order goes to its shopper, who answers; an order never placed is not found. */
    private ReplyEffect<Event, State> toShopper(State s, ActorRef<OrderReply> replyTo, ShopperCommand command) {
        if (!s.bound()) return notFound(replyTo, "no order " + orderId);
        if (s.shopperId() != null) {
            shoppers.apply(s.shopperId()).tell(command);
            return Effect().noReply();
        }
        context.pipeToSelf(
                keys.subjectNamed(s.person()),
                (subject, failure) ->
                        new Found(subject, failure == null ? null : failure.toString(), command, replyTo));
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onFound(State s, Found f) {
        if (f.failure() != null) {
            return Effect()
                    .reply(
                            f.replyTo(),
                            new OrderRejected(
                                    OrderRejection.UNAVAILABLE, "the order's shopper could not be looked up"));
        }
        if (f.subject().isEmpty()) return notFound(f.replyTo(), "order " + orderId + ": its shopper was erased");
        shoppers.apply(f.subject().get()).tell(f.command());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> notFound(ActorRef<OrderReply> replyTo, String detail) {
        return Effect().reply(replyTo, new OrderRejected(OrderRejection.NOT_FOUND, detail));
    }
}

package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.Admission;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.offer.CheckoutBodies.OrderRequest;
import io.kairos.http.offer.CheckoutBodies.OrderResponse;
import io.kairos.http.offer.CheckoutBodies.RefundRequest;
import io.kairos.offer.PriceSource;
import io.kairos.order.OrderEntity;
import io.kairos.shopper.ShopperCommand.OrderAccepted;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderReply;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST /v1/orders}, {@code GET /v1/orders/{orderId}}, {@code POST /v1/orders/{orderId}/cancel} and
 * {@code …/refund} (role ingest), through the order's {@link OrderEntity}, which binds the order id to its shopper. An
 * order redeems its coupons atomically in the shopper: 201 with the discounts, or 409 (a coupon used, expired or
 * revoked) / 422 (not applicable, stacking, no price). The same order id again answers its first result with 200.
 */
public record OrderRoutes(
        Function<String, EntityRef<OrderEntity.Command>> orders, PriceSource prices, RouteContext ctx) {

    public Route routes() {
        var ingest = roles(Role.INGEST);
        return pathPrefix(
                "orders",
                () -> concat(
                        pathEnd(() -> post(() -> ctx.authorizedBody(ingest, OrderRequest.class, this::place))),
                        path(
                                PathMatchers.segment().slash("cancel"),
                                orderId -> post(() -> ctx.authorized(ingest, () -> cancel(orderId)))),
                        path(
                                PathMatchers.segment().slash("refund"),
                                orderId -> post(() -> ctx.authorized(
                                        ingest,
                                        () -> optionalHeaderValueByName(
                                                "Idempotency-Key",
                                                key -> ctx.optionalJsonBody(
                                                        RefundRequest.class, body -> refund(orderId, key, body)))))),
                        path(
                                PathMatchers.segment(),
                                orderId -> get(() -> ctx.authorized(ingest, () -> read(orderId))))));
    }

    private Route place(OrderRequest body) {
        var cart = CheckoutBodies.validate(body);
        var coupons = body.couponIds() == null ? java.util.List.<String>of() : body.couponIds();
        var now = ctx.now();
        var placed = ctx.admit(Admission.Work.ORDERS, () -> prices.prices(CheckoutBodies.skus(cart))
                .thenCompose(list -> orders.apply(body.orderId())
                        .<OrderReply>ask(
                                r -> new OrderEntity.Place(
                                        io.kairos.http.shopper.Identities.normalize(body.shopperId()),
                                        cart,
                                        coupons,
                                        body.shippingFee(),
                                        list,
                                        now,
                                        r),
                                ctx.settings().askTimeout())));
        return onSuccess(placed, reply -> {
            var accepted = accepted(reply);
            return complete(json(
                    accepted.repeated() ? StatusCodes.OK : StatusCodes.CREATED,
                    OrderResponse.of(accepted.shopperId(), accepted.order())));
        });
    }

    private Route cancel(String orderId) {
        Validator.requireId("orderId", orderId);
        var now = ctx.now();
        return theOrder(orderId, r -> new OrderEntity.Cancel(now, r));
    }

    /**
     * Refunds units of the order (all that is left when the body names none). The refund id is the
     * {@code Idempotency-Key} (a retry with it answers the order as it is), else a new one.
     */
    private Route refund(String orderId, Optional<String> key, RefundRequest body) {
        Validator.requireId("orderId", orderId);
        key.ifPresent(k -> Validator.requireId("Idempotency-Key", k));
        var units = CheckoutBodies.refundUnits(body);
        var refundId = key.orElseGet(() -> "refund-" + UUID.randomUUID());
        var now = ctx.now();
        return theOrder(orderId, r -> new OrderEntity.Refund(refundId, units, now, r));
    }

    /** The order as it is now: lines, discounts, status and refunds. */
    private Route read(String orderId) {
        Validator.requireId("orderId", orderId);
        return theOrder(orderId, OrderEntity.Get::new);
    }

    /** Asks the order's entity {@code command}; answers 200 with the order as it is then, or the rejection. */
    private Route theOrder(
            String orderId, Function<akka.actor.typed.ActorRef<OrderReply>, OrderEntity.Command> command) {
        return onSuccess(
                ctx.admit(Admission.Work.ORDERS, () -> orders.apply(orderId)
                        .ask(command::apply, ctx.settings().askTimeout())),
                reply -> {
                    var accepted = accepted(reply);
                    return complete(json(StatusCodes.OK, OrderResponse.of(accepted.shopperId(), accepted.order())));
                });
    }

    private static OrderAccepted accepted(OrderReply reply) {
        if (reply instanceof OrderAccepted a) return a;
        var rejected = (OrderRejected) reply;
        throw ApiException.rejected(rejected.reason(), rejected.detail());
    }
}

package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.ApiKeys;
import io.kairos.http.HttpSettings;
import io.kairos.http.Role;
import io.kairos.http.Validator;
import io.kairos.http.offer.CheckoutBodies.OrderRequest;
import io.kairos.http.offer.CheckoutBodies.OrderResponse;
import io.kairos.order.OrderEntity;
import io.kairos.shopper.ShopperEntity.OrderAccepted;
import io.kairos.shopper.ShopperEntity.OrderRejected;
import io.kairos.shopper.ShopperEntity.OrderReply;
import java.time.Clock;
import java.util.function.Function;

/**
 * {@code POST /v1/orders} and {@code POST /v1/orders/{orderId}/cancel} (role ingest), through the order's
 * {@link OrderEntity}, which binds the order id to its shopper. An order redeems its coupons atomically in the shopper:
 * 201 with the discounts, or 409 (a coupon used, expired or revoked) / 422 (not applicable, stacking, no price). The
 * same order id again answers its first result with 200.
 */
public final class OrderRoutes {
    private final Function<String, EntityRef<OrderEntity.Command>> orders;
    private final ApiKeys keys;
    private final HttpSettings settings;
    private final Clock clock;

    public OrderRoutes(
            Function<String, EntityRef<OrderEntity.Command>> orders, ApiKeys keys, HttpSettings settings, Clock clock) {
        this.orders = orders;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    public Route routes() {
        return pathPrefix(
                "orders",
                () -> concat(
                        pathEnd(() -> post(() -> authorized(
                                keys,
                                settings,
                                roles(Role.INGEST),
                                () -> jsonBody(settings, OrderRequest.class, this::place)))),
                        path(
                                PathMatchers.segment().slash("cancel"),
                                orderId -> post(
                                        () -> authorized(keys, settings, roles(Role.INGEST), () -> cancel(orderId))))));
    }

    private Route place(OrderRequest body) {
        var cart = CheckoutBodies.validate(body);
        var coupons = body.couponIds() == null ? java.util.List.<String>of() : body.couponIds();
        var now = clock.instant();
        return onSuccess(
                orders.apply(body.orderId())
                        .<OrderReply>ask(
                                r -> new OrderEntity.Place(body.shopperId(), cart, coupons, body.shippingFee(), now, r),
                                settings.askTimeout()),
                reply -> {
                    var accepted = accepted(reply);
                    return complete(json(
                            accepted.repeated() ? StatusCodes.OK : StatusCodes.CREATED,
                            OrderResponse.of(accepted.shopperId(), accepted.order())));
                });
    }

    private Route cancel(String orderId) {
        Validator.requireId("orderId", orderId);
        var now = clock.instant();
        return onSuccess(
                orders.apply(orderId).<OrderReply>ask(r -> new OrderEntity.Cancel(now, r), settings.askTimeout()),
                reply -> {
                    var accepted = accepted(reply);
                    return complete(json(StatusCodes.OK, OrderResponse.of(accepted.shopperId(), accepted.order())));
                });
    }

    private static OrderAccepted accepted(OrderReply reply) {
        if (reply instanceof OrderAccepted a) return a;
        var rejected = (OrderRejected) reply;
        throw switch (rejected.reason()) {
            case "not-found" -> ApiException.notFound(rejected.detail());
            case "conflict" -> ApiException.conflict(rejected.detail());
            case "unavailable" -> ApiException.unavailable(rejected.detail());
            default -> ApiException.unprocessable(rejected.detail());
        };
    }
}

package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.offer.CheckoutBodies.QuoteRequest;
import io.kairos.http.offer.CheckoutBodies.QuoteResponse;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.QuoteRejected;
import io.kairos.shopper.ShopperCommand.QuoteReply;
import io.kairos.shopper.ShopperCommand.Quoted;
import java.util.function.Function;

/**
 * {@code POST /v1/checkout/quote} (role ingest): prices, applicable coupons and the best combination; changes nothing.
 */
public record CheckoutRoutes(Function<String, EntityRef<ShopperCommand>> shoppers, RouteContext ctx) {

    public Route routes() {
        return path(
                akka.http.javadsl.server.PathMatchers.segment("checkout").slash("quote"),
                () -> post(() -> ctx.authorizedBody(roles(Role.INGEST), QuoteRequest.class, this::quote)));
    }

    private Route quote(QuoteRequest body) {
        var cart = CheckoutBodies.validate(body);
        var now = ctx.now();
        return onSuccess(
                shoppers.apply(body.shopperId())
                        .<QuoteReply>ask(
                                r -> new ShopperCommand.QuoteCheckout(
                                        cart, body.couponIds(), body.shippingFee(), now, r),
                                ctx.settings().askTimeout()),
                reply -> {
                    if (reply instanceof Quoted q)
                        return complete(json(StatusCodes.OK, QuoteResponse.of(q.shopperId(), q.quote(), q.unusable())));
                    var rejected = (QuoteRejected) reply;
                    throw ApiException.rejected(rejected.reason(), rejected.detail());
                });
    }
}

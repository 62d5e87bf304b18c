package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.Admission;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.offer.CheckoutBodies.QuoteRequest;
import io.kairos.http.offer.CheckoutBodies.QuoteResponse;
import io.kairos.offer.PriceSource;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.QuoteRejected;
import io.kairos.shopper.ShopperCommand.QuoteReply;
import io.kairos.shopper.ShopperCommand.Quoted;
import java.util.function.Function;

/**
 * {@code POST /v1/checkout/quote} (role ingest): prices, applicable coupons and the best combination; changes nothing.
 * The cart's prices are resolved first ({@link PriceSource}: dynamic prices, else list prices), then the shopper quotes
 * them with its wallet; a guest is quoted without coupons.
 */
public record CheckoutRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers, PriceSource prices, RouteContext ctx) {

    public Route routes() {
        return path(
                akka.http.javadsl.server.PathMatchers.segment("checkout").slash("quote"),
                () -> post(() -> ctx.authorizedBody(roles(Role.INGEST), QuoteRequest.class, this::quote)));
    }

    private Route quote(QuoteRequest body) {
        var cart = CheckoutBodies.validate(body);
        var now = ctx.now();
        var quoted = ctx.admit(Admission.Work.READS, () -> prices.prices(CheckoutBodies.skus(cart))
                .thenCompose(list -> shoppers.apply(body.shopperId())
                        .<QuoteReply>ask(
                                r -> new ShopperCommand.QuoteCheckout(
                                        cart, body.couponIds(), body.shippingFee(), list, now, r),
                                ctx.settings().askTimeout())));
        return onSuccess(quoted, reply -> {
            if (reply instanceof Quoted q)
                return complete(json(StatusCodes.OK, QuoteResponse.of(q.shopperId(), q.quote(), q.unusable())));
            var rejected = (QuoteRejected) reply;
            throw ApiException.rejected(rejected.reason(), rejected.detail());
        });
    }
}

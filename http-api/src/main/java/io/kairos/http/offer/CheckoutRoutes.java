package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.ApiKeys;
import io.kairos.http.HttpSettings;
import io.kairos.http.Role;
import io.kairos.http.offer.CheckoutBodies.QuoteRequest;
import io.kairos.http.offer.CheckoutBodies.QuoteResponse;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEntity.QuoteRejected;
import io.kairos.shopper.ShopperEntity.QuoteReply;
import io.kairos.shopper.ShopperEntity.Quoted;
import java.time.Clock;
import java.util.function.Function;

/**
 * {@code POST /v1/checkout/quote} (role ingest): prices, applicable coupons and the best combination; changes nothing.
 */
public final class CheckoutRoutes {
    private final Function<String, EntityRef<ShopperEntity.Command>> shoppers;
    private final ApiKeys keys;
    private final HttpSettings settings;
    private final Clock clock;

    public CheckoutRoutes(
            Function<String, EntityRef<ShopperEntity.Command>> shoppers,
            ApiKeys keys,
            HttpSettings settings,
            Clock clock) {
        this.shoppers = shoppers;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    public Route routes() {
        return path(
                akka.http.javadsl.server.PathMatchers.segment("checkout").slash("quote"),
                () -> post(() -> authorized(
                        keys,
                        settings,
                        roles(Role.INGEST),
                        () -> jsonBody(settings, QuoteRequest.class, this::quote))));
    }

    private Route quote(QuoteRequest body) {
        var cart = CheckoutBodies.validate(body);
        var now = clock.instant();
        return onSuccess(
                shoppers.apply(body.shopperId())
                        .<QuoteReply>ask(
                                r -> new ShopperEntity.QuoteCheckout(
                                        cart, body.couponIds(), body.shippingFee(), now, r),
                                settings.askTimeout()),
                reply -> {
                    if (reply instanceof Quoted q)
                        return complete(json(StatusCodes.OK, QuoteResponse.of(q.shopperId(), q.quote(), q.unusable())));
                    var rejected = (QuoteRejected) reply;
                    throw rejected.reason().equals("unknown-shopper")
                            ? ApiException.notFound(rejected.detail())
                            : ApiException.unprocessable(rejected.detail());
                });
    }
}

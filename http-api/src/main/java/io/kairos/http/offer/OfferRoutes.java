package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.ClaimRejected;
import io.kairos.shopper.ShopperCommand.ClaimReply;
import io.kairos.shopper.ShopperCommand.CouponClaimed;
import io.kairos.shopper.ShopperCommand.OffersFound;
import io.kairos.shopper.ShopperCommand.OffersReply;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * {@code /v1/shoppers/{id}/offers} (the live offers; may decide and issue) and
 * {@code /v1/shoppers/{id}/coupons/{couponId}/claim}, for role ingest: the offer part of the shopper resource, mounted
 * by {@link io.kairos.http.shopper.ShopperRoutes}. A linked identity is answered by its person.
 */
public record OfferRoutes(Function<String, EntityRef<ShopperCommand>> shoppers, RouteContext ctx) {
    /** {@code GET offers}: the person's live offers. */
    public record OffersResponse(String shopperId, List<OfferBody> offers) {}

    /** The routes below {@code /v1/shoppers/{id}}. */
    public Route routes(String id) {
        return concat(
                path("offers", () -> get(() -> ctx.authorized(roles(Role.INGEST), () -> offers(id)))),
                path(
                        PathMatchers.segment("coupons")
                                .slash(PathMatchers.segment())
                                .slash("claim"),
                        couponId -> post(() -> ctx.authorized(roles(Role.INGEST), () -> claim(id, couponId)))));
    }

    private Route offers(String id) {
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<OffersReply> r) -> new GetOffers(now, r)),
                reply -> complete(json(StatusCodes.OK, live(id, reply, now))));
    }

    private Route claim(String id, String couponId) {
        Validator.requireId("couponId", couponId);
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ClaimReply> r) -> new ClaimCoupon(couponId, now, r)), reply -> {
                    if (reply instanceof CouponClaimed c) {
                        return complete(json(StatusCodes.OK, OfferBody.of(c.offer(), now)));
                    }
                    var rejected = (ClaimRejected) reply;
                    throw ApiException.rejected(rejected.reason(), rejected.detail());
                });
    }

    private static OffersResponse live(String id, OffersReply reply, Instant now) {
        if (!(reply instanceof OffersFound found)) throw ApiException.notFound("no shopper " + id);
        return new OffersResponse(
                found.shopperId(),
                found.offers().stream()
                        .filter(o -> o.usableAt(now))
                        .map(o -> OfferBody.of(o, now))
                        .toList());
    }
}

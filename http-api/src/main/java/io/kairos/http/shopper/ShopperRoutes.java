package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.offer.OfferRoutes;
import io.kairos.http.offer.OfferViews;
import io.kairos.http.shopper.LinkBodies.LinkRequest;
import io.kairos.http.shopper.LinkBodies.LinkResponse;
import io.kairos.offer.PriceSource;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.Found;
import io.kairos.shopper.ShopperCommand.LinkRejected;
import io.kairos.shopper.ShopperCommand.LinkReply;
import io.kairos.shopper.ShopperCommand.Linked;
import io.kairos.shopper.ShopperCommand.ShopperReply;
import java.util.function.Function;

/**
 * {@code /v1/shoppers/{id}}: a shopper's live view, profile and identity links, (through {@link OfferRoutes}) its
 * offers and coupons, and (through {@link ShopperPriceRoutes}) what it pays. The one owner of the shopper resource's
 * path. Requests for a linked identity are answered by the person it belongs to.
 */
public record ShopperRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        OfferViews views,
        PriceSource prices,
        ShopperStreamRoutes stream,
        RouteContext ctx) {

    public Route routes() {
        var ingest = roles(Role.INGEST);
        return pathPrefix(
                "shoppers",
                () -> RouteContext.id(
                        "shopperId",
                        id -> concat(
                                pathEnd(() -> get(() -> ctx.authorized(
                                        roles(Role.INGEST, Role.OPERATOR, Role.AUDITOR), () -> getShopper(id)))),
                                path(
                                        "profile",
                                        () -> put(() -> ctx.authorizedBody(
                                                ingest, ProfileBody.class, body -> updateProfile(id, body)))),
                                path(
                                        "links",
                                        () -> post(() ->
                                                ctx.authorizedBody(ingest, LinkRequest.class, body -> link(id, body)))),
                                new OfferRoutes(shoppers, views, ctx).routes(id),
                                new ShopperPriceRoutes(shoppers, prices, views.currency(), ctx).routes(id),
                                stream.routes(id))));
    }

    private Route getShopper(String id) {
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ShopperReply> r) -> new GetShopper(now, r)),
                reply -> complete(json(StatusCodes.OK, view(id, reply))));
    }

    private Route updateProfile(String id, ProfileBody body) {
        var profile = body.toProfile();
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ShopperReply> r) -> new UpdateProfile(profile, now, r)),
                reply -> complete(json(StatusCodes.OK, view(id, reply))));
    }

    private Route link(String id, LinkRequest body) {
        Validator.requireId("identity", body.identity());
        if (body.identity().indexOf(':') <= 0) {
            throw ApiException.badRequest("identity", "must be kind:value, e.g. phone:13800000000 or device:abc");
        }
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<LinkReply> r) -> new LinkIdentity(body.identity(), now, r)),
                reply -> complete(json(StatusCodes.OK, linked(body.identity(), reply))));
    }

    private ShopperResponse view(String id, ShopperReply reply) {
        if (reply instanceof Found found) return ShopperResponse.of(found.summary(), views);
        throw ApiException.notFound("no shopper " + id);
    }

    private static LinkResponse linked(String identity, LinkReply reply) {
        if (reply instanceof Linked l) return new LinkResponse(l.shopperId(), identity, l.links());
        var rejected = (LinkRejected) reply;
        throw ApiException.rejected(rejected.reason(), rejected.detail());
    }
}

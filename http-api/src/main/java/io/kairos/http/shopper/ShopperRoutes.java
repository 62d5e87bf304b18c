package io.kairos.http.shopper;

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
import io.kairos.http.shopper.LinkBodies.LinkRequest;
import io.kairos.http.shopper.LinkBodies.LinkResponse;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEntity.Found;
import io.kairos.shopper.ShopperEntity.LinkRejected;
import io.kairos.shopper.ShopperEntity.LinkReply;
import io.kairos.shopper.ShopperEntity.Linked;
import io.kairos.shopper.ShopperEntity.ShopperReply;
import java.time.Clock;
import java.util.function.Function;

/**
 * {@code /v1/shoppers/{id}}: a shopper's live view, profile and identity links. Requests for a linked identity are
 * answered by the person it belongs to.
 */
public final class ShopperRoutes {
    private final Function<String, EntityRef<ShopperEntity.Command>> shoppers;
    private final ApiKeys keys;
    private final HttpSettings settings;
    private final Clock clock;

    public ShopperRoutes(
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
        return pathPrefix(
                "shoppers",
                () -> pathPrefix(PathMatchers.segment(), id -> {
                    Validator.requireId("shopperId", id);
                    return concat(
                            pathEnd(() -> get(() -> authorized(
                                    keys,
                                    settings,
                                    roles(Role.INGEST, Role.OPERATOR, Role.AUDITOR),
                                    () -> getShopper(id)))),
                            path(
                                    "profile",
                                    () -> put(() -> authorized(
                                            keys,
                                            settings,
                                            roles(Role.INGEST),
                                            () -> jsonBody(
                                                    settings, ProfileBody.class, body -> updateProfile(id, body))))),
                            path(
                                    "links",
                                    () -> post(() -> authorized(
                                            keys,
                                            settings,
                                            roles(Role.INGEST),
                                            () -> jsonBody(settings, LinkRequest.class, body -> link(id, body))))));
                }));
    }

    private Route getShopper(String id) {
        var now = clock.instant();
        return onSuccess(
                shoppers.apply(id).<ShopperReply>ask(r -> new ShopperEntity.GetShopper(now, r), settings.askTimeout()),
                reply -> complete(json(StatusCodes.OK, view(id, reply))));
    }

    private Route updateProfile(String id, ProfileBody body) {
        var profile = body.toProfile();
        var now = clock.instant();
        return onSuccess(
                shoppers.apply(id)
                        .<ShopperReply>ask(
                                r -> new ShopperEntity.UpdateProfile(profile, now, r), settings.askTimeout()),
                reply -> complete(json(StatusCodes.OK, view(id, reply))));
    }

    private Route link(String id, LinkRequest body) {
        Validator.requireId("identity", body.identity());
        if (body.identity().indexOf(':') <= 0)
            throw ApiException.badRequest("identity", "must be kind:value, e.g. phone:13800000000 or device:abc");
        var now = clock.instant();
        return onSuccess(
                shoppers.apply(id)
                        .<LinkReply>ask(
                                r -> new ShopperEntity.LinkIdentity(body.identity(), now, r), settings.askTimeout()),
                reply -> complete(json(StatusCodes.OK, linked(body.identity(), reply))));
    }

    private static ShopperResponse view(String id, ShopperReply reply) {
        if (reply instanceof Found found) return ShopperResponse.of(found.summary());
        throw ApiException.notFound("no shopper " + id);
    }

    private static LinkResponse linked(String identity, LinkReply reply) {
        if (reply instanceof Linked l) return new LinkResponse(l.shopperId(), identity, l.links());
        var rejected = (LinkRejected) reply;
        throw switch (rejected.reason()) {
            case INVALID -> ApiException.unprocessable(rejected.detail());
            case CONFLICT -> ApiException.conflict(rejected.detail());
            case UNAVAILABLE -> ApiException.unavailable(rejected.detail());
        };
    }
}

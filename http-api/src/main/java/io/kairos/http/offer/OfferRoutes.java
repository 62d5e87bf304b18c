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
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEntity.ClaimRejected;
import io.kairos.shopper.ShopperEntity.ClaimReply;
import io.kairos.shopper.ShopperEntity.CouponClaimed;
import io.kairos.shopper.ShopperEntity.OffersFound;
import io.kairos.shopper.ShopperEntity.OffersReply;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * {@code /v1/shoppers/{id}/offers} (the live offers; may decide and issue) and
 * {@code /v1/shoppers/{id}/coupons/{couponId}/claim}, for role ingest. A linked identity is answered by its person.
 */
public final class OfferRoutes {
    /** {@code GET offers}: the person's live offers. */
    public record OffersResponse(String shopperId, List<OfferBody> offers) {}

    private final Function<String, EntityRef<ShopperEntity.Command>> shoppers;
    private final ApiKeys keys;
    private final HttpSettings settings;
    private final Clock clock;

    public OfferRoutes(
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
                            path(
                                    "offers",
                                    () -> get(() -> authorized(keys, settings, roles(Role.INGEST), () -> offers(id)))),
                            path(
                                    PathMatchers.segment("coupons")
                                            .slash(PathMatchers.segment())
                                            .slash("claim"),
                                    couponId -> post(() -> authorized(
                                            keys, settings, roles(Role.INGEST), () -> claim(id, couponId)))));
                }));
    }

    private Route offers(String id) {
        var now = clock.instant();
        return onSuccess(
                shoppers.apply(id).<OffersReply>ask(r -> new ShopperEntity.GetOffers(now, r), settings.askTimeout()),
                reply -> complete(json(StatusCodes.OK, live(id, reply, now))));
    }

    private Route claim(String id, String couponId) {
        Validator.requireId("couponId", couponId);
        var now = clock.instant();
        return onSuccess(
                shoppers.apply(id)
                        .<ClaimReply>ask(r -> new ShopperEntity.ClaimCoupon(couponId, now, r), settings.askTimeout()),
                reply -> {
                    if (reply instanceof CouponClaimed c)
                        return complete(json(StatusCodes.OK, OfferBody.of(c.offer(), now)));
                    var rejected = (ClaimRejected) reply;
                    throw rejected.reason().equals("not-found")
                            ? ApiException.notFound(rejected.detail())
                            : ApiException.conflict(rejected.detail());
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

package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.Admission;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The offer part of the shopper resource, for role ingest, mounted by {@link io.kairos.http.shopper.ShopperRoutes}: the
 * wallet ({@code GET offers}, a read), deciding ({@code POST offers/decide}, idempotent with an
 * {@code Idempotency-Key}; a guest gets previews) and claiming a coupon. A linked identity is answered by its person.
 */
public record OfferRoutes(Function<String, EntityRef<ShopperCommand>> shoppers, OfferViews views, RouteContext ctx) {
    /** Printable ASCII, as IETF's Idempotency-Key draft and common APIs use it. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** {@code GET offers}: the person's live and recent offers. */
    public record OffersResponse(String shopperId, List<OfferBody> offers) {}

    /**
     * {@code POST offers/decide}: the wallet after deciding, and the decision made (null when none was recorded).
     * {@code preview}: the shopper is a guest and the offers are previews.
     */
    public record DecideResponse(String shopperId, String decisionId, boolean preview, List<OfferBody> offers) {}

    /** The routes below {@code /v1/shoppers/{id}}. */
    public Route routes(String id) {
        var ingest = roles(Role.INGEST);
        return concat(
                pathPrefix(
                        "offers",
                        () -> concat(
                                pathEnd(() -> get(() -> ctx.authorized(ingest, () -> offers(id)))),
                                path(
                                        "decide",
                                        () -> post(() -> ctx.authorized(
                                                ingest,
                                                () -> optionalHeaderValueByName(
                                                        "Idempotency-Key", key -> decide(id, key))))))),
                path(
                        PathMatchers.segment("coupons")
                                .slash(PathMatchers.segment())
                                .slash("claim"),
                        couponId -> post(() -> ctx.authorized(ingest, () -> claim(id, couponId)))));
    }

    private Route offers(String id) {
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<OffersReply> r) -> new GetOffers(now, r)),
                reply -> complete(json(StatusCodes.OK, wallet(id, reply, now))));
    }

    private Route decide(String id, Optional<String> key) {
        if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
            throw ApiException.badRequest("Idempotency-Key", "must be 1–255 printable ASCII characters");
        }
        var now = ctx.now();
        return onSuccess(
                ctx.admit(
                        Admission.Work.DECISIONS,
                        () -> ctx.ask(
                                shoppers.apply(id),
                                (ActorRef<DecideReply> r) -> new DecideOffers(key.orElse(null), now, r))),
                reply -> {
                    var d = (Decided) reply;
                    var offers = d.offers().stream()
                            .filter(o -> d.preview() || o.usableAt(now))
                            .map(o -> views.body(o, now))
                            .toList();
                    return complete(json(
                            StatusCodes.OK, new DecideResponse(d.shopperId(), d.decisionId(), d.preview(), offers)));
                });
    }

    private Route claim(String id, String couponId) {
        Validator.requireId("couponId", couponId);
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ClaimReply> r) -> new ClaimCoupon(couponId, now, r)), reply -> {
                    if (reply instanceof CouponClaimed c) {
                        return complete(json(StatusCodes.OK, views.body(c.offer(), now)));
                    }
                    var rejected = (ClaimRejected) reply;
                    throw ApiException.rejected(rejected.reason(), rejected.detail());
                });
    }

    private OffersResponse wallet(String id, OffersReply reply, Instant now) {
        if (!(reply instanceof OffersFound found)) throw ApiException.notFound("no shopper " + id);
        return new OffersResponse(
                found.shopperId(),
                found.offers().stream()
                        .filter(o -> o.usableAt(now))
                        .map(o -> views.body(o, now))
                        .toList());
    }
}

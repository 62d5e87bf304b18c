package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.http.ApiException;
import io.kairos.http.Json;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.offer.OfferRoutes;
import io.kairos.http.offer.OfferViews;
import io.kairos.http.shopper.LinkBodies.LinkRequest;
import io.kairos.http.shopper.LinkBodies.LinkResponse;
import io.kairos.offer.PriceSource;
import io.kairos.shopper.LiveWallets;
import io.kairos.shopper.Profile;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.Found;
import io.kairos.shopper.ShopperCommand.LinkRejected;
import io.kairos.shopper.ShopperCommand.LinkReply;
import io.kairos.shopper.ShopperCommand.Linked;
import io.kairos.shopper.ShopperCommand.ShopperReply;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code /v1/shoppers/{id}}: a shopper's live view, profile and identity links, (through {@link OfferRoutes}) its
 * offers and coupons, and (through {@link ShopperPriceRoutes}) what it pays. The one owner of the shopper resource's
 * path. Requests for a linked identity are answered by the person it belongs to.
 */
public record ShopperRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        LiveWallets wallets,
        OfferViews views,
        PriceSource prices,
        ShopperStreamRoutes stream,
        RouteContext ctx) {

    public Route routes() {
        return Identities.underShopper(this::routes);
    }

    private Route routes(String id) {
        var ingest = roles(Role.INGEST);
        return concat(
                pathEnd(() -> get(
                        () -> ctx.authorized(roles(Role.INGEST, Role.OPERATOR, Role.AUDITOR), () -> getShopper(id)))),
                path(
                        "profile",
                        () -> optionalHeaderValueByName(
                                "If-Match",
                                ifMatch -> concat(
                                        put(() -> ctx.authorizedBody(
                                                ingest, ProfileBody.class, body -> updateProfile(id, body, ifMatch))),
                                        patch(() -> ctx.authorizedBody(
                                                ingest, JsonNode.class, body -> patchProfile(id, body, ifMatch)))))),
                path("links", () -> post(() -> ctx.authorizedBody(ingest, LinkRequest.class, body -> link(id, body)))),
                path(
                        akka.http.javadsl.server.PathMatchers.segment("links")
                                .slash(akka.http.javadsl.server.PathMatchers.segment()),
                        identity -> delete(() -> ctx.authorized(ingest, () -> unlink(id, identity)))),
                new OfferRoutes(shoppers, views, ctx).routes(id),
                new ShopperPriceRoutes(shoppers, wallets, prices, views.currency(), ctx).routes(id),
                stream.routes(id));
    }

    private Route getShopper(String id) {
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ShopperReply> r) -> new GetShopper(now, r)),
                reply -> complete(withEtag(id, reply)));
    }

    /** The shopper view with its profile's entity tag ({@code ETag}), for a later conditional change. */
    private HttpResponse withEtag(String id, ShopperReply reply) {
        var body = view(id, reply);
        return json(StatusCodes.OK, body)
                .addHeader(RawHeader.create(
                        "ETag", ((Found) reply).summary().profile().etag()));
    }

    /** Replaces the profile; with {@code If-Match}, only if it is still the one of that entity tag (else 412). */
    private Route updateProfile(String id, ProfileBody body, Optional<String> ifMatch) {
        var profile = body.toProfile();
        var now = ctx.now();
        var expected = ifMatch.filter(m -> !m.equals("*")).orElse(null);
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ShopperReply> r) -> new UpdateProfile(profile, expected, now, r)),
                reply -> complete(withEtag(id, stale(reply))));
    }

    /**
     * A JSON merge patch (RFC 7386) of the profile: members set replace, {@code null} clears, objects (attributes,
     * consent) merge. Applied to the profile as read and written only if it is still that one (the read's entity tag,
     * or {@code If-Match}'s: 412 when it is stale); without {@code If-Match} a concurrent change is retried.
     */
    private Route patchProfile(String id, JsonNode patch, Optional<String> ifMatch) {
        if (!patch.isObject()) throw ApiException.badRequest("$", "a merge patch of the profile is a JSON object");
        return onSuccess(
                patched(id, patch, ifMatch.filter(m -> !m.equals("*")), 3),
                reply -> complete(withEtag(id, stale(reply))));
    }

    private CompletionStage<ShopperReply> patched(String id, JsonNode patch, Optional<String> ifMatch, int tries) {
        var now = ctx.now();
        return ctx.ask(shoppers.apply(id), (ActorRef<ShopperReply> r) -> new GetShopper(now, r))
                .thenCompose(reply -> {
                    // A shopper not seen yet has the empty profile: the patch creates it, as a PUT would.
                    var current = reply instanceof Found f ? f.summary().profile() : Profile.EMPTY;
                    var etag = current.etag();
                    if (ifMatch.isPresent() && !ifMatch.get().equals(etag)) {
                        return CompletableFuture.completedFuture(new ProfileStale(id, etag));
                    }
                    var merged = mergePatch(Json.MAPPER.valueToTree(ProfileBody.of(current)), patch);
                    var profile = Json.bind(merged, ProfileBody.class).toProfile();
                    return ctx.ask(
                                    shoppers.apply(id),
                                    (ActorRef<ShopperReply> r) -> new UpdateProfile(profile, etag, now, r))
                            .thenCompose(written -> written instanceof ProfileStale && ifMatch.isEmpty() && tries > 1
                                    ? patched(id, patch, ifMatch, tries - 1)
                                    : CompletableFuture.completedFuture(written));
                });
    }

    /** RFC 7386: {@code patch} applied to {@code target}. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch;
        var out =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.MAPPER.createObjectNode();
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
        });
        return out;
    }

    private static ShopperReply stale(ShopperReply reply) {
        if (reply instanceof ProfileStale s) {
            throw ApiException.preconditionFailed(
                    "the profile changed since " + "the entity tag given; it is now " + s.etag() + ": read it again");
        }
        return reply;
    }

    private Route link(String id, LinkRequest body) {
        var identity = Identities.identity("identity", body.identity());
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<LinkReply> r) -> new LinkIdentity(identity, now, r)),
                reply -> complete(json(StatusCodes.OK, linked(identity, reply))));
    }

    /** Unlinks an identity: it becomes a shopper of its own again (empty); what it handed over stays here. */
    private Route unlink(String id, String raw) {
        var identity = Identities.identity("identity", raw);
        var now = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<LinkReply> r) -> new UnlinkIdentity(identity, now, r)),
                reply -> complete(json(StatusCodes.OK, linked(identity, reply))));
    }

    private static ShopperReply found(String id, ShopperReply reply) {
        if (reply instanceof Found) return reply;
        throw ApiException.notFound("no shopper " + id);
    }

    private ShopperResponse view(String id, ShopperReply reply) {
        return ShopperResponse.of(((Found) found(id, reply)).summary(), views);
    }

    private static LinkResponse linked(String identity, LinkReply reply) {
        if (reply instanceof Linked l) return new LinkResponse(l.shopperId(), identity, l.links());
        var rejected = (LinkRejected) reply;
        throw ApiException.rejected(rejected.reason(), rejected.detail());
    }
}

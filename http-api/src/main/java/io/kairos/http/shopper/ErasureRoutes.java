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
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.EraseShopper;
import io.kairos.shopper.ShopperCommand.ErasureReply;
import io.kairos.shopper.ShopperCommand.ShopperErased;
import java.util.function.Function;

/**
 * {@code DELETE /v1/shoppers/{id}} (role admin): erases the person the id names (GDPR Art. 17) by crypto-shredding,
 * with every identity linked to it; the receipt names the admin key's id, never the person. 204 once the keys are
 * deleted; 204 again for a person already erased (erasure is idempotent), and for an id never seen, which is then kept
 * from ever being recorded. What stays where is in docs/privacy.md.
 */
public record ErasureRoutes(Function<String, EntityRef<ShopperCommand>> shoppers, RouteContext ctx) {

    public Route routes() {
        return Identities.underShopper(
                id -> pathEnd(() -> delete(() -> ctx.acting(roles(Role.ADMIN), keyId -> erase(id, keyId)))));
    }

    private Route erase(String id, String keyId) {
        var at = ctx.now();
        return onSuccess(
                ctx.ask(shoppers.apply(id), (ActorRef<ErasureReply> r) -> new EraseShopper(keyId, at, r)), reply -> {
                    if (reply instanceof ShopperErased) return complete(StatusCodes.NO_CONTENT);
                    throw ApiException.unavailable("the erasure of " + id + " was not confirmed; it is safe to retry");
                });
    }
}

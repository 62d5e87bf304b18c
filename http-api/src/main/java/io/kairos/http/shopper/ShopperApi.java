package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.concat;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.server.Route;
import io.kairos.http.RouteContext;
import io.kairos.http.offer.CheckoutRoutes;
import io.kairos.http.offer.OfferViews;
import io.kairos.http.offer.OrderRoutes;
import io.kairos.offer.PriceSource;
import io.kairos.order.OrderEntity;
import io.kairos.shopper.LiveWallets;
import io.kairos.shopper.ShopperCommand;
import java.util.function.Function;

/**
 * The resources a shop's client apps use about shoppers: events, the shopper (profile, links, offers, wallet, its own
 * prices), checkout quotes and orders, priced by {@code prices}. One place, so the node and the route tests mount the
 * same set.
 */
public final class ShopperApi {
    private ShopperApi() {}

    public static Route routes(
            Function<String, EntityRef<ShopperCommand>> shoppers,
            LiveWallets wallets,
            Function<String, EntityRef<OrderEntity.Command>> orders,
            OfferViews views,
            PriceSource prices,
            ShopperStreamRoutes stream,
            RouteContext ctx) {
        // One shopper however its email identity is capitalised (see Identities).
        Function<String, EntityRef<ShopperCommand>> normalized = id -> shoppers.apply(Identities.normalize(id));
        return concat(
                new EventRoutes(normalized, ctx).routes(),
                new ShopperRoutes(normalized, wallets, views, prices, stream, ctx).routes(),
                new CheckoutRoutes(normalized, prices, ctx).routes(),
                new OrderRoutes(orders, prices, ctx).routes());
    }
}

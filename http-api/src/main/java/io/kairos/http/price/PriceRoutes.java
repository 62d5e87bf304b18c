package io.kairos.http.price;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.pricing.catalog.SkuCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/prices}: a SKU's price, or up to {@value #MAX_SKUS} at once, without asking any entity: dynamic prices
 * from the node-local price view, list prices from the catalogue ({@link SkuCatalog}). The price is the same for every
 * shopper; a dynamic price read on any node is at most {@code kairos.pricing.view.staleness-bound} (1 s) behind a
 * change.
 */
public record PriceRoutes(SkuCatalog catalog, RouteContext ctx) {
    static final int MAX_SKUS = 200;

    public Route routes() {
        return pathPrefix(
                "prices",
                () -> get(() -> ctx.authorized(
                        roles(Role.INGEST),
                        () -> concat(
                                pathEnd(() -> parameterOptional("skus", this::batch)),
                                path(PathMatchers.segment(), this::one)))));
    }

    private Route one(String sku) {
        Validator.requireId("sku", sku);
        return onSuccess(catalog.listings(List.of(sku)), found -> {
            var listing = found.get(sku);
            if (listing == null) throw ApiException.notFound("no price for SKU " + sku);
            return complete(json(StatusCodes.OK, PriceResponse.of(listing.quote())));
        });
    }

    private Route batch(Optional<String> skusParam) {
        var skus = Validator.idList("skus", skusParam, MAX_SKUS);
        return onSuccess(catalog.listings(skus), found -> {
            var missing = new ArrayList<String>();
            for (var sku : skus) if (!found.containsKey(sku)) missing.add(sku);
            var prices = found.values().stream()
                    .map(l -> PriceResponse.of(l.quote()))
                    .toList();
            return complete(json(StatusCodes.OK, new PriceResponse.Batch(prices, missing)));
        });
    }
}

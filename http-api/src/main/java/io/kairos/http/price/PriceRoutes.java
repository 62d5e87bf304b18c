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
import io.kairos.pricing.PriceView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * {@code /v1/prices}: a SKU's price, or up to {@value #MAX_SKUS} at once, answered from the node-local
 * {@link PriceView} without asking any entity. The price is the same for every shopper; a read on any node is at most
 * {@code kairos.pricing.view.staleness-bound} (1 s) behind a change.
 */
public record PriceRoutes(PriceView view, RouteContext ctx) {
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
        var quote = view.price(sku).orElseThrow(() -> ApiException.notFound("no price for SKU " + sku));
        return complete(json(StatusCodes.OK, PriceResponse.of(quote)));
    }

    private Route batch(Optional<String> skusParam) {
        var v = new Validator();
        var skus = new LinkedHashSet<String>();
        if (skusParam.isEmpty() || skusParam.get().isBlank()) {
            v.error("skus", "is required: a comma-separated list of 1–" + MAX_SKUS + " SKUs");
        } else {
            var parts = skusParam.get().split(",", -1);
            if (parts.length > MAX_SKUS) v.error("skus", "at most " + MAX_SKUS + " SKUs; got " + parts.length);
            else for (var sku : parts) if (v.id("skus", sku.strip(), true)) skus.add(sku.strip());
        }
        v.throwIfInvalid();
        var found = view.prices(skus);
        var missing = new ArrayList<String>();
        for (var sku : skus) if (!found.containsKey(sku)) missing.add(sku);
        var prices = found.values().stream().map(PriceResponse::of).toList();
        return complete(json(StatusCodes.OK, new PriceResponse.Batch(prices, missing)));
    }
}

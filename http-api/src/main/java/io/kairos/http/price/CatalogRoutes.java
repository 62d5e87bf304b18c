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
import io.kairos.pricing.catalog.CatalogSku;
import io.kairos.pricing.catalog.SkuCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The shop's catalogue: {@code PUT /v1/catalog/skus} (operator) imports up to {@value #MAX_SKUS} SKUs at once
 * (idempotent upserts) and {@code GET /v1/skus} (operator, auditor, ingest) lists every SKU a page at a time with its
 * price now. A catalogue SKU without a dynamic-pricing configuration sells at its list price.
 */
public record CatalogRoutes(SkuCatalog catalog, String shopCurrency, RouteContext ctx) {
    static final int MAX_SKUS = 1000;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** {@code PUT /v1/catalog/skus}. */
    public record ImportRequest(List<SkuBody> skus) {}

    /** One catalogue entry; {@code currency} defaults to the shop's. */
    public record SkuBody(
            String sku, BigDecimal listPrice, BigDecimal cost, String currency, String category, String name) {}

    public record ImportResponse(int upserted) {}

    /** One SKU as listed: its catalogue entry and its price now ({@code dynamic}: set by a pricing actor). */
    public record Listed(
            String sku,
            BigDecimal listPrice,
            BigDecimal cost,
            String currency,
            String category,
            String name,
            BigDecimal price,
            BigDecimal lowestPrice30d,
            boolean dynamic,
            String importedBy) {}

    public record SkuList(List<Listed> skus, String nextCursor) {}

    public Route routes() {
        return concat(
                path(
                        PathMatchers.segment("catalog").slash("skus"),
                        () -> put(() -> ctx.actingBody(roles(Role.OPERATOR), ImportRequest.class, this::importSkus))),
                path(
                        "skus",
                        () -> get(() -> ctx.authorized(
                                roles(Role.OPERATOR, Role.AUDITOR, Role.INGEST),
                                () -> parameterOptional(
                                        "cursor",
                                        cursor -> parameterOptional("limit", limit -> list(cursor, limit)))))));
    }

    private Route importSkus(ImportRequest body, String actor) {
        var entries = validate(body, actor);
        return onSuccess(
                catalog.importSkus(entries),
                done -> complete(json(StatusCodes.OK, new ImportResponse(entries.size()))));
    }

    private List<CatalogSku> validate(ImportRequest body, String actor) {
        if (body.skus() == null || body.skus().isEmpty()) throw ApiException.badRequest("skus", "1–1000 SKUs");
        if (body.skus().size() > MAX_SKUS) {
            throw ApiException.tooLarge("at most " + MAX_SKUS + " SKUs per request; got "
                    + body.skus().size());
        }
        var v = new Validator();
        var seen = new HashSet<String>();
        var out = new ArrayList<CatalogSku>();
        v.each("skus", body.skus(), (f, s) -> {
            boolean ok = v.id(f + "sku", s.sku(), true);
            if (ok && !seen.add(s.sku())) v.error(f + "sku", "appears twice; give one entry per SKU");
            ok &= v.money(f + "listPrice", s.listPrice(), true);
            ok &= v.money(f + "cost", s.cost(), true);
            ok &= v.currency(f + "currency", s.currency(), false);
            ok &= v.text(f + "category", s.category(), 128, false);
            ok &= v.text(f + "name", s.name(), 200, false);
            if (ok && s.listPrice().signum() <= 0) v.error(f + "listPrice", "must be above 0");
            if (ok) {
                out.add(new CatalogSku(
                        s.sku(),
                        s.listPrice(),
                        s.cost(),
                        s.currency() == null ? shopCurrency : s.currency(),
                        s.category(),
                        s.name(),
                        null,
                        null,
                        actor));
            }
        });
        v.throwIfInvalid();
        return out;
    }

    private Route list(Optional<String> cursor, Optional<String> limit) {
        int size = limit(limit);
        CompletionStage<SkuCatalog.Page> page;
        try {
            page = catalog.page(cursor.orElse(null), size);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "is not a cursor this API gave out");
        }
        var listed = page.thenCompose(
                p -> catalog.listings(p.skus().stream().map(CatalogSku::sku).toList())
                        .thenApply(prices -> new SkuList(
                                p.skus().stream()
                                        .map(s -> {
                                            var l = prices.get(s.sku());
                                            return new Listed(
                                                    s.sku(),
                                                    s.listPrice(),
                                                    s.cost(),
                                                    s.currency(),
                                                    s.category(),
                                                    s.name(),
                                                    l == null
                                                            ? s.listPrice()
                                                            : l.quote().price(),
                                                    l == null
                                                            ? s.listPrice()
                                                            : l.quote().lowestPrice30d(),
                                                    l != null && l.dynamic(),
                                                    s.importedBy());
                                        })
                                        .toList(),
                                p.nextCursor())));
        return onSuccess(listed, l -> complete(json(StatusCodes.OK, l)));
    }

    private static int limit(Optional<String> limit) {
        if (limit.isEmpty()) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(limit.get());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }
}

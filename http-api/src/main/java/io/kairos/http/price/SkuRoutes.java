package io.kairos.http.price;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuCommand.PriceHistory;
import io.kairos.pricing.SkuCommand.SkuStatus;
import io.kairos.pricing.SkuConfig;
import io.kairos.pricing.catalog.SkuCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code /v1/skus/{sku}}: an operator configures a SKU's dynamic pricing (list price, cost, guardrails, cadence,
 * policy; a SKU of the catalogue may leave out its list price, cost and currency) and reads it back with its price,
 * demand and price history. Requests are validated here with the entity's own rules ({@link SkuConfig#validate}), so a
 * 400 lists every invalid field; a configuration the entity still refuses is a 422. The objective defaults to
 * {@code kairos.pricing.objective} (margin) and the currency to {@code kairos.pricing.currency}.
 */
public record SkuRoutes(
        Function<String, EntityRef<SkuCommand>> skus,
        SkuCatalog catalog,
        PricingSettings pricing,
        java.util.function.Predicate<String> hasRoom,
        RouteContext ctx) {

    public Route routes() {
        var readers = roles(Role.OPERATOR, Role.AUDITOR);
        return pathPrefix(
                "skus",
                () -> RouteContext.id(
                        "sku",
                        sku -> concat(
                                pathEnd(() -> concat(
                                        put(() -> ctx.actingBody(
                                                roles(Role.OPERATOR),
                                                SkuRequest.class,
                                                (body, actor) -> configure(sku, body, actor))),
                                        get(() -> ctx.authorized(readers, () -> getSku(sku))))),
                                path(
                                        "price-history",
                                        () -> get(() -> ctx.authorized(
                                                readers,
                                                () -> parameterOptional(
                                                        "from",
                                                        from -> parameterOptional(
                                                                "to", to -> history(sku, from, to)))))))));
    }

    /**
     * A SKU of the catalogue may leave out its list price, cost and currency: they are the catalogue's (what the body
     * gives wins).
     */
    private Route configure(String sku, SkuRequest body, String actor) {
        CompletionStage<SkuRequest> complete = body.listPrice() != null && body.cost() != null
                ? CompletableFuture.completedFuture(body)
                : catalog.listings(List.of(sku)).thenApply(found -> {
                    var listing = found.get(sku);
                    return body.withCatalogue(listing == null ? null : listing.entry());
                });
        return onSuccess(complete, b -> configured(sku, toConfig(b), actor));
    }

    private Route configured(String sku, SkuConfig config, String actor) {
        if (!hasRoom.test(sku)) {
            throw ApiException.conflict("at most " + pricing.view().maxSkus()
                    + " SKUs are priced dynamically (kairos.pricing.view.max-skus); sell " + sku
                    + " at its list price from the catalogue (PUT /v1/catalog/skus)");
        }
        var now = ctx.now();
        CompletionStage<SkuStatus> configured = skus.apply(sku)
                .<SkuCommand.ConfigureReply>ask(
                        r -> new SkuCommand.Configure(config, now, actor, r),
                        ctx.settings().askTimeout())
                .thenCompose(reply -> {
                    if (reply instanceof SkuCommand.ConfigRejected r)
                        throw ApiException.rejected(r.reason(), r.detail());
                    return status(sku);
                });
        return onSuccess(configured, s -> complete(json(StatusCodes.OK, SkuResponse.of(s))));
    }

    private Route getSku(String sku) {
        return onSuccess(status(sku), s -> {
            if (s.config().isEmpty()) throw ApiException.notFound("SKU " + sku + " is not configured");
            return complete(json(StatusCodes.OK, SkuResponse.of(s)));
        });
    }

    private CompletionStage<SkuStatus> status(String sku) {
        return skus.apply(sku).ask(SkuCommand.GetSku::new, ctx.settings().askTimeout());
    }

    private Route history(String sku, Optional<String> fromParam, Optional<String> toParam) {
        var v = new Validator();
        var from = fromParam.isPresent() ? v.instant("from", fromParam.get(), true) : Instant.EPOCH;
        var to = toParam.isPresent() ? v.instant("to", toParam.get(), true) : ctx.now();
        if (from != null && to != null && to.isBefore(from)) v.error("to", "must not be before from");
        v.throwIfInvalid();
        CompletionStage<PriceHistory> reply = skus.apply(sku)
                .ask(
                        r -> new SkuCommand.GetPriceHistory(from, to, r),
                        ctx.settings().askTimeout());
        return onSuccess(reply, h -> {
            if (!h.configured()) throw ApiException.notFound("SKU " + sku + " is not configured");
            return complete(json(StatusCodes.OK, PriceHistoryResponse.of(h, from, to)));
        });
    }

    /**
     * The body as a configuration, or one 400 naming every invalid field: the body's own checks and the entity's rules
     * together (a field the body checks already reported is not reported again by the entity's rules).
     */
    SkuConfig toConfig(SkuRequest b) {
        var v = new Validator();
        if (b.listPrice() == null) v.error("listPrice", "is required (or import the SKU into the catalogue first)");
        else v.money("listPrice", b.listPrice(), true);
        if (b.cost() == null) v.error("cost", "is required (or import the SKU into the catalogue first)");
        else v.money("cost", b.cost(), true);
        v.money("floor", b.floor(), true);
        v.money("ceiling", b.ceiling(), true);
        if (b.maxStepPercent() == null) v.error("maxStepPercent", "is required");
        if (b.minMarginPercent() == null) v.error("minMarginPercent", "is required");
        Duration every = null;
        if (b.repriceEvery() == null) {
            v.error("repriceEvery", "is required");
        } else {
            try {
                every = Duration.parse(b.repriceEvery());
            } catch (DateTimeParseException e) {
                v.error("repriceEvery", "must be an ISO-8601 duration such as PT1H");
            }
        }
        SkuConfig.Policy policy = null;
        if (b.policy() == null) v.error("policy", "is required");
        else policy = SkuConfig.Policy.fromWire(b.policy()).orElse(null);
        if (b.policy() != null && policy == null) v.error("policy", "must be one of fixed, thompson, qlearning");
        var objective = b.objective() == null
                ? pricing.defaultObjective()
                : SkuConfig.Objective.fromWire(b.objective()).orElse(null);
        if (objective == null) v.error("objective", "must be revenue or margin");
        var currency = b.currency() == null ? pricing.currency() : b.currency();
        var sellThroughBy = v.instant("sellThroughBy", b.sellThroughBy(), false);
        var competitors = new ArrayList<SkuConfig.CompetitorPrice>();
        if (b.competitorPrices() != null) {
            if (b.competitorPrices().size() > 20) v.error("competitorPrices", "at most 20 entries");
            v.each("competitorPrices", b.competitorPrices(), (f, c) -> {
                v.text(f + "competitor", c.competitor(), 128, true);
                v.money(f + "price", c.price(), true);
                var observedAt = v.instant(f + "observedAt", c.observedAt(), true);
                if (v.ok()) competitors.add(new SkuConfig.CompetitorPrice(c.competitor(), c.price(), observedAt));
            });
        }
        // Fields the body checks could not read are null here; the entity's rules report what else is wrong, rules
        // between fields included, in the same answer.
        var config = new SkuConfig(
                b.listPrice(),
                b.cost(),
                b.floor(),
                b.ceiling(),
                b.maxStepPercent(),
                b.minMarginPercent(),
                every,
                policy,
                objective,
                currency,
                Optional.ofNullable(b.inventory()),
                Optional.ofNullable(sellThroughBy),
                List.copyOf(competitors),
                Optional.empty());
        config.validate(pricing.minRepriceEvery()).stream()
                .filter(e -> !v.reported(e.field()))
                .toList()
                .forEach(e -> v.error(e.field(), e.message()));
        v.throwIfInvalid();
        return config;
    }
}

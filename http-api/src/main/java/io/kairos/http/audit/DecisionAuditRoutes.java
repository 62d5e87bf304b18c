package io.kairos.http.audit;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.price.PriceDecisionResponse;
import io.kairos.http.price.PriceDecisions;
import io.kairos.offer.DecisionLookup;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code /v1/audit/decisions/{decisionId}} (role auditor): a decision as recorded. Ids of the form
 * {@code price:<sku>:<sequenceNr>} are pricing decisions ({@link PriceDecisions}: the SKU entity, else its journal);
 * every other id is an offer decision, found through {@link DecisionLookup} (in a node, the Cassandra table the shopper
 * projection writes), so an offer decision made in the last few seconds may not be there yet: 404 says so.
 *
 * @param prices a pricing decision by id ({@link PriceDecisions#lookup})
 */
public record DecisionAuditRoutes(
        DecisionLookup offers,
        Function<String, CompletionStage<Optional<PriceDecisionResponse>>> prices,
        RouteContext ctx) {

    /** Offer decisions only (a node without pricing). */
    public static DecisionAuditRoutes offersOnly(DecisionLookup offers, RouteContext ctx) {
        return new DecisionAuditRoutes(offers, id -> CompletableFuture.completedFuture(Optional.empty()), ctx);
    }

    public Route routes() {
        return path(
                PathMatchers.segment("audit").slash("decisions").slash(PathMatchers.segment()),
                id -> get(() -> ctx.authorized(roles(Role.AUDITOR), () -> decision(id))));
    }

    private Route decision(String id) {
        if (id.startsWith("price:")) {
            if (PriceDecisions.parse(id).isEmpty())
                throw ApiException.notFound(
                        "no pricing decision " + id + " (pricing decision ids are price:<sku>:<sequenceNr>)");
            var found = within(prices.apply(id));
            return onSuccess(
                    found,
                    d -> complete(json(
                            StatusCodes.OK, d.orElseThrow(() -> ApiException.notFound("no pricing decision " + id)))));
        }
        Validator.requireId("decisionId", id);
        var found = within(offers.find(id));
        return onSuccess(
                found,
                d -> complete(json(
                        StatusCodes.OK,
                        DecisionResponse.of(d.orElseThrow(() -> ApiException.notFound("no decision " + id
                                + " (an offer decision is listed here a few seconds after it is made)"))))));
    }

    private <T> CompletableFuture<T> within(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(ctx.settings().askTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}

package io.kairos.http.offer;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.shopper.Identities;
import io.kairos.offer.DecisionLookup;
import io.kairos.offer.Explanations;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.GetOffers;
import io.kairos.shopper.ShopperCommand.OffersFound;
import io.kairos.shopper.ShopperCommand.OffersReply;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code GET /v1/shoppers/{id}/offers/{offerId}/explanation?lang=en|zh-CN} (role ingest, operator or auditor): why the
 * shopper got an offer, in plain language for the app to show ({@link Explanations}). The offer is found in the
 * shopper's wallet, its decision in the decisions table (written by the shopper projection a few seconds after the
 * offer: 404 until then).
 *
 * @param views the campaigns' definitions by id (for their names and currencies) and the shop's currency
 */
public record ExplanationRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        DecisionLookup decisions,
        OfferViews views,
        RouteContext ctx) {

    /** The explanation on the wire. */
    public record ExplanationResponse(
            String offerId, String lang, boolean personalized, String summary, List<String> factors) {}

    public Route routes() {
        return Identities.underShopper(id -> path(
                PathMatchers.segment("offers").slash(PathMatchers.segment()).slash("explanation"),
                offerId -> get(() -> ctx.authorized(
                        roles(Role.INGEST, Role.OPERATOR, Role.AUDITOR),
                        () -> parameterOptional("lang", lang -> explain(id, offerId, lang))))));
    }

    private Route explain(String id, String offerId, Optional<String> langParam) {
        Validator.requireId("offerId", offerId);
        var lang = Validator.language(langParam);
        var now = ctx.now();
        return onSuccess(ctx.ask(shoppers.apply(id), (ActorRef<OffersReply> r) -> new GetOffers(now, r)), reply -> {
            var offer = (reply instanceof OffersFound found ? found.offers() : List.<io.kairos.offer.Offer>of())
                    .stream()
                            .filter(o -> o.hasOfferId(offerId))
                            .findFirst()
                            .orElseThrow(() -> ApiException.notFound("no offer " + offerId + " of shopper " + id));
            var found = decisions
                    .find(offer.decisionId())
                    .toCompletableFuture()
                    .orTimeout(ctx.settings().askTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return onSuccess(found, d -> {
                var record = d.orElseThrow(() -> ApiException.notFound("the explanation of offer " + offerId
                                + " is available a few seconds after the offer was made"))
                        .record();
                var e = Explanations.explain(
                        record, offer, views.campaigns().apply(offer.campaignId()), views.currency(), lang);
                return complete(json(
                        StatusCodes.OK,
                        new ExplanationResponse(
                                offerId, lang.toLanguageTag(), e.personalized(), e.summary(), e.factors())));
            });
        });
    }
}

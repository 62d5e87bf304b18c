package io.kairos.http.campaign;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignCatalogue;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignEntity.CampaignFound;
import io.kairos.campaign.CampaignEntity.CampaignRejected;
import io.kairos.campaign.CampaignEntity.CampaignReply;
import io.kairos.campaign.CampaignSnapshot;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.campaign.CampaignBodies.CampaignResponse;
import io.kairos.http.campaign.CampaignBodies.CampaignStats;
import io.kairos.http.campaign.CampaignBodies.CreateCampaign;
import io.kairos.http.campaign.CampaignBodies.PatchCampaign;
import io.kairos.offer.CampaignOutcomes;
import io.kairos.offer.CouponFunnel;
import io.kairos.shopper.CampaignForecast;
import io.kairos.shopper.CampaignForecasts;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code /v1/campaigns}: create (operator), list (operator, auditor), read (operator, auditor, and ingest: apps show a
 * campaign's name and terms), patch a campaign, its stats (operator, auditor), and a draft's forecast before launch
 * ({@code POST /v1/campaigns/simulate}, operator; it persists nothing). Money and status come from the campaign entity
 * (immediate); the list from the node-local catalogue; claims, outcomes and the coupon funnel from what the shopper
 * projection recorded (a few seconds behind).
 */
public record CampaignRoutes(
        Function<String, EntityRef<CampaignEntity.Command>> campaigns,
        CampaignCatalogue catalogue,
        Outcomes outcomes,
        Funnels funnels,
        Forecasts forecasts,
        double defaultMarginRate,
        RouteContext ctx) {
    /** A campaign's exposures and outcomes as people (the Cassandra {@code OutcomeStore} in a node). */
    public interface Outcomes {
        CompletionStage<CampaignOutcomes.Builder> read(String campaignId);
    }

    /** A campaign's coupon funnel (the Cassandra {@code FunnelStore} in a node). */
    public interface Funnels {
        CompletionStage<CouponFunnel.Result> read(String campaignId);
    }

    /**
     * A draft campaign's forecast from the live population and the decision ledger, persisting nothing (the node reads
     * the journal's decisions and scores with the model deciding now: {@code CampaignForecast}).
     */
    public interface Forecasts {
        CompletionStage<CampaignForecast.Result> forecast(Campaign draft);
    }

    public Route routes() {
        var readers = roles(Role.OPERATOR, Role.AUDITOR);
        return pathPrefix(
                "campaigns",
                () -> concat(
                        pathEnd(() -> concat(
                                post(() -> ctx.actingBody(roles(Role.OPERATOR), CreateCampaign.class, this::create)),
                                get(() -> ctx.authorized(readers, this::list)))),
                        path(
                                "simulate",
                                () -> post(() -> ctx.actingBody(
                                        roles(Role.OPERATOR), CreateCampaign.class, (body, actor) -> simulate(body)))),
                        RouteContext.id(
                                "campaignId",
                                id -> concat(
                                        pathEnd(() -> concat(
                                                get(
                                                        () -> ctx.authorized(
                                                                roles(Role.OPERATOR, Role.AUDITOR, Role.INGEST),
                                                                () -> read(id))),
                                                patch(
                                                        () -> ctx.actingBody(
                                                                roles(Role.OPERATOR),
                                                                PatchCampaign.class,
                                                                (body, actor) -> update(id, body, actor))))),
                                        path("stats", () -> get(() -> ctx.authorized(readers, () -> stats(id))))))));
    }

    private Route create(CreateCampaign body, String actor) {
        var campaign = body.toCampaign(defaultMarginRate);
        var now = ctx.now();
        return onSuccess(
                campaigns
                        .apply(campaign.campaignId())
                        .<CampaignReply>ask(
                                r -> new CampaignEntity.Create(campaign, now, actor, r),
                                ctx.settings().askTimeout()),
                reply -> complete(json(StatusCodes.CREATED, view(campaign.campaignId(), reply))));
    }

    private Route simulate(CreateCampaign body) {
        var draft = body.toCampaign(defaultMarginRate);
        var forecast = forecasts.forecast(draft).exceptionally(e -> {
            var cause = cause(e);
            if (cause instanceof CampaignForecasts.Busy) throw ApiException.overloaded("campaign forecasts");
            if (cause instanceof CampaignForecasts.LedgerUnreadable u) throw ApiException.unavailable(u.getMessage());
            throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
        });
        return onSuccess(forecast, f -> complete(json(StatusCodes.OK, f)));
    }

    private Route list() {
        return parameterOptional(
                "status",
                status -> parameterOptional(
                        "cursor",
                        cursor -> parameterOptional("limit", limit -> {
                            CampaignList.requireStatus(status);
                            return complete(json(StatusCodes.OK, CampaignList.page(catalogue, status, cursor, limit)));
                        })));
    }

    private Route read(String id) {
        var now = ctx.now();
        return onSuccess(
                campaigns
                        .apply(id)
                        .<CampaignReply>ask(
                                r -> new CampaignEntity.Get(now, r),
                                ctx.settings().askTimeout()),
                reply -> complete(json(StatusCodes.OK, view(id, reply))));
    }

    private Route update(String id, PatchCampaign body, String actor) {
        var status = body.validStatus();
        var now = ctx.now();
        return onSuccess(
                campaigns
                        .apply(id)
                        .<CampaignReply>ask(
                                r -> new CampaignEntity.Update(status, body.budget(), now, actor, r),
                                ctx.settings().askTimeout()),
                reply -> complete(json(StatusCodes.OK, view(id, reply))));
    }

    private Route stats(String id) {
        var now = ctx.now();
        var stats = campaigns
                .apply(id)
                .<CampaignReply>ask(
                        r -> new CampaignEntity.Get(now, r), ctx.settings().askTimeout())
                .thenCompose(reply -> {
                    var snapshot = found(id, reply);
                    return outcomes.read(id)
                            .thenCombine(
                                    funnels.read(id),
                                    (people, funnel) -> CampaignStats.of(
                                            snapshot,
                                            CampaignOutcomes.claimed(people.people()),
                                            CampaignOutcomes.effect(people.people()),
                                            funnel));
                });
        return onSuccess(stats, s -> complete(json(StatusCodes.OK, s)));
    }

    private static CampaignResponse view(String id, CampaignReply reply) {
        return CampaignResponse.of(found(id, reply));
    }

    private static CampaignSnapshot found(String id, CampaignReply reply) {
        if (reply instanceof CampaignFound f) return f.campaign();
        if (reply instanceof CampaignRejected r) {
            throw ApiException.rejected(r.reason(), r.detail());
        }
        throw ApiException.notFound("no campaign " + id);
    }
}

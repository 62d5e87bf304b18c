package io.kairos.http.audit;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignState;
import io.kairos.http.ApiException;
import io.kairos.http.Money;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.campaign.CampaignBodies.CampaignResponse;
import io.kairos.http.price.SkuResponse;
import io.kairos.pricing.PriceDecision;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.pricing.SkuPricingState;
import io.kairos.shopper.ShopperReplay.Timeline;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code GET /v1/audit/skus/{sku}/state?at=T} and {@code GET /v1/audit/campaigns/{id}/state?at=T} (role auditor): a SKU
 * (its configuration, price, demand and the decisions it retained) or a campaign (its definition, status, budget and
 * ledger) rebuilt from its journal as of {@code at} (default now) by the entity's own event handler, as recovery does.
 *
 * <p>Times are business times by default, as for shoppers: when what each event records happened (a configuration's
 * time, a price's {@code validFrom}, a held price's decision time, the latest demand observation of a batch, a campaign
 * event's time); {@code clock=recorded} goes by the journal's write time. The events kept are applied in journal order.
 *
 * @param journal a persistence id's current events in sequence order
 */
public record EntityStateRoutes(
        Function<String, Source<EventEnvelope, NotUsed>> journal,
        PricingSettings pricing,
        ActorSystem<?> system,
        RouteContext ctx) {

    /**
     * An entity as rebuilt: the last event applied ({@code seqNr}), the entity's view then, and who changed it until
     * then ({@code changes}, oldest first).
     */
    public record EntityState(String id, Instant at, String clock, long seqNr, Object state, List<Change> changes) {}

    /**
     * A change made through the API: when, what ({@code configured}, {@code created}, {@code updated}), its details,
     * and who made it ({@code actor}: the id of the API key, null for a change recorded before who acted was kept).
     */
    public record Change(long seqNr, Instant at, String action, String detail, String actor) {}

    /** A SKU as of a time: what {@code GET /v1/skus/{sku}} gave then, and the decisions the SKU retained. */
    public record SkuState(SkuResponse sku, List<String> recentDecisions) {}

    /** A campaign as of a time: what {@code GET /v1/campaigns/{id}} gave then, and its budget ledger's counts. */
    public record CampaignLedgerState(CampaignResponse campaign, LedgerCounts ledger) {}

    public record LedgerCounts(long issued, long redeemed, long returned, long released, int openEntries) {}

    public Route routes() {
        return pathPrefix(
                "audit",
                () -> concat(
                        pathPrefix(
                                "skus",
                                () -> RouteContext.id(
                                        "sku",
                                        id -> state(
                                                PersistenceId.of(SkuPricingEntity.ENTITY_KEY.name(), id),
                                                id,
                                                this::sku))),
                        pathPrefix(
                                "campaigns",
                                () -> RouteContext.id(
                                        "campaignId",
                                        id -> state(
                                                PersistenceId.of(CampaignEntity.ENTITY_KEY.name(), id),
                                                id,
                                                this::campaign)))));
    }

    private Route state(PersistenceId pid, String id, Rebuild rebuild) {
        return path(
                "state",
                () -> get(() -> ctx.authorized(
                        roles(Role.AUDITOR),
                        () -> parameterOptional(
                                "clock",
                                clock -> parameterOptional("at", at -> rebuild.at(pid.id(), id, at, clock))))));
    }

    @FunctionalInterface
    private interface Rebuild {
        Route at(String persistenceId, String id, Optional<String> at, Optional<String> clock);
    }

    private Route sku(String pid, String id, Optional<String> at, Optional<String> clock) {
        return asOf(
                pid,
                id,
                at,
                clock,
                (SkuPricingState) new SkuPricingState.Unconfigured(),
                (s, e) -> s.apply((SkuPricingEntity.Event) e, pricing),
                EntityStateRoutes::skuTime,
                EntityStateRoutes::skuChange,
                s -> s instanceof SkuPricingState.Priced p
                        ? Optional.of(new SkuState(
                                SkuResponse.of(SkuPricingEntity.status(p)),
                                p.decisions().stream()
                                        .map(PriceDecision::decisionId)
                                        .toList()))
                        : Optional.empty(),
                "SKU " + id + " was not configured");
    }

    private Route campaign(String pid, String id, Optional<String> at, Optional<String> clock) {
        return asOf(
                pid,
                id,
                at,
                clock,
                CampaignState.EMPTY,
                (s, e) -> s.apply((CampaignEntity.Event) e),
                EntityStateRoutes::campaignTime,
                EntityStateRoutes::campaignChange,
                s -> {
                    if (s.definition() == null) return Optional.empty();
                    var snapshot = s.snapshot();
                    return Optional.of(new CampaignLedgerState(
                            CampaignResponse.of(snapshot),
                            new LedgerCounts(
                                    snapshot.issued(),
                                    snapshot.redeemed(),
                                    snapshot.returned(),
                                    snapshot.released(),
                                    snapshot.openEntries())));
                },
                "campaign " + id + " did not exist");
    }

    /** Folds the events kept at {@code at} on the clock into a state, and answers its view (404 when there is none). */
    private <S> Route asOf(
            String pid,
            String id,
            Optional<String> atParam,
            Optional<String> clock,
            S empty,
            BiFunction<S, Object, S> apply,
            Function<Object, Instant> businessTime,
            BiFunction<Object, Long, Optional<Change>> change,
            Function<S, Optional<Object>> view,
            String missing) {
        var v = new Validator();
        var at = atParam.isPresent() ? v.instant("at", atParam.get(), true) : ctx.now();
        var timeline = AuditRoutes.timeline(v, clock);
        v.throwIfInvalid();
        var folded = journal.apply(pid)
                .filter(env -> {
                    var t = timeline == Timeline.RECORDED
                            ? Instant.ofEpochMilli(env.timestamp())
                            : Optional.ofNullable(businessTime.apply(env.event()))
                                    .orElse(Instant.ofEpochMilli(env.timestamp()));
                    return !t.isAfter(at);
                })
                .runWith(
                        Sink.fold(
                                new Folded<>(empty, 0L, List.<Change>of()),
                                (f, env) -> new Folded<>(
                                        apply.apply(f.state(), env.event()),
                                        env.sequenceNr(),
                                        change.apply(env.event(), env.sequenceNr())
                                                .map(c -> append(f.changes(), c))
                                                .orElse(f.changes()))),
                        system);
        return onSuccess(folded, f -> {
            var shown = f.seqNr() == 0 ? Optional.empty() : view.apply(f.state());
            if (shown.isEmpty()) throw ApiException.notFound(missing + " as of " + at);
            return complete(json(
                    StatusCodes.OK, new EntityState(id, at, timeline.wireName(), f.seqNr(), shown.get(), f.changes())));
        });
    }

    private record Folded<S>(S state, long seqNr, List<Change> changes) {}

    private static List<Change> append(List<Change> changes, Change c) {
        var out = new java.util.ArrayList<>(changes);
        out.add(c);
        return out;
    }

    private static String money(java.math.BigDecimal amount) {
        return Money.cents(amount).toPlainString();
    }

    /** A SKU's configuration is the change an operator makes. */
    static Optional<Change> skuChange(Object event, long seqNr) {
        if (!(event instanceof SkuPricingEntity.Configured e)) return Optional.empty();
        var c = e.config();
        return Optional.of(new Change(
                seqNr,
                e.at(),
                "configured",
                "policy " + c.policy().wireName() + ", list price "
                        + money(c.listPrice()) + ", floor " + money(c.floor()) + ", ceiling "
                        + money(c.ceiling()),
                e.actor()));
    }

    /** A campaign's creation and its changes of status or budget are the changes an operator makes. */
    static Optional<Change> campaignChange(Object event, long seqNr) {
        if (event instanceof CampaignEntity.CampaignCreated e)
            return Optional.of(new Change(
                    seqNr, e.at(), "created", "budget " + money(e.campaign().budget()), e.actor()));
        if (event instanceof CampaignEntity.CampaignUpdated e) {
            var detail = new java.util.StringJoiner(", ");
            if (e.status() != null) detail.add("status " + e.status().wireName());
            if (e.budget() != null) detail.add("budget " + money(e.budget()));
            return Optional.of(new Change(seqNr, e.at(), "updated", detail.toString(), e.actor()));
        }
        return Optional.empty();
    }

    /** When what a SKU event records happened; null: its write time. */
    static Instant skuTime(Object event) {
        if (event instanceof SkuPricingEntity.Configured e) return e.at();
        if (event instanceof SkuPricingEntity.PriceChanged e) return e.validFrom();
        if (event instanceof SkuPricingEntity.PriceHeld e) return e.decision().at();
        if (event instanceof SkuPricingEntity.DemandRecorded e)
            return e.observations().stream()
                    .map(o -> o.occurredAt())
                    .max(Instant::compareTo)
                    .orElse(null);
        return null;
    }

    /** Every campaign event records when it happened. */
    static Instant campaignTime(Object event) {
        return ((CampaignEntity.Event) event).at();
    }
}

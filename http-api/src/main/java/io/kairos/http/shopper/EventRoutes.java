package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.Admission;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.metrics.KairosMetrics;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.Recorded;
import io.kairos.wire.LowerCaseName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code POST /v1/events}: validates the whole batch first (one invalid event rejects the batch, nothing is recorded),
 * then sends each shopper's events to its entity in one command, all shoppers in parallel, and answers 202 only when
 * every entity has persisted its events. A failure or timeout of any shopper answers 503: the client re-sends the batch
 * and the events already recorded come back as duplicates.
 */
public record EventRoutes(Function<String, EntityRef<ShopperCommand>> shoppers, RouteContext ctx) {

    public Route routes() {
        return path(
                "events",
                () -> post(() -> ctx.authorized(
                        roles(Role.INGEST),
                        // admitted before the body is read: a refusal costs no parsing
                        () -> ctx.admitted(
                                Admission.Work.EVENTS,
                                () -> ctx.jsonBody(EventsRequest.class, request -> {
                                    var now = ctx.now();
                                    var byShopper = validate(request, now);
                                    return onSuccess(
                                            record(byShopper, now),
                                            accepted -> complete(json(StatusCodes.ACCEPTED, accepted)));
                                })))));
    }

    private CompletionStage<EventsAccepted> record(Map<String, List<BehaviourEvent>> byShopper, Instant now) {
        var replies = new ArrayList<CompletableFuture<Recorded>>();
        // Wall clock, not the API's clock: a shopper that gets its events after this drops them (nobody waits).
        var deadline = Instant.now().plus(ctx.settings().askTimeout());
        byShopper.forEach((shopperId, events) -> {
            long started = System.nanoTime();
            replies.add(shoppers.apply(shopperId)
                    .<Recorded>ask(
                            r -> new ShopperCommand.RecordEvents(events, now, deadline, r),
                            ctx.settings().askTimeout())
                    .toCompletableFuture()
                    .whenComplete((reply, failure) -> {
                        if (failure != null) KairosMetrics.EVENTS_UNAVAILABLE.inc();
                        else KairosMetrics.EVENT_PERSIST_SECONDS.observe((System.nanoTime() - started) / 1e9);
                    }));
        });
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    int accepted = 0;
                    int duplicates = 0;
                    for (var r : replies) {
                        accepted += r.join().accepted();
                        duplicates += r.join().duplicates();
                    }
                    // Counted once the whole batch is acknowledged, so the counter matches what clients were told.
                    KairosMetrics.EVENTS_INGESTED.labelValues("accepted").inc(accepted);
                    KairosMetrics.EVENTS_INGESTED.labelValues("duplicate").inc(duplicates);
                    return new EventsAccepted(accepted, duplicates);
                });
    }

    /** The batch's events grouped by shopper in arrival order, or a 400/413 naming every invalid field. */
    Map<String, List<BehaviourEvent>> validate(EventsRequest request, Instant now) {
        if (request.events() == null) throw ApiException.badRequest("events", "is required");
        if (request.events().isEmpty()) throw ApiException.badRequest("events", "must hold at least one event");
        if (request.events().size() > ctx.settings().maxEventsPerRequest()) {
            throw ApiException.tooLarge("at most " + ctx.settings().maxEventsPerRequest() + " events per request; got "
                    + request.events().size());
        }
        var v = new Validator();
        var latest = now.plus(ctx.settings().maxClockSkew());
        var byShopper = new LinkedHashMap<String, List<BehaviourEvent>>();
        v.each("events", request.events(), (f, e) -> {
            v.id(f + "eventId", e.eventId(), true);
            v.id(f + "shopperId", e.shopperId(), true);
            EventType type = null;
            if (e.type() == null) v.error(f + "type", "is required");
            else type = LowerCaseName.find(EventType.class, e.type()).orElse(null);
            if (e.type() != null && type == null)
                v.error(
                        f + "type",
                        "must be one of "
                                + String.join(
                                        ", ",
                                        java.util.Arrays.stream(EventType.values())
                                                .map(EventType::wireName)
                                                .toList()));
            var occurredAt = v.instant(f + "occurredAt", e.occurredAt(), true);
            if (occurredAt != null && occurredAt.isAfter(latest))
                v.error(
                        f + "occurredAt",
                        "lies in the future (more than "
                                + ctx.settings().maxClockSkew().toMinutes() + " min ahead of the server clock)");
            boolean needsOrder = type != null && type.needsOrder();
            v.id(f + "sku", e.sku(), false);
            v.text(f + "category", e.category(), 128, false);
            v.money(f + "amount", e.amount(), needsOrder);
            v.range(f + "quantity", e.quantity(), 1, 100_000, false);
            v.id(f + "channel", e.channel(), false);
            v.id(f + "orderId", e.orderId(), needsOrder);
            v.id(f + "couponId", e.couponId(), false);
            v.stringMap(f + "attributes", e.attributes(), 32, 64, 512);
            if (v.ok()) {
                var event = new BehaviourEvent(
                        e.eventId(),
                        type,
                        occurredAt,
                        e.sku(),
                        e.category(),
                        e.amount(),
                        e.quantity(),
                        e.channel(),
                        e.orderId(),
                        e.couponId(),
                        e.attributes() == null ? Map.of() : e.attributes());
                byShopper.computeIfAbsent(e.shopperId(), k -> new ArrayList<>()).add(event);
            }
        });
        v.throwIfInvalid();
        return byShopper;
    }
}

package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.Admission;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.metrics.KairosMetrics;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperCommand.Recorded;
import java.time.Instant;
import java.util.ArrayList;
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
                                    var byShopper = validation().batch(request, now);
                                    return onSuccess(
                                            record(byShopper, now),
                                            accepted -> complete(json(StatusCodes.ACCEPTED, accepted)));
                                })))));
    }

    private EventValidation validation() {
        return new EventValidation(
                ctx.settings().maxEventsPerRequest(), ctx.settings().maxClockSkew());
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
                    int erased = 0;
                    for (var r : replies) {
                        accepted += r.join().accepted();
                        duplicates += r.join().duplicates();
                        erased += r.join().erased();
                    }
                    // Counted once the whole batch is acknowledged, so the counter matches what clients were told.
                    KairosMetrics.EVENTS_INGESTED.labelValues("accepted").inc(accepted);
                    KairosMetrics.EVENTS_INGESTED.labelValues("duplicate").inc(duplicates);
                    return new EventsAccepted(accepted, duplicates, erased);
                });
    }
}

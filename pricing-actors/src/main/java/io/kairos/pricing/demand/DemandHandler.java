package io.kairos.pricing.demand;

import akka.Done;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import io.kairos.pricing.DemandObservation;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuCommand.DemandAck;
import io.kairos.shopper.ShopperEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a group of shopper journal events into demand for the SKU pricing entities: the group's signals are grouped by
 * SKU, each priced SKU gets one {@code RecordDemand}, and the returned stage completes only when every SKU has
 * acknowledged, so the projection commits the group's offset only after all of its demand is persisted.
 *
 * <p>Invariants: a SKU for which {@code isPriced} is false is never asked (most SKUs are not dynamically priced, and
 * asking would start an entity for each); a failed or timed-out ask fails the stage, so the projection restarts from
 * the last committed offset and redelivers, and the entities drop what they already recorded (ids are journal
 * positions, see {@link DemandSignal}).
 */
public final class DemandHandler extends Handler<List<EventEnvelope<ShopperEvent>>> {

    private final Function<String, RecipientRef<SkuCommand>> skus;
    private final Predicate<String> isPriced;
    private final Duration askTimeout;
    private final Scheduler scheduler;

    public DemandHandler(
            Function<String, RecipientRef<SkuCommand>> skus,
            Predicate<String> isPriced,
            Duration askTimeout,
            Scheduler scheduler) {
        this.skus = skus;
        this.isPriced = isPriced;
        this.askTimeout = askTimeout;
        this.scheduler = scheduler;
    }

    @Override
    public CompletionStage<Done> process(List<EventEnvelope<ShopperEvent>> envelopes) {
        var acks = new ArrayList<CompletableFuture<DemandAck>>();
        bySku(envelopes)
                .forEach((sku, observations) -> acks.add(AskPattern.<SkuCommand, DemandAck>ask(
                                skus.apply(sku),
                                replyTo -> new SkuCommand.RecordDemand(observations, replyTo),
                                askTimeout,
                                scheduler)
                        .toCompletableFuture()));
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(done -> Done.getInstance());
    }

    /** The priced SKUs' observations in this group, in journal order per SKU. */
    Map<String, List<DemandObservation>> bySku(List<EventEnvelope<ShopperEvent>> envelopes) {
        var out = new LinkedHashMap<String, List<DemandObservation>>();
        for (var env : envelopes) {
            for (var signal : DemandSignal.of(env.persistenceId(), env.sequenceNr(), env.event())) {
                if (isPriced.test(signal.sku())) {
                    out.computeIfAbsent(signal.sku(), k -> new ArrayList<>()).add(signal.observation());
                }
            }
        }
        return out;
    }
}

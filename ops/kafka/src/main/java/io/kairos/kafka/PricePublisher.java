package io.kairos.kafka;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.typed.PersistenceId;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.cassandra.javadsl.CassandraProjection;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.Handler;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes every change of a SKU's one price to the prices topic, keyed by SKU: one at-least-once projection per SKU
 * tag across the cluster (a {@link ShardedDaemonProcess}, offsets in Cassandra). Consumers deduplicate on
 * {@link PriceRecord#dedupKey} ({@code sku:sequenceNr}, the SKU journal's sequence number of the change), which a
 * republished record keeps.
 */
final class PricePublisher extends Handler<EventEnvelope<SkuPricingEntity.Event>> {
    static final String NAME = "kafka-prices";

    /** One price change as consumers see it. */
    record PriceRecord(
            String dedupKey,
            String sku,
            BigDecimal price,
            BigDecimal previousPrice,
            BigDecimal lowestPrice30d,
            Instant validFrom,
            String reason,
            String decisionId,
            long sequenceNr) {}

    private final Producers producers;
    private final String topic;

    PricePublisher(Producers producers, String topic) {
        this.producers = producers;
        this.topic = topic;
    }

    /** Starts the projection of every SKU tag on this cluster (call on every node). */
    static void init(ActorSystem<?> system, Producers producers, String topic) {
        int tags = PricingSettings.create(system).tags();
        ShardedDaemonProcess.get(system)
                .init(
                        ProjectionBehavior.Command.class,
                        NAME,
                        tags,
                        i -> ProjectionBehavior.create(CassandraProjection.atLeastOnce(
                                ProjectionId.of(NAME, "sku-" + i),
                                EventSourcedProvider.<SkuPricingEntity.Event>eventsByTag(
                                        system, CassandraReadJournal.Identifier(), "sku-" + i),
                                () -> new PricePublisher(producers, topic))),
                        ProjectionBehavior.stopMessage());
    }

    /** The record of a price change; null for every other SKU event. */
    static PriceRecord of(String sku, long sequenceNr, SkuPricingEntity.Event event) {
        if (!(event instanceof PriceChanged e)) return null;
        var d = e.decision();
        return new PriceRecord(
                sku + ":" + sequenceNr,
                sku,
                e.price(),
                e.previousPrice().orElse(null),
                e.lowestPrice30d(),
                e.validFrom(),
                d == null ? null : d.reason().name().toLowerCase(java.util.Locale.ROOT),
                d == null ? null : d.decisionId(),
                sequenceNr);
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<SkuPricingEntity.Event> envelope) {
        var sku = PersistenceId.extractEntityId(envelope.persistenceId());
        var record = of(sku, envelope.sequenceNr(), envelope.event());
        if (record == null) return CompletableFuture.completedFuture(Done.getInstance());
        return producers.publish(topic, sku, record);
    }
}

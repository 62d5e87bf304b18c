package io.kairos.kafka;

import akka.Done;
import akka.persistence.typed.PersistenceId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import io.kairos.shopper.ShopperEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes offers and their status changes ({@link OfferRecords}) to the offers topic: a handler of the shopper
 * journal's at-least-once projection, so every change is published at least once, in journal order per shopper, and a
 * restart republishes with the same dedup key.
 */
final class OfferPublisher extends Handler<EventEnvelope<ShopperEvent>> {
    private final Producers producers;
    private final String topic;

    OfferPublisher(Producers producers, String topic) {
        this.producers = producers;
        this.topic = topic;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<ShopperEvent> envelope) {
        var shopperId = PersistenceId.extractEntityId(envelope.persistenceId());
        var changes = OfferRecords.of(shopperId, envelope.sequenceNr(), envelope.event());
        if (changes.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
        var sends = changes.stream()
                .map(c -> producers.publish(topic, c.offerId(), c).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends).thenApply(done -> Done.getInstance());
    }
}

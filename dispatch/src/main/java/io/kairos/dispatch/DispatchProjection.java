package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.PersistenceId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import io.kairos.campaign.Campaign;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperEvent.OfferClaimed;
import io.kairos.shopper.ShopperEvent.OfferDelivered;
import io.kairos.shopper.ShopperEvent.OfferIssued;
import io.kairos.shopper.ShopperJournal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * From the shopper journal to the delivery ledger, one instance per shopper tag (a {@code ShardedDaemonProcess}), at
 * least once with offsets in Cassandra: every {@code OfferIssued} for a channel other than in-app becomes a
 * {@link DeliveryEntity.Schedule} to the offer's ledger, and the envelope is acknowledged only once the ledger has
 * durably scheduled it. A replayed envelope finds the ledger already scheduled (it answers without effect), so a replay
 * never leads to a second message. Deliveries and claims feed the channels' response rates ({@link ResponseRates}); the
 * shopper's active hour is part of the shopper's own state, not of this projection. In-app offers are seen in the
 * wallet; nothing is sent for them.
 */
public final class DispatchProjection extends Handler<EventEnvelope<ShopperEvent>> {
    private final Function<String, RecipientRef<DeliveryEntity.Command>> deliveries;
    private final ResponseRates rates;
    private final ActorSystem<?> system;
    private final Duration askTimeout;

    public DispatchProjection(
            Function<String, RecipientRef<DeliveryEntity.Command>> deliveries,
            ResponseRates rates,
            ActorSystem<?> system,
            Duration askTimeout) {
        this.deliveries = deliveries;
        this.rates = rates;
        this.system = system;
        this.askTimeout = askTimeout;
    }

    public static void init(
            ActorSystem<?> system,
            Function<String, RecipientRef<DeliveryEntity.Command>> deliveries,
            ResponseRates rates,
            Duration askTimeout) {
        ShopperJournal.runAtLeastOnce(
                system, "dispatch-projection", () -> new DispatchProjection(deliveries, rates, system, askTimeout));
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<ShopperEvent> envelope) {
        var personId = PersistenceId.extractEntityId(envelope.persistenceId());
        var event = envelope.event();
        if (event instanceof OfferIssued e && !Campaign.IN_APP.equals(e.offer().channel())) {
            var chosen = e.decision().chosen();
            double margin = chosen == null
                    ? 0
                    : chosen.value().expectedOrderValue().doubleValue()
                            * chosen.value().marginRate();
            return AskPattern.ask(
                    deliveries.apply(e.offer().offerId()),
                    r -> new DeliveryEntity.Schedule(personId, e.offer(), margin, r),
                    askTimeout,
                    system.scheduler());
        }
        if (event instanceof OfferDelivered e) return rates.delivered(e.offerId(), e.channel());
        if (event instanceof OfferClaimed e) return rates.responded(e.offerId());
        return CompletableFuture.completedFuture(Done.getInstance());
    }
}

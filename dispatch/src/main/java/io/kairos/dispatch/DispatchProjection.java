package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.PersistenceId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import io.kairos.campaign.Campaign;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.PersonKeys.Legacy;
import io.kairos.privacy.PersonKeys.Pseudonymous;
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
    private final PersonKeys keys;

    public DispatchProjection(
            Function<String, RecipientRef<DeliveryEntity.Command>> deliveries,
            ResponseRates rates,
            ActorSystem<?> system,
            Duration askTimeout,
            PersonKeys keys) {
        this.deliveries = deliveries;
        this.rates = rates;
        this.system = system;
        this.askTimeout = askTimeout;
        this.keys = keys;
    }

    public static void init(
            ActorSystem<?> system,
            Function<String, RecipientRef<DeliveryEntity.Command>> deliveries,
            ResponseRates rates,
            Duration askTimeout) {
        ShopperJournal.runAtLeastOnce(
                system,
                "dispatch-projection",
                () -> new DispatchProjection(deliveries, rates, system, askTimeout, PersonKeys.get(system)));
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<ShopperEvent> envelope) {
        var subject = PersistenceId.extractEntityId(envelope.persistenceId());
        var event = envelope.event();
        if (event instanceof OfferIssued e && !Campaign.IN_APP.equals(e.offer().channel())) {
            var chosen = e.decision().chosen();
            double margin = chosen == null
                    ? 0
                    : chosen.value().expectedOrderValue().doubleValue()
                            * chosen.value().marginRate();
            // the ledger names the person by pseudonym; an erased person is sent nothing
            return keys.find(subject).thenCompose(person -> {
                if (person instanceof Pseudonymous p) return schedule(null, p.pseudonym(), e, margin);
                if (person instanceof Legacy) return schedule(subject, null, e, margin);
                return CompletableFuture.completedFuture(Done.getInstance());
            });
        }
        if (event instanceof OfferDelivered e) return rates.delivered(e.offerId(), e.channel());
        if (event instanceof OfferClaimed e) return rates.responded(e.offerId());
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    private CompletionStage<Done> schedule(String personId, String person, OfferIssued e, double margin) {
        return AskPattern.ask(
                deliveries.apply(e.offer().offerId()),
                r -> new DeliveryEntity.Schedule(personId, person, e.offer(), margin, r),
                askTimeout,
                system.scheduler());
    }
}

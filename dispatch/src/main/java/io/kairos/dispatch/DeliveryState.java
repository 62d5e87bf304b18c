package io.kairos.dispatch;

import io.kairos.offer.Offer;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Where the delivery of one offer stands: not yet scheduled, pending (due, waiting for its window, or retrying), sent,
 * or abandoned (skipped: no consent, capped, expired, no longer live; or failed for good). {@code reported}: the final
 * result was recorded in the shopper's journal.
 *
 * @param personId the shopper id, where the ledger was written before pseudonyms or for a person whose journal was
 *     (else null)
 * @param margin the margin an order this message brings is expected to make, for choosing another channel
 * @param person the person's pseudonym (null where {@code personId} is set)
 */
public record DeliveryState(
        Status status,
        String personId,
        Offer offer,
        double margin,
        int attempts,
        String channel,
        BigDecimal cost,
        String reason,
        Instant finishedAt,
        boolean reported,
        String person)
        implements CborSerializable {

    public enum Status {
        NEW,
        PENDING,
        SENT,
        ABANDONED
    }

    public static final DeliveryState EMPTY =
            new DeliveryState(Status.NEW, null, null, 0, 0, null, null, null, null, false, null);

    /** The state after {@code event}: the delivery's one transition function. */
    public DeliveryState apply(DeliveryEntity.Event event) {
        if (event instanceof DeliveryEntity.DeliveryScheduled e) return scheduled(e);
        if (event instanceof DeliveryEntity.AttemptStarted e) return attempted(e.channel());
        if (event instanceof DeliveryEntity.DeliverySent e) return sent(e.channel(), e.cost(), e.at());
        if (event instanceof DeliveryEntity.DeliveryAbandoned e) return abandoned(e.channel(), e.reason(), e.at());
        if (event instanceof DeliveryEntity.DeliveryReported) return markReported();
        throw new IllegalStateException("unhandled event " + event.getClass().getName());
    }

    public boolean isFinal() {
        return status == Status.SENT || status == Status.ABANDONED;
    }

    /** Which contact cap counts this person's messages: its pseudonym's, or (before pseudonyms) its shopper id's. */
    public String capKey() {
        return person != null ? person : personId;
    }

    DeliveryState scheduled(DeliveryEntity.DeliveryScheduled e) {
        var o = e.offer();
        return new DeliveryState(
                Status.PENDING, e.personId(), o, e.margin(), 0, o.channel(), null, null, null, false, e.person());
    }

    DeliveryState attempted(String ch) {
        return new DeliveryState(
                status, personId, offer, margin, attempts + 1, ch, cost, reason, finishedAt, reported, person);
    }

    DeliveryState sent(String ch, BigDecimal c, Instant at) {
        return new DeliveryState(Status.SENT, personId, offer, margin, attempts, ch, c, null, at, false, person);
    }

    DeliveryState abandoned(String ch, String why, Instant at) {
        return new DeliveryState(Status.ABANDONED, personId, offer, margin, attempts, ch, cost, why, at, false, person);
    }

    DeliveryState markReported() {
        return new DeliveryState(
                status, personId, offer, margin, attempts, channel, cost, reason, finishedAt, true, person);
    }
}

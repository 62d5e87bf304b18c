package io.kairos.kafka;

import io.kairos.offer.Offer;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperEvent.*;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the {@code kairos-offers} topic carries for a shopper event: one record per offer whose status it changed
 * (issued, delivered, delivery-failed, opened, claimed, redeemed, returned, reinstated, revoked), keyed by offer id so
 * one offer's changes keep their order. A pure function of the journalled event, so a projection replaying it after a
 * restart writes the same records.
 *
 * <p>Consumers deduplicate on {@link OfferChange#dedupKey}: the offer id, the status and the shopper journal's sequence
 * number of the event ({@code offerId:status:sequenceNr}); a republished record carries the same key. Only the
 * shopper's pseudonymous id goes out, never the profile.
 */
public final class OfferRecords {
    private OfferRecords() {}

    /**
     * One change of one offer.
     *
     * @param sequenceNr the shopper journal's sequence number of the event that changed it
     * @param orderId the order that redeemed it or gave it back (redeemed, returned, reinstated)
     * @param detail the channel (delivered, delivery-failed, opened) or the reason (revoked, delivery-failed)
     * @param offer the whole offer, on issued only
     */
    public record OfferChange(
            String dedupKey,
            String offerId,
            String shopperId,
            String campaignId,
            String status,
            long sequenceNr,
            Instant at,
            String orderId,
            String detail,
            IssuedOffer offer) {}

    /** An issued offer as consumers see it: the coupon, not the decision's inputs. */
    public record IssuedOffer(
            String couponId,
            String couponType,
            BigDecimal value,
            BigDecimal minSpend,
            BigDecimal maxDiscount,
            String channel,
            String decisionId,
            Instant issuedAt,
            Instant expiresAt) {
        static IssuedOffer of(Offer o) {
            var c = o.coupon();
            return new IssuedOffer(
                    o.couponId(),
                    c.type().wireName(),
                    c.value(),
                    c.minSpend(),
                    c.maxDiscount(),
                    o.channel(),
                    o.decisionId(),
                    o.issuedAt(),
                    o.expiresAt());
        }
    }

    /** The changes {@code event} (number {@code sequenceNr} of {@code shopperId}'s journal) made to offers. */
    public static List<OfferChange> of(String shopperId, long sequenceNr, ShopperEvent event) {
        var r = new Changes(shopperId, sequenceNr);
        if (event instanceof OfferIssued e) {
            var o = e.offer();
            return List.of(
                    r.change(o.offerId(), o.campaignId(), "issued", o.issuedAt(), null, null, IssuedOffer.of(o)));
        }
        if (event instanceof OfferDelivered e)
            return List.of(r.change(e.offerId(), e.campaignId(), "delivered", e.at(), null, e.channel(), null));
        if (event instanceof DeliveryFailed e) {
            return List.of(r.change(
                    e.offerId(),
                    e.campaignId(),
                    "delivery-failed",
                    e.at(),
                    null,
                    e.channel() + ": " + e.reason(),
                    null));
        }
        if (event instanceof OfferOpened e)
            return List.of(r.change(e.offerId(), e.campaignId(), "opened", e.at(), null, e.channel(), null));
        if (event instanceof OfferClaimed e)
            return List.of(r.change(e.offerId(), e.campaignId(), "claimed", e.at(), null, null, null));
        if (event instanceof OfferRevoked e)
            return List.of(r.change(e.offerId(), null, "revoked", e.at(), null, e.reason(), null));
        if (event instanceof OrderPlaced e) {
            var order = e.order();
            return order.applied().stream()
                    .map(a -> r.change(
                            a.offerId(), a.campaignId(), "redeemed", order.placedAt(), order.orderId(), null, null))
                    .toList();
        }
        if (event instanceof OrderCancelled e) return r.returned(e.orderId(), e.at(), e.coupons());
        if (event instanceof OrderRefunded e)
            return r.returned(e.orderId(), e.refund().at(), e.coupons());
        return List.of();
    }

    private record Changes(String shopperId, long sequenceNr) {
        OfferChange change(
                String offerId,
                String campaignId,
                String status,
                Instant at,
                String orderId,
                String detail,
                IssuedOffer offer) {
            return new OfferChange(
                    offerId + ":" + status + ":" + sequenceNr,
                    offerId,
                    shopperId,
                    campaignId,
                    status,
                    sequenceNr,
                    at,
                    orderId,
                    detail,
                    offer);
        }

        List<OfferChange> returned(String orderId, Instant at, List<ReturnedCoupon> coupons) {
            return coupons.stream()
                    .map(c -> change(
                            c.offerId(),
                            c.campaignId(),
                            c.reinstated() ? "reinstated" : "returned",
                            at,
                            orderId,
                            null,
                            null))
                    .toList();
        }
    }
}

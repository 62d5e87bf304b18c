package io.kairos.shopper;

import akka.actor.typed.ActorRef;
import io.kairos.offer.Offer;
import io.kairos.serialization.CborSerializable;
import java.util.List;

/**
 * Live changes of shoppers for the apps that stream them ({@code GET /v1/shoppers/{id}/stream}): a person's entity
 * publishes right after it persisted a change of an offer (issued, claimed, redeemed, returned, revoked, delivered,
 * opened) or of the SKUs it viewed or put in its cart; subscribers on any node receive it within a network hop. Nothing
 * is kept: a subscriber that was away catches up from the journal (the messages carry the journal's sequence number). A
 * node uses {@link ClusterShopperStreams} (Akka's distributed pub-sub); a single JVM may use
 * {@link LocalShopperStreams}.
 */
public interface ShopperStreams {

    /** What a stream receives. */
    sealed interface Message extends CborSerializable {}

    /** An offer as it is after the event with sequence number {@code seqNr} of the person's journal. */
    record OfferChanged(String shopperId, long seqNr, Offer offer) implements Message {}

    /** The SKUs the person viewed or put in the cart lately, newest first (after event {@code seqNr}). */
    record InterestChanged(String shopperId, long seqNr, List<String> skus) implements Message {}

    /** A SKU's price changed on this node's price view (local to a stream; never published). */
    record PriceChanged(String sku) implements Message {}

    /** The offers an event changes: what a shopper's stream shows again. */
    static List<String> offersChangedBy(ShopperEvent e) {
        if (e instanceof ShopperEvent.OfferIssued x) return List.of(x.offer().offerId());
        if (e instanceof ShopperEvent.OfferClaimed x) return List.of(x.offerId());
        if (e instanceof ShopperEvent.OfferRevoked x) return List.of(x.offerId());
        if (e instanceof ShopperEvent.OfferDelivered x) return List.of(x.offerId());
        if (e instanceof ShopperEvent.OfferOpened x) return List.of(x.offerId());
        if (e instanceof ShopperEvent.OrderPlaced x) {
            return x.order().applied().stream().map(a -> a.offerId()).toList();
        }
        if (e instanceof ShopperEvent.OrderRefunded x) {
            return x.coupons().stream()
                    .map(ShopperEvent.ReturnedCoupon::offerId)
                    .toList();
        }
        if (e instanceof ShopperEvent.OrderCancelled x) {
            return x.coupons().stream()
                    .map(ShopperEvent.ReturnedCoupon::offerId)
                    .toList();
        }
        return List.of();
    }

    /** Publishes a change of person {@code shopperId}; cheap when nobody listens. */
    void publish(String shopperId, Message message);

    /** Delivers the changes of person {@code shopperId} to {@code to} until the returned handle is closed. */
    AutoCloseable subscribe(String shopperId, ActorRef<Message> to);

    /** No streams: changes go nowhere (entities in tests of other features). */
    ShopperStreams NONE = new ShopperStreams() {
        @Override
        public void publish(String shopperId, Message message) {}

        @Override
        public AutoCloseable subscribe(String shopperId, ActorRef<Message> to) {
            return () -> {};
        }
    };
}

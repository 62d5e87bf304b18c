package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.kairos.campaign.CampaignEntity;
import io.kairos.entity.Rejection;
import io.kairos.offer.Checkout;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.PriceList;
import io.kairos.offer.PriceLookup.SkuPrice;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a shopper entity is asked to do, and what it answers. Every command of a linked identity (an alias) is answered
 * by its person. Commands that name a time ({@code now}, {@code at}) are evaluated at that time, so callers (and tests)
 * control the clock.
 */
public sealed interface ShopperCommand extends CborSerializable {

    EntityTypeKey<ShopperCommand> ENTITY_KEY = EntityTypeKey.create(ShopperCommand.class, "Shopper");

    /**
     * The shard's stop message for a shopper it passivates (in place of Akka's poison pill, whose interceptor every
     * entity would carry: about 100 bytes per shopper). A person stops once nothing waits: a stop that arrives while a
     * decision, a redemption or an identity link waits is tried again shortly, after the commands stashed before it.
     */
    record Passivate() implements ShopperCommand {}

    // ---- behaviour, view, profile ----

    /**
     * Records behaviour events (each event id at most once). {@code deadline} (wall clock; null: none) is when the
     * sender stops waiting: a command that reaches the shopper later is dropped unrecorded and unanswered, as nobody
     * waits for it and the client re-sends (work the client gave up on is never done).
     */
    record RecordEvents(List<BehaviourEvent> events, Instant receivedAt, Instant deadline, ActorRef<Recorded> replyTo)
            implements ShopperCommand {
        public RecordEvents(List<BehaviourEvent> events, Instant receivedAt, ActorRef<Recorded> replyTo) {
            this(events, receivedAt, null, replyTo);
        }

        /** Past its deadline at {@code now}. */
        public boolean expiredAt(Instant now) {
            return deadline != null && now.isAfter(deadline);
        }
    }

    record Recorded(String shopperId, int accepted, int duplicates, int erased) implements CborSerializable {
        /** Events recorded or recognised as already recorded; none refused as the person's. */
        public Recorded(String shopperId, int accepted, int duplicates) {
            this(shopperId, accepted, duplicates, 0);
        }
    }

    /** Events an alias forwards to its person, with the identity they were sent under (entity-internal). */
    record ForwardedEvents(RecordEvents events, String receivedAs) implements ShopperCommand {}

    record GetShopper(Instant now, ActorRef<ShopperReply> replyTo) implements ShopperCommand {}

    /**
     * Replaces the profile. With {@code ifMatch} (a {@link Profile#etag}), only if the profile is still that one, else
     * {@link ProfileStale}; null: unconditionally.
     */
    record UpdateProfile(Profile profile, String ifMatch, Instant at, ActorRef<ShopperReply> replyTo)
            implements ShopperCommand {}

    sealed interface ShopperReply extends CborSerializable {}

    /**
     * Where a live stream of the person starts: its wallet and recent SKUs as of event {@code seqNr} of its journal
     * ({@code known} false for a shopper never seen). A read.
     */
    record GetStream(Instant now, ActorRef<StreamStart> replyTo) implements ShopperCommand {}

    record StreamStart(String shopperId, boolean known, long seqNr, List<Offer> offers, List<String> recentSkus)
            implements CborSerializable {}

    record Found(ShopperSummary summary) implements ShopperReply {}

    record Unknown(String shopperId) implements ShopperReply {}

    /** The profile changed since the entity tag the update was conditional on; {@code etag} is the current one. */
    record ProfileStale(String shopperId, String etag) implements ShopperReply {}

    // ---- identities ----

    record LinkIdentity(String identity, Instant at, ActorRef<LinkReply> replyTo) implements ShopperCommand {}

    sealed interface LinkReply extends CborSerializable {}

    record Linked(String shopperId, String identity, List<String> links) implements LinkReply {}

    record LinkRejected(LinkRejection reason, String detail) implements LinkReply {}

    enum LinkRejection implements Rejection {
        /** A shopper cannot be linked to itself. */
        SELF,
        /** The identity belongs to another person, or was linked elsewhere meanwhile. */
        LINKED_ELSEWHERE,
        /** A link of either side is under way, or the identity did not answer: retry. */
        BUSY,
        /** The identity is not linked to this person. */
        NOT_LINKED;

        public Kind kind() {
            return switch (this) {
                case SELF -> Kind.UNPROCESSABLE;
                case LINKED_ELSEWHERE -> Kind.CONFLICT;
                case BUSY -> Kind.UNAVAILABLE;
                case NOT_LINKED -> Kind.NOT_FOUND;
            };
        }
    }

    /**
     * Unlinks an identity from this person: the identity becomes a shopper of its own again (starting empty: what it
     * handed over stays with the person), then the person forgets the link. Idempotent.
     */
    record UnlinkIdentity(String identity, Instant at, ActorRef<LinkReply> replyTo) implements ShopperCommand {}

    /** Sent by a person to an identity it unlinks: it stops forwarding to {@code ownerId} (entity-internal). */
    record ReleaseAlias(String ownerId, Instant at, ActorRef<AliasReply> replyTo) implements ShopperCommand {}

    /** The identity's answer to {@link ReleaseAlias} (entity-internal). */
    record UnlinkAnswered(String identity, AliasReply reply, Instant at, ActorRef<LinkReply> replyTo)
            implements ShopperCommand {}

    /** Sent by a person to the entity of an identity it links; the identity hands its history over. */
    record BecomeAlias(String ownerId, Instant at, ActorRef<AliasReply> replyTo) implements ShopperCommand {}

    sealed interface AliasReply extends CborSerializable {}

    record AliasAccepted(History history) implements AliasReply {}

    record AliasRefused(LinkRejection reason, String detail) implements AliasReply {}

    /** The identity's answer to {@link BecomeAlias} (entity-internal). */
    record LinkAnswered(String identity, AliasReply reply, Instant at, ActorRef<LinkReply> replyTo)
            implements ShopperCommand {}

    // ---- offers ----

    /** The person's offers (the wallet). A read: it never decides, issues or reserves anything. */
    record GetOffers(Instant now, ActorRef<OffersReply> replyTo) implements ShopperCommand {}

    /**
     * Decides now (an explicit request: in-app candidates only) and answers with the wallet. With an
     * {@code idempotencyKey} seen before, no new decision is made: the answer names the first decision. A shopper never
     * seen before (a guest) gets previews of the non-personalised offers it is eligible for, and nothing is persisted.
     */
    record DecideOffers(String idempotencyKey, Instant now, ActorRef<DecideReply> replyTo) implements ShopperCommand {}

    sealed interface DecideReply extends CborSerializable {}

    /**
     * @param decisionId the decision this request made (or, for a repeated key, the first one made); null when none was
     *     made (nothing eligible, a guest)
     * @param offers the wallet as it is after deciding, newest first; for a guest, previews only
     * @param preview whether the shopper is a guest and the offers are previews
     */
    record Decided(String shopperId, String decisionId, List<Offer> offers, boolean preview) implements DecideReply {}

    sealed interface OffersReply extends CborSerializable {}

    record OffersFound(String shopperId, List<Offer> offers) implements OffersReply {}

    record OffersUnknown(String shopperId) implements OffersReply {}

    /** Fires the decision triggers that are due (sent by the wake-up sweeper, and by the entity itself). */
    record Wake(Instant now, ActorRef<Woken> replyTo) implements ShopperCommand {}

    record Woken(String shopperId, List<String> fired) implements CborSerializable {}

    /** The model's scores of a decision's candidates (entity-internal). */
    record DecisionScored(String decisionId, OfferScoring.Scored scored) implements ShopperCommand {}

    /** The campaign's answer to a decision's reservation; null with {@code failure} when none came (internal). */
    /** The campaign's answer to a decision's reservation, or the failure of ask number {@code attempt} (from 1). */
    record ReservationAnswered(String decisionId, CampaignEntity.ReserveReply reply, String failure, int attempt)
            implements ShopperCommand {}

    // ---- wallet, checkout, orders ----

    record ClaimCoupon(String couponId, Instant now, ActorRef<ClaimReply> replyTo) implements ShopperCommand {}

    sealed interface ClaimReply extends CborSerializable {}

    record CouponClaimed(String shopperId, Offer offer) implements ClaimReply {}

    record ClaimRejected(ClaimRejection reason, String detail) implements ClaimReply {}

    enum ClaimRejection implements Rejection {
        NOT_FOUND,
        NOT_CLAIMABLE;

        public Kind kind() {
            return switch (this) {
                case NOT_FOUND -> Kind.NOT_FOUND;
                case NOT_CLAIMABLE -> Kind.CONFLICT;
            };
        }
    }

    /** One line of a cart; {@code category} (optional) lets category-restricted coupons find it. */
    record CartItem(String sku, int quantity, String category) implements CborSerializable {}

    /**
     * Prices the cart at {@code prices} and evaluates coupons; {@code couponIds} null = every usable coupon of the
     * wallet. Changes nothing. A guest (a shopper never seen) is quoted without coupons.
     */
    record QuoteCheckout(
            List<CartItem> items,
            List<String> couponIds,
            BigDecimal shippingFee,
            PriceList prices,
            Instant now,
            ActorRef<QuoteReply> replyTo)
            implements ShopperCommand {}

    /**
     * What this shopper pays for one unit of each SKU: the price everyone pays ({@code prices}) less the best coupon
     * combination of the wallet, never under the margin floor. Changes nothing; a guest gets the prices without
     * coupons.
     */
    record GetPrices(List<String> skus, PriceList prices, Instant now, ActorRef<PricesReply> replyTo)
            implements ShopperCommand {}

    sealed interface PricesReply extends CborSerializable {}

    /** {@code guest}: a shopper never seen, priced without a wallet. */
    record ShopperPrices(String shopperId, boolean guest, List<ShopperPrice> prices) implements PricesReply {}

    /**
     * One SKU's price for this shopper: {@code couponIds}, the wallet's best combination for one unit; {@code youPay} =
     * {@code price} − {@code discount}, never under the margin floor ({@code floorCapped}: the floor cut it);
     * {@code unpaid}, coupons that would apply but their campaign's money left cannot pay (null from an older node).
     */
    record ShopperPrice(
            String sku,
            SkuPrice price,
            List<String> couponIds,
            BigDecimal discount,
            BigDecimal youPay,
            boolean floorCapped,
            List<String> unpaid)
            implements CborSerializable {}

    sealed interface QuoteReply extends CborSerializable {}

    /** {@code unusable}: requested coupons the wallet cannot use (unknown, used, expired, revoked). */
    record Quoted(String shopperId, Checkout.Quote quote, List<Checkout.NotApplicable> unusable)
            implements QuoteReply {}

    record QuoteRejected(QuoteRejection reason, String detail) implements QuoteReply {}

    enum QuoteRejection implements Rejection {
        /** A SKU of the cart has neither a dynamic price nor a catalogue entry. */
        NO_PRICE;

        public Kind kind() {
            return Kind.UNPROCESSABLE;
        }
    }

    /**
     * Places an order redeeming exactly {@code couponIds}; idempotent by order id (the same id answers the first
     * result).
     */
    record PlaceOrder(
            String orderId,
            List<CartItem> items,
            List<String> couponIds,
            BigDecimal shippingFee,
            PriceList prices,
            Instant now,
            ActorRef<OrderReply> replyTo)
            implements ShopperCommand {}

    /** Cancels an order placed here: its coupons' usage and budget are given back. Idempotent. */
    record CancelOrder(String orderId, Instant now, ActorRef<OrderReply> replyTo) implements ShopperCommand {}

    /**
     * Refunds {@code units} per SKU of an order placed here (null: everything left); idempotent by {@code refundId}
     * (the same id answers the order as it is).
     */
    record RefundOrder(
            String orderId, String refundId, Map<String, Integer> units, Instant now, ActorRef<OrderReply> replyTo)
            implements ShopperCommand {}

    /** The order as it is now (a read). */
    record GetOrder(String orderId, ActorRef<OrderReply> replyTo) implements ShopperCommand {}

    sealed interface OrderReply extends CborSerializable {}

    /** {@code repeated}: the order id was already known here and this is its recorded result. */
    record OrderAccepted(String shopperId, OrderRecord order, boolean repeated) implements OrderReply {}

    record OrderRejected(OrderRejection reason, String detail) implements OrderReply {}

    enum OrderRejection implements Rejection {
        /** No such order (for this shopper). */
        NOT_FOUND,
        /** The order id belongs to another shopper. */
        OTHER_SHOPPER,
        /** A coupon is used, expired or revoked, or its campaign refused the budget. */
        COUPON_NOT_USABLE,
        /** A coupon is unknown or does not apply, coupons break the stacking rule, or an item has no price. */
        NOT_APPLICABLE,
        /** A campaign did not confirm the coupons' budget in time: retry with the same order id. */
        UNAVAILABLE,
        /** The refund names SKUs or units the order does not (still) have, or the order is cancelled. */
        NOT_REFUNDABLE,
        /**
         * The order is not among the orders the shopper keeps (the last 100) and the shopper has dropped older ones: if
         * it was placed, refund it outside Kairos and send a {@code refund} event so RFM stays right.
         */
        FORGOTTEN;

        public Kind kind() {
            return switch (this) {
                case NOT_FOUND -> Kind.NOT_FOUND;
                case OTHER_SHOPPER -> Kind.CONFLICT;
                case COUPON_NOT_USABLE -> Kind.CONFLICT;
                case NOT_APPLICABLE -> Kind.UNPROCESSABLE;
                case UNAVAILABLE -> Kind.UNAVAILABLE;
                case NOT_REFUNDABLE -> Kind.UNPROCESSABLE;
                case FORGOTTEN -> Kind.CONFLICT;
            };
        }
    }

    /** The campaigns' answers to an order's commits (entity-internal); empty with {@code failure} when one failed. */
    record CommitsAnswered(String orderId, List<CampaignEntity.SettleReply> replies, String failure)
            implements ShopperCommand {}

    /** The campaigns' answers to a cancellation's returns (entity-internal). */
    record ReturnsAnswered(String orderId, List<CampaignEntity.SettleReply> replies, String failure)
            implements ShopperCommand {}

    /** Revokes an offer the campaign could not hold budget for again (after a cancelled order). Idempotent. */
    record RevokeOffer(String offerId, String reason, Instant at, ActorRef<Done> replyTo) implements ShopperCommand {}

    /**
     * Dispatch reports the final result of delivering an offer through {@code channel}: delivered, or failed for good
     * ({@code detail} says why). Only an offer still {@code issued} records it: a delivery is recorded once per offer
     * (later reports from a replayed projection or a retry change nothing), a failure again for each report while the
     * offer stays issued (read sides count offers, not reports); reports about unknown or no longer live offers change
     * nothing. Always answers {@link Done} once the result is durable (or there was nothing to record).
     *
     * @param messageCost what sending cost (the channel's configured cost), for the funnel's ROI
     */
    record RecordDelivery(
            String offerId,
            String channel,
            boolean delivered,
            String detail,
            BigDecimal messageCost,
            Instant at,
            ActorRef<Done> replyTo)
            implements ShopperCommand {}

    // ---- erasure (GDPR Art. 17), see io.kairos.privacy.PersonKeys ----

    /**
     * Erases the person (sent to an identity, its person): the keys of its journal and of every linked identity's are
     * deleted, so nothing recorded about it can be read again, and it cannot come back. {@code erasedBy}: the id of the
     * admin key that asked, for the receipt. Idempotent: an erased person answers {@link ShopperErased} again.
     */
    record EraseShopper(String erasedBy, Instant at, ActorRef<ErasureReply> replyTo) implements ShopperCommand {}

    sealed interface ErasureReply extends CborSerializable {}

    /** Erased, with {@code identities} linked identities. */
    record ShopperErased(String shopperId, int identities) implements ErasureReply {}

    /** The key store did not confirm the erasure (retry: erasure is idempotent). */
    record ErasureFailed(String shopperId, String detail) implements ErasureReply {}

    /**
     * The person's name in stores that must not hold a shopper id (an order's binding): its journal's pseudonym (its
     * shopper id before pseudonyms); null once erased. An identity answers with its person's.
     */
    record WhoAreYou(ActorRef<PersonNamed> replyTo) implements ShopperCommand {}

    record PersonNamed(String name) implements CborSerializable {}

    /** The key store's answer to an erasure, back in the person's actor (local only). */
    record ErasureAnswered(EraseShopper erase, List<String> subjects, String failure) implements ShopperCommand {}

    /** The person's pseudonym and key as its actor starts (local); failure: the lookup failed; neither: again. */
    record PersonResolved(io.kairos.privacy.PersonKeys.Resolution resolution, String failure, int attempt)
            implements ShopperCommand {}
}

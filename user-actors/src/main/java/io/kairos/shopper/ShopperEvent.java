package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.annotation.JsonCreator;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OrderRefund;
import io.kairos.offer.Trigger;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a shopper's journal holds: every change to a shopper is one of these events, applied by
 * {@link ShopperState#apply}. Read sides (the shopper projection, pricing's demand feed, dispatch, the decision log)
 * read them by tag; audits read them by persistence id.
 *
 * <p>Events are forever. The class names and shapes here are the second version: the first lived in
 * {@code ShopperEntity} and is read through the migrations in {@link ShopperMigrations}.
 */
public sealed interface ShopperEvent extends CborSerializable {

    /**
     * The projection tags shopper events are spread over ({@code kairos.shopper.projection-tags} of them): one
     * projection instance reads each.
     */
    static List<String> tags(ActorSystem<?> system) {
        return tags(system.settings().config().getInt("kairos.shopper.projection-tags"));
    }

    static List<String> tags(int count) {
        return IntStream.range(0, count).mapToObj(i -> "shopper-" + i).toList();
    }

    /** The recording policy in force from here on (see {@link RecordingPolicy}). */
    record PolicyAdopted(RecordingPolicy policy) implements ShopperEvent {}

    /**
     * A behaviour event; {@code receivedAs} is the identity it was sent under when that was a linked alias.
     * {@code orderPlacedBefore}: an {@code order} event for an order already placed through {@code POST /v1/orders}
     * (recorded, but not counted again as demand: an order counts once, from whichever came first). Absent (false) in
     * journals written before it existed.
     */
    record BehaviourRecorded(BehaviourEvent event, Instant receivedAt, String receivedAs, boolean orderPlacedBefore)
            implements ShopperEvent {
        @JsonCreator
        public BehaviourRecorded {}

        public BehaviourRecorded(BehaviourEvent event, Instant receivedAt, String receivedAs) {
            this(event, receivedAt, receivedAs, false);
        }
    }

    record LifecycleChanged(
            LifecycleStage from, LifecycleStage to, String reason, Instant effectiveAt, Instant detectedAt)
            implements ShopperEvent {}

    record ProfileUpdated(Profile profile, Instant at) implements ShopperEvent {}

    /** An identity became an alias of this person and handed its history over. */
    record IdentityLinked(String identity, History history, Instant at) implements ShopperEvent {}

    /** This identity became an alias of {@code ownerId}, handing over what it had. */
    record BecameAlias(String ownerId, History handedOver, Instant at) implements ShopperEvent {}

    /** The identity was unlinked from this person (what it handed over stays here). */
    record IdentityUnlinked(String identity, Instant at) implements ShopperEvent {}

    /** This alias was unlinked from {@code ownerId}: it is a shopper of its own again, starting empty. */
    record AliasReleased(String ownerId, Instant at) implements ShopperEvent {}

    record OfferIssued(Offer offer, DecisionRecord decision, Instant outcomeUntil) implements ShopperEvent {}

    /**
     * A scored decision that issued nothing: "no offer" ranked best or was drawn by exploration, or the chosen campaign
     * refused the reservation ({@code outcome}: {@code no-offer} or {@code refused:<reason>}). Recorded so every
     * action's propensity is in the journal and an operator can see why a campaign issues little; changes no state.
     * Journals from before it existed simply lack these decisions.
     */
    record NoOfferDecided(DecisionRecord decision, String outcome) implements ShopperEvent {
        public static final String NO_OFFER = "no-offer";
    }

    /** The person is in the campaign's holdout: recorded once, as the campaign's control. */
    record HoldoutAssigned(String campaignId, DecisionRecord decision, Instant outcomeUntil) implements ShopperEvent {}

    record OfferClaimed(String offerId, String campaignId, String decisionId, Instant at) implements ShopperEvent {}

    record OfferRevoked(String offerId, String reason, Instant at) implements ShopperEvent {}

    /** The offer reached the shopper through {@code channel} (reported by dispatch); the offer moves to delivered. */
    record OfferDelivered(
            String offerId, String campaignId, String decisionId, String channel, BigDecimal messageCost, Instant at)
            implements ShopperEvent {}

    /**
     * Dispatch gave up delivering the offer through {@code channel}; the offer stays issued (in-app still shows it).
     */
    record DeliveryFailed(
            String offerId, String campaignId, String decisionId, String channel, String reason, Instant at)
            implements ShopperEvent {}

    /**
     * A message about the offer was opened or clicked ({@code how}: message_open, message_click), recorded with the
     * behaviour event that reported it; the offer moves to opened if it was issued or delivered. One per such event:
     * read sides count offers.
     */
    record OfferOpened(String offerId, String campaignId, String decisionId, String channel, String how, Instant at)
            implements ShopperEvent {}

    /**
     * An order placed through {@code POST /v1/orders}. {@code recordedBefore}: {@code order} events with the same order
     * id came first and were counted as demand, so its lines are not counted again. Absent (false) in journals written
     * before it existed.
     */
    record OrderPlaced(OrderRecord order, boolean recordedBefore) implements ShopperEvent {
        @JsonCreator
        public OrderPlaced {}

        public OrderPlaced(OrderRecord order) {
            this(order, false);
        }
    }

    /**
     * The order's coupons given back: {@code reinstated} ones are usable again (the others had expired and stay used
     * up).
     */
    record OrderCancelled(String orderId, Instant at, List<ReturnedCoupon> coupons) implements ShopperEvent {
        public List<String> reinstated() {
            return ReturnedCoupon.reinstated(coupons);
        }
    }

    record ReturnedCoupon(String offerId, String campaignId, boolean reinstated) implements CborSerializable {
        /** The offers of {@code coupons} that are usable again. */
        static List<String> reinstated(List<ReturnedCoupon> coupons) {
            return coupons.stream()
                    .filter(ReturnedCoupon::reinstated)
                    .map(ReturnedCoupon::offerId)
                    .toList();
        }
    }

    /**
     * A refund of an order placed through the API (see {@code RefundRules}): recorded with the order; the campaigns get
     * {@code refund.returned()} back. A full refund gives its {@code coupons} back as a cancel does (reinstated ones
     * are usable again).
     */
    record OrderRefunded(String orderId, OrderRefund refund, List<ReturnedCoupon> coupons) implements ShopperEvent {
        public List<String> reinstated() {
            return ReturnedCoupon.reinstated(coupons);
        }
    }

    /** An order's net amount attributed to a decision still in its outcome window (0 once cancelled). */
    record OutcomeRecorded(
            String decisionId, String campaignId, boolean holdout, String orderId, BigDecimal netAmount, Instant at)
            implements ShopperEvent {}

    /**
     * A decide request with an idempotency key was answered by {@code decisionId} (null: nothing was decided); the same
     * key again answers with it.
     */
    record DecideAnswered(String idempotencyKey, String decisionId, Instant at) implements ShopperEvent {}

    record TriggerScheduled(Trigger trigger) implements ShopperEvent {}

    record TriggerFired(String kind, Instant at, String outcome) implements ShopperEvent {}
}

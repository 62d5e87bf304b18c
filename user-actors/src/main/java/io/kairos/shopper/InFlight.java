package io.kairos.shopper;

import akka.actor.typed.ActorRef;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.DecisionRecord.Refusal;
import io.kairos.offer.FeatureValues;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferPolicy;
import io.kairos.offer.OfferPolicy.Candidate;
import io.kairos.offer.OfferPolicy.Choice;
import io.kairos.offer.OfferPolicy.Evaluated;
import io.kairos.offer.OfferScoring.Scored;
import io.kairos.offer.OfferStatus;
import io.kairos.shopper.ShopperCommand.DecideReply;
import io.kairos.shopper.ShopperCommand.OrderReply;
import io.kairos.shopper.ShopperCommand.Woken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a person waits for while a decision or a redemption asks a model or a campaign. While something waits, the
 * entity keeps every other command of this person in its stash, so concurrent requests see the result of the one before
 * them and never double-issue or double-redeem. Transient by design: a restart forgets it, and the asks' answers to a
 * new incarnation are ignored (reservations are released by the campaign's expiry sweep). It also holds the identity
 * links the person waits on ({@link IdentityLinks}), which stash nothing: a second link with the same identity is
 * refused, and the person refuses to become an alias meanwhile. A person's {@link PersonContext} is its slot (one
 * object per shopper fewer).
 */
class InFlight {

    /** The one thing a person can wait for at a time. */
    sealed interface Waiting {}

    /**
     * A decision on its way ({@link OfferDecisions}); {@code chosen} is null until it is scored; {@code refused}, the
     * campaigns that refused to reserve an earlier choice.
     */
    record Deciding(String decisionId, Request request, Planned planned, Chosen chosen, List<Refusal> refused)
            implements Waiting {
        Deciding chose(Chosen c) {
            return new Deciding(decisionId, request, planned, c, refused);
        }

        /** This decision after its chosen campaign refused (why: {@code reason}), choosing {@code next} instead. */
        Deciding refusedThenChose(String reason, Chosen next) {
            var all = new ArrayList<>(refused);
            all.add(new Refusal(chosen.offer().campaignId(), reason));
            return new Deciding(decisionId, request, planned, next, List.copyOf(all));
        }

        /** The offer {@code choice} makes, before its campaign reserves it; null when it chose no offer. */
        Offer offer(Choice choice) {
            if (choice.index() < 0) return null;
            var candidate = planned.candidates().get(choice.index());
            var campaign = candidate.campaign();
            var now = request.now();
            return new Offer(
                    "of-" + decisionId,
                    CouponCodes.of(decisionId),
                    campaign.campaignId(),
                    campaign.coupon(),
                    OfferStatus.ISSUED,
                    now,
                    campaign.offerExpiry(now),
                    candidate.channel(),
                    decisionId,
                    campaign.coupon().maxCost(),
                    null,
                    null,
                    null);
        }

        /** The record of this decision, once chosen: with the reservation of its offer (null: none was made). */
        DecisionRecord record(String shopperId, DecisionRecord.Reservation reservation) {
            var candidate = chosen.choice().index() < 0
                    ? null
                    : planned.candidates().get(chosen.choice().index());
            var model = chosen.scored().scores().get(0);
            return new DecisionRecord(
                    DecisionRecord.VERSION,
                    decisionId,
                    shopperId,
                    request.trigger(),
                    request.now(),
                    new DecisionRecord.Inputs(
                            planned.features(), planned.features().hash(), planned.personalized()),
                    new DecisionRecord.Scoring(
                            new DecisionRecord.Model(
                                    model.modelName(),
                                    model.modelVersion(),
                                    chosen.scored().engine()),
                            chosen.scored().scoring(),
                            chosen.scored().note(),
                            chosen.scores().stream().map(Evaluated::score).toList(),
                            chosen.scored().arm()),
                    new DecisionRecord.Choice(
                            candidate == null ? null : candidate.campaign().campaignId(),
                            candidate == null ? null : candidate.channel(),
                            false,
                            chosen.choice().propensity(),
                            chosen.choice().rule(),
                            new DecisionRecord.Exploration(
                                    chosen.choice().epsilon(),
                                    chosen.choice().explored(),
                                    OfferPolicy.seedOf(decisionId)),
                            reservation,
                            refused),
                    planned.limits(),
                    null);
        }
    }

    /**
     * Who waits for a decision, and what it found before it started (events to record with it); a decide request may
     * carry an idempotency key, whose answer is recorded with the decision.
     */
    record Request(
            String trigger,
            Instant now,
            List<ShopperEvent> events,
            ActorRef<DecideReply> decidedTo,
            String idempotencyKey,
            ActorRef<Woken> wokenTo,
            List<String> fired,
            long startedNanos) {}

    /** What the rules and features gave the model to score. */
    record Planned(
            FeatureValues features,
            boolean personalized,
            List<Candidate> candidates,
            List<FeatureValues> offerFeatures,
            List<String> limits) {}

    /** What the decision chose, once scored; {@code offer} is null when it chose no offer. */
    record Chosen(Scored scored, List<Evaluated> scores, Choice choice, Offer offer) {}

    /** An order waiting for its campaigns to commit its coupons' discounts ({@link Redemptions}). */
    record Ordering(OrderRecord order, ActorRef<OrderReply> replyTo) implements Waiting {}

    /** A recorded cancellation waiting for its campaigns to take the budget back ({@link Redemptions}). */
    record Cancelling(OrderRecord order, List<String> reinstated, ActorRef<OrderReply> replyTo) implements Waiting {}

    private Waiting waiting;
    /** The identities the person is linking or unlinking ({@link IdentityLinks}); the shared empty set while none. */
    private Set<String> links = Set.of();

    boolean busy() {
        return waiting != null;
    }

    void start(Waiting w) {
        if (waiting != null) throw new IllegalStateException("already waiting for " + waiting);
        waiting = w;
    }

    /** Replaces what is waited for with its next step (the same kind of thing). */
    void advance(Waiting w) {
        if (waiting == null || waiting.getClass() != w.getClass()) {
            throw new IllegalStateException("not waiting for a " + w.getClass().getSimpleName());
        }
        waiting = w;
    }

    void clear() {
        waiting = null;
    }

    /** Forgets everything: what waits and the links in progress (a new incarnation of the actor). */
    void reset() {
        waiting = null;
        links = Set.of();
    }

    /** Marks a link with {@code identity} as in progress; false if one already is. */
    boolean startLink(String identity) {
        if (links.contains(identity)) return false;
        if (links.isEmpty()) links = new HashSet<>(); // most shoppers never link: no set until one does
        return links.add(identity);
    }

    void endLink(String identity) {
        if (!links.contains(identity)) return; // the shared empty set cannot be changed
        links.remove(identity);
        if (links.isEmpty()) links = Set.of();
    }

    boolean linking() {
        return !links.isEmpty();
    }

    /** What waits, if it is of {@code type}. */
    <T extends Waiting> Optional<T> get(Class<T> type) {
        return type.isInstance(waiting) ? Optional.of(type.cast(waiting)) : Optional.empty();
    }

    /**
     * What waits, if it is of {@code type} and {@code answers} it; empty for a stale answer (one whose wait is over or
     * was replaced).
     */
    <T extends Waiting> Optional<T> get(Class<T> type, Predicate<T> answers) {
        return get(type).filter(answers);
    }

    /** Like {@link #get(Class, Predicate)}, and stops waiting for what it finds. */
    <T extends Waiting> Optional<T> take(Class<T> type, Predicate<T> answers) {
        var found = get(type, answers);
        if (found.isPresent()) clear();
        return found;
    }
}

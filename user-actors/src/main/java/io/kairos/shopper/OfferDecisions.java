package io.kairos.shopper;

import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignEntity.Reserve;
import io.kairos.campaign.CampaignEntity.ReserveRefused;
import io.kairos.campaign.CampaignEntity.Reserved;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.FeatureValues;
import io.kairos.offer.OfferMetrics;
import io.kairos.offer.OfferPolicy;
import io.kairos.shopper.InFlight.Chosen;
import io.kairos.shopper.InFlight.Deciding;
import io.kairos.shopper.InFlight.Planned;
import io.kairos.shopper.InFlight.Request;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.DecideAnswered;
import io.kairos.shopper.ShopperEvent.HoldoutAssigned;
import io.kairos.shopper.ShopperEvent.NoOfferDecided;
import io.kairos.shopper.ShopperEvent.OfferIssued;
import io.kairos.shopper.ShopperEvent.TriggerFired;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's offer decisions, on request ({@link GetOffers}) and when a trigger fires ({@link Wake}): the
 * {@link OfferPlanner} rules give the candidates and the holdouts to record; one batched model call scores every
 * candidate off the actor's thread; {@link OfferPolicy} ranks and picks with exploration; the chosen offer's maximum
 * cost is reserved with its campaign (an ask); then one persist records the offer with its full {@link DecisionRecord},
 * with any holdout assignments, fired triggers and lifecycle change found on the way.
 *
 * <p>Takes what it needs (the services, the rules, the actor context for its asks, the effect factories) and returns
 * effects; it never calls back into the entity. While a decision waits, {@link InFlight} holds it.
 */
record OfferDecisions(PersonContext ctx) {
    private static final Logger log = LoggerFactory.getLogger(OfferDecisions.class);

    /** The scoring note of a person who refused personalization: the safe rule, the same for everyone. */
    static final String NOT_PERSONALIZED = "personalization refused: the safe rule, the same for every such shopper";

    /** The wallet: a read, nothing is decided. */
    ReplyEffect<ShopperEvent, ShopperState> onGetOffers(Person s, GetOffers c) {
        if (!s.isKnown()) return ctx.effects().reply(c.replyTo(), new OffersUnknown(ctx.shopperId()));
        return ctx.effects()
                .reply(c.replyTo(), new OffersFound(ctx.shopperId(), s.offers().visibleAt(c.now())));
    }

    /** A decision on request; a guest gets previews, a repeated idempotency key the first answer. */
    ReplyEffect<ShopperEvent, ShopperState> onDecide(Person s, DecideOffers c) {
        if (!s.isKnown()) {
            var previews = Previews.of(ctx.services().catalogue(), c.now());
            return ctx.effects().reply(c.replyTo(), new Decided(ctx.shopperId(), null, previews, true));
        }
        if (c.idempotencyKey() != null) {
            var first = s.offers().answer(c.idempotencyKey());
            if (first.isPresent()) {
                return ctx.effects()
                        .reply(
                                c.replyTo(),
                                new Decided(
                                        ctx.shopperId(),
                                        first.get().decisionId(),
                                        s.offers().visibleAt(c.now()),
                                        false));
            }
        }
        var changes = new Changes(s);
        ctx.rules().transition(changes, Behaviour.later(c.now(), s.lastEventAt()), c.now(), lifecycle());
        return decide(
                changes,
                new Request(
                        "request", c.now(), null, c.replyTo(), c.idempotencyKey(), null, List.of(), System.nanoTime()));
    }

    ReplyEffect<ShopperEvent, ShopperState> onWake(Person s, Wake c) {
        if (!s.isKnown()) return ctx.effects().reply(c.replyTo(), new Woken(ctx.shopperId(), List.of()));
        var now = c.now();
        var changes = new Changes(s);
        ctx.rules().transition(changes, Behaviour.later(now, s.lastEventAt()), now, lifecycle());
        var wakeup = ctx.rules().wake(changes, now);
        if (wakeup.decisionTrigger() == null) {
            return finish(changes.events(), new Request(null, now, null, null, null, c.replyTo(), List.of(), 0), null);
        }
        return decide(
                changes,
                new Request(
                        wakeup.decisionTrigger(),
                        now,
                        null,
                        null,
                        null,
                        c.replyTo(),
                        wakeup.deciding(),
                        System.nanoTime()));
    }

    private ReplyEffect<ShopperEvent, ShopperState> decide(Changes changes, Request r) {
        var p = changes.person();
        var settings = ctx.services().settings();
        var now = r.now();
        // A person who refused personalization is decided without their behaviour: no features, no preference
        boolean personalized = p.profile().personalized();
        var plan = OfferPlanner.plan(
                ctx.shopperId(),
                p,
                ctx.services().catalogue().issuingAt(now),
                r.trigger().equals("request"),
                now,
                settings,
                ctx.rules().highValueMonetary(),
                personalized);
        var preference = personalized ? DecisionFeatures.preference(p, now) : CouponPreference.of(Map.of());
        var features = personalized ? DecisionFeatures.shopper(p, now, preference) : FeatureValues.EMPTY;
        var inputs = new DecisionRecord.Inputs(features, features.hash(), personalized);
        String holdoutDecision = null;
        for (var h : plan.holdouts()) {
            var record = new DecisionRecord(
                    DecisionRecord.VERSION,
                    UUID.randomUUID().toString(),
                    ctx.shopperId(),
                    r.trigger(),
                    now,
                    inputs,
                    DecisionRecord.Scoring.NONE,
                    new DecisionRecord.Choice(
                            h.campaignId(),
                            null,
                            true,
                            h.holdoutPercent() / 100.0,
                            "holdout",
                            new DecisionRecord.Exploration(settings.epsilon(), false, null),
                            null,
                            List.of()),
                    plan.limits(),
                    null);
            changes.add(new HoldoutAssigned(h.campaignId(), record, now.plus(settings.outcomeWindow())));
            if (holdoutDecision == null) holdoutDecision = record.decisionId();
        }
        if (plan.candidates().isEmpty()) {
            r.fired().forEach(kind -> changes.add(new TriggerFired(kind, now, "no candidate")));
            OfferMetrics.decision(r.trigger(), plan.holdouts().isEmpty() ? "none" : "holdout", seconds(r));
            return finish(changes.events(), r, holdoutDecision);
        }
        var decisionId = UUID.randomUUID().toString();
        var offerFeatures = plan.candidates().stream()
                .map(c -> DecisionFeatures.offer(
                        c.campaign().campaignId(), c.campaign().coupon(), c.channel(), preference))
                .toList();
        var scorerInputs = IntStream.range(0, offerFeatures.size())
                .mapToObj(i -> OfferFeatures.of(
                        plan.candidates().get(i).key(), offerFeatures.get(i).asMap()))
                .toList();
        var request = new Request(
                r.trigger(),
                now,
                changes.events(),
                r.decidedTo(),
                r.idempotencyKey(),
                r.wokenTo(),
                r.fired(),
                r.startedNanos());
        ctx.inFlight()
                .start(new Deciding(
                        decisionId,
                        request,
                        new Planned(features, personalized, plan.candidates(), offerFeatures, plan.limits()),
                        null,
                        List.of()));
        var scoring = ctx.services().scoring();
        ctx.actor()
                .pipeToSelf(
                        personalized
                                ? scoring.score(decisionId, features, scorerInputs)
                                : CompletableFuture.completedFuture(scoring.safe(scorerInputs, NOT_PERSONALIZED)),
                        (scored, failure) -> new DecisionScored(
                                decisionId,
                                scored != null ? scored : scoring.safe(scorerInputs, "scoring failed: " + failure)));
        return ctx.effects().noReply();
    }

    ReplyEffect<ShopperEvent, ShopperState> onDecisionScored(Person s, DecisionScored m) {
        return ctx.inFlight()
                .get(Deciding.class, w -> w.decisionId().equals(m.decisionId()))
                .map(d -> choose(s, d, m))
                .orElseGet(() -> ctx.effects().noReply()); // a stale answer
    }

    /** The scores are in: evaluate, choose (or explore), then reserve the chosen offer's budget. */
    private ReplyEffect<ShopperEvent, ShopperState> choose(Person s, Deciding d, DecisionScored m) {
        var settings = ctx.services().settings();
        var scores = OfferPolicy.evaluate(
                d.planned().candidates(),
                d.planned().offerFeatures(),
                m.scored().scores(),
                d.planned().personalized() ? s.averageOrderValue() : null,
                d.planned().features(),
                settings);
        var campaigns = d.planned().candidates().stream()
                .map(OfferPolicy.Candidate::campaign)
                .toList();
        var choice = OfferPolicy.choose(
                scores, settings.explorationFor(campaigns, m.scored().coldStart()), OfferPolicy.seedOf(d.decisionId()));
        return reserve(d.chose(new Chosen(m.scored(), scores, choice, d.offer(choice))));
    }

    /** Reserves the chosen offer's cost with its campaign; a decision that chose no offer is concluded. */
    private ReplyEffect<ShopperEvent, ShopperState> reserve(Deciding d) {
        if (d.chosen().offer() == null) return concluded(d, "none");
        ctx.inFlight().advance(d);
        askReservation(d, 1);
        return ctx.effects().noReply();
    }

    /**
     * Asks the chosen offer's campaign to reserve its cost. Every attempt sends the same {@link Reserve} (offer id and
     * time), which the campaign answers as the first time, so asking again after a late answer never reserves twice.
     */
    private void askReservation(Deciding d, int attempt) {
        var offer = d.chosen().offer();
        var now = d.request().now();
        var settings = ctx.services().settings();
        ctx.actor()
                .pipeToSelf(
                        AskPattern.<CampaignEntity.Command, CampaignEntity.ReserveReply>ask(
                                ctx.services().campaigns().apply(offer.campaignId()),
                                r -> new Reserve(offer.offerId(), offer.reserved(), offer.expiresAt(), now, r),
                                settings.reserveTimeout(),
                                ctx.actor().getSystem().scheduler()),
                        (reply, failure) -> new ReservationAnswered(
                                d.decisionId(), reply, failure == null ? null : failure.toString(), attempt));
    }

    ReplyEffect<ShopperEvent, ShopperState> onReservationAnswered(Person s, ReservationAnswered m) {
        var d = ctx.inFlight()
                .get(Deciding.class, w -> w.decisionId().equals(m.decisionId()))
                .orElse(null);
        if (d == null) return ctx.effects().noReply(); // a stale answer
        var offer = d.chosen().offer();
        if (m.reply() instanceof Reserved r) {
            var reservation = new DecisionRecord.Reservation(offer.campaignId(), r.offerId(), r.amount());
            return concluded(d, "issued", reservation);
        }
        if (m.reply() == null && m.attempt() < ctx.services().settings().reserveAttempts()) {
            // Late, not refused: the campaign may be busy or moving. Ask again; the first answer comes back.
            OfferMetrics.reservationRetried(offer.campaignId());
            log.debug(
                    "Shopper {}: reservation of {} unanswered after attempt {} ({}); asking again",
                    ctx.shopperId(),
                    offer.offerId(),
                    m.attempt(),
                    m.failure());
            askReservation(d, m.attempt() + 1);
            return ctx.effects().noReply();
        }
        if (m.reply() instanceof ReserveRefused refused)
            return refused(d, refused.reason().wireName());
        if (m.reply() == null) {
            // Unanswered for reserve-give-up-after: the campaign may still reserve when a late ask reaches it; give
            // it back rather than hold it until the offer would have expired (a release of an offer the campaign
            // never reserved changes nothing).
            ctx.services()
                    .campaigns()
                    .apply(offer.campaignId())
                    .tell(new CampaignEntity.Release(
                            offer.offerId(),
                            "reservation unanswered",
                            d.request().now(),
                            ctx.actor().getSystem().ignoreRef()));
        }
        log.debug(
                "Shopper {}: campaign {} did not answer the reservation of {} ({})",
                ctx.shopperId(),
                offer.campaignId(),
                offer.offerId(),
                m.failure());
        return concluded(d, "refused:unavailable");
    }

    /**
     * The chosen campaign refused to reserve (its budget or today's pacing allowance is spent, it is paused, …): the
     * choice is drawn again over the campaigns that have not refused, with the same seed, and that offer is reserved in
     * turn; the record names every refusal. When every campaign left refuses, or "no offer" is drawn, the decision
     * issues nothing.
     */
    private ReplyEffect<ShopperEvent, ShopperState> refused(Deciding d, String reason) {
        var chosen = d.chosen();
        var campaignId = chosen.offer().campaignId();
        log.debug(
                "Shopper {}: campaign {} refused decision {} ({})",
                ctx.shopperId(),
                campaignId,
                d.decisionId(),
                reason);
        var refused = new HashSet<String>();
        d.refused().forEach(r -> refused.add(r.campaignId()));
        refused.add(campaignId);
        if (d.planned().candidates().stream()
                .allMatch(c -> refused.contains(c.campaign().campaignId())))
            return concluded(d, "refused:" + reason); // no campaign left to ask
        var again = OfferPolicy.choose(
                chosen.scores(), chosen.choice().epsilon(), OfferPolicy.seedOf(d.decisionId()), refused);
        return reserve(d.refusedThenChose(reason, new Chosen(chosen.scored(), chosen.scores(), again, d.offer(again))));
    }

    private ReplyEffect<ShopperEvent, ShopperState> concluded(Deciding d, String outcome) {
        return concluded(d, outcome, null);
    }

    /** Records a decision's outcome: the offer when reserved, with whatever else the decision found on its way. */
    private ReplyEffect<ShopperEvent, ShopperState> concluded(
            Deciding d, String outcome, DecisionRecord.Reservation reservation) {
        var r = d.request();
        var events = new ArrayList<>(r.events());
        var chosen = d.chosen();
        if (chosen != null) {
            var settings = ctx.services().settings();
            var record = d.record(ctx.shopperId(), reservation);
            if (reservation != null) {
                events.add(new OfferIssued(chosen.offer(), record, r.now().plus(settings.outcomeWindow())));
                OfferMetrics.issued(chosen.offer().campaignId());
            } else {
                events.add(
                        new NoOfferDecided(record, outcome.startsWith("refused") ? outcome : NoOfferDecided.NO_OFFER));
            }
        }
        r.fired().forEach(kind -> events.add(new TriggerFired(kind, r.now(), outcome)));
        OfferMetrics.decision(r.trigger(), outcome.startsWith("refused") ? "refused" : outcome, seconds(r));
        ctx.inFlight().clear();
        return finish(events, r, chosen != null ? d.decisionId() : null).thenUnstashAll();
    }

    /**
     * Persists what a decision produced and answers whoever waits for it; {@code decisionId} is the recorded decision
     * the answer names (null: none was recorded).
     */
    private ReplyEffect<ShopperEvent, ShopperState> finish(List<ShopperEvent> events, Request r, String decisionId) {
        var all = new ArrayList<>(events);
        if (r.idempotencyKey() != null) all.add(new DecideAnswered(r.idempotencyKey(), decisionId, r.now()));
        EffectBuilder<ShopperEvent, ShopperState> effect =
                all.isEmpty() ? ctx.effects().none() : ctx.persist(all);
        return effect.thenRun(st -> {
                    if (r.decidedTo() != null) {
                        var wallet = ((Person) st).offers().visibleAt(r.now());
                        r.decidedTo().tell(new Decided(ctx.shopperId(), decisionId, wallet, false));
                    }
                    if (r.wokenTo() != null) r.wokenTo().tell(new Woken(ctx.shopperId(), r.fired()));
                    ctx.wakeIfDue(st, r.now());
                })
                .thenNoReply();
    }

    private java.util.Optional<LifecycleModel> lifecycle() {
        return ctx.services().lifecycle().get();
    }

    private static double seconds(Request r) {
        return (System.nanoTime() - r.startedNanos()) / 1e9;
    }
}

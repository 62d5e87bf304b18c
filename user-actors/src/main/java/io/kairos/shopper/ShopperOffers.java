package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignEntity.Commit;
import io.kairos.campaign.CampaignEntity.Reserve;
import io.kairos.campaign.CampaignEntity.ReserveRefused;
import io.kairos.campaign.CampaignEntity.Reserved;
import io.kairos.campaign.CampaignEntity.ReturnRedemption;
import io.kairos.campaign.CampaignEntity.SettleRefused;
import io.kairos.campaign.CampaignEntity.SettleReply;
import io.kairos.campaign.CampaignEntity.Settled;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.offer.Checkout;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.DecisionRecord.CandidateScore;
import io.kairos.offer.FeatureValues;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferBook.Trigger;
import io.kairos.offer.OfferMetrics;
import io.kairos.offer.OfferPolicy;
import io.kairos.offer.OfferPolicy.Candidate;
import io.kairos.offer.OfferPolicy.Choice;
import io.kairos.offer.OfferScoring.Scored;
import io.kairos.offer.OfferStatus;
import io.kairos.shopper.ShopperEntity.*;
import io.kairos.shopper.ShopperState.Person;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offer side of a {@link ShopperEntity}: decisions, the wallet, checkout and orders. Command handlers only (the
 * events and the state transition function are the entity's).
 *
 * <p><b>A decision</b> (on {@code GetOffers} or a due trigger): the {@link OfferPlanner} rules give the candidates and
 * the holdouts to record; one batched model call scores every candidate off the actor's thread; {@link OfferPolicy}
 * ranks and picks with exploration; the chosen offer's maximum cost is reserved with its campaign (an ask); then one
 * persist records the offer with its full {@link DecisionRecord} (and any holdout assignments, fired triggers and
 * lifecycle change found on the way). While a decision, an order or a cancellation waits on the model or a campaign,
 * {@link #busy()} is true and the entity stashes every other command of this person, so concurrent requests see the
 * result of the one before them and never double-issue or double-redeem.
 *
 * <p><b>An order</b> redeems its coupons atomically here: every coupon is checked (usable, applicable, one per stack
 * group), the campaigns commit the actual discounts first, and only then is the order persisted; a commit refused by
 * any campaign fails the whole order (the others are given back). The campaign is thus the authority on whether the
 * coupon's money still exists, and a recorded order always has its spend recorded. A cancellation is persisted first
 * and the budget is then given back (asked at once, and delivered again by the shopper projection if that ask fails),
 * so the campaign's books never show money returned for an order that still stands.
 */
final class ShopperOffers {
    private static final Logger log = LoggerFactory.getLogger(ShopperOffers.class);
    static final String CART = "cart_abandonment";
    static final String LIFECYCLE = "lifecycle";
    static final String DORMANCY = "dormancy";

    private final String shopperId;
    private final ShopperSettings settings;
    private final OfferServices services;
    private final ActorContext<Command> context;
    private final ShopperEntity entity;
    private Object inFlight; // a Decision, PendingOrder or PendingCancel while one waits; transient by design

    ShopperOffers(
            String shopperId,
            ShopperSettings settings,
            OfferServices services,
            ActorContext<Command> context,
            ShopperEntity entity) {
        this.shopperId = shopperId;
        this.settings = settings;
        this.services = services;
        this.context = context;
        this.entity = entity;
    }

    boolean busy() {
        return inFlight != null;
    }

    /** A decision on its way: what it saw, who waits for it, and (after scoring) what it chose. */
    private record Decision(
            String decisionId,
            String trigger,
            Instant now,
            FeatureValues features,
            List<Candidate> candidates,
            List<FeatureValues> offerFeatures,
            List<String> limits,
            List<Event> events,
            ActorRef<OffersReply> offersTo,
            ActorRef<Woken> wokenTo,
            List<String> fired,
            long startedNanos,
            Scored scored,
            List<CandidateScore> scores,
            Choice choice,
            Offer offer) {
        Decision chose(Scored s, List<CandidateScore> sc, Choice c, Offer o) {
            return new Decision(
                    decisionId,
                    trigger,
                    now,
                    features,
                    candidates,
                    offerFeatures,
                    limits,
                    events,
                    offersTo,
                    wokenTo,
                    fired,
                    startedNanos,
                    s,
                    sc,
                    c,
                    o);
        }
    }

    private record PendingOrder(OrderRecord order, ActorRef<OrderReply> replyTo) {}

    private record PendingCancel(OrderRecord order, List<String> reinstated, ActorRef<OrderReply> replyTo) {}

    // ---- decisions ----

    ReplyEffect<Event, ShopperState> onGetOffers(Person s, GetOffers c) {
        if (!s.isKnown()) return entity.effects().reply(c.replyTo(), new OffersUnknown(shopperId));
        var events = new ArrayList<Event>();
        var p = entity.appendTransition(events, s, ShopperEntity.later(c.now(), s.lastEventAt()), c.now());
        return decide(p, events, "request", c.now(), true, c.replyTo(), null, List.of());
    }

    ReplyEffect<Event, ShopperState> onWake(Person s, Wake c) {
        if (!s.isKnown()) return entity.effects().reply(c.replyTo(), new Woken(shopperId, List.of()));
        var now = c.now();
        var events = new ArrayList<Event>();
        var p = entity.appendTransition(events, s, ShopperEntity.later(now, s.lastEventAt()), now);
        String trigger = null;
        var deciding = new ArrayList<String>();
        for (var t : p.offers().triggers().values().stream()
                .sorted(java.util.Comparator.comparing(Trigger::kind))
                .toList()) {
            if (t.dueAt().isAfter(now)) continue;
            switch (t.kind()) {
                case CART -> {
                    var lastOrder = p.book().lastOrderAt();
                    if (lastOrder != null && !lastOrder.isBefore(t.since())) {
                        p = ShopperEntity.append(events, p, new TriggerFired(CART, now, "ordered since the cart"));
                    } else {
                        deciding.add(CART);
                        trigger = "cart_abandoned";
                    }
                }
                case LIFECYCLE -> {
                    if (p.stage().wireName().equals(t.detail())) {
                        deciding.add(LIFECYCLE);
                        if (trigger == null) trigger = "lifecycle:" + t.detail();
                    } else {
                        p = ShopperEntity.append(events, p, new TriggerFired(LIFECYCLE, now, "stage changed since"));
                    }
                }
                case DORMANCY -> {
                    // The wake-up that detects inactivity: the transition (if any) was appended above; check again
                    // later if active.
                    p = ShopperEntity.append(events, p, new TriggerFired(DORMANCY, now, "checked"));
                    var next = p.lastEventAt().plus(settings.lifecycle().dormantAfter());
                    if (next.isAfter(now))
                        p = ShopperEntity.append(
                                events, p, new TriggerScheduled(new Trigger(DORMANCY, next, p.lastEventAt(), null)));
                }
                default -> p = ShopperEntity.append(events, p, new TriggerFired(t.kind(), now, "unknown trigger"));
            }
        }
        if (trigger == null) return finish(events, null, c.replyTo(), List.of(), now);
        return decide(p, events, trigger, now, false, null, c.replyTo(), deciding);
    }

    private ReplyEffect<Event, ShopperState> decide(
            Person p,
            List<Event> events,
            String trigger,
            Instant now,
            boolean explicit,
            ActorRef<OffersReply> offersTo,
            ActorRef<Woken> wokenTo,
            List<String> fired) {
        long started = System.nanoTime();
        var offerSettings = services.settings();
        var plan = OfferPlanner.plan(
                shopperId,
                p,
                services.catalogue().issuingAt(now),
                explicit,
                now,
                offerSettings,
                settings.highValueMonetary());
        var features = DecisionFeatures.shopper(p, now);
        for (var h : plan.holdouts()) {
            var record = new DecisionRecord(
                    UUID.randomUUID().toString(),
                    shopperId,
                    trigger,
                    now,
                    features,
                    features.hash(),
                    null,
                    null,
                    "none",
                    null,
                    List.of(),
                    h.campaignId(),
                    null,
                    h.holdoutPercent() / 100.0,
                    offerSettings.epsilon(),
                    false,
                    true,
                    null,
                    "holdout",
                    plan.limits());
            events.add(new HoldoutAssigned(h.campaignId(), record, now.plus(offerSettings.outcomeWindow())));
        }
        if (plan.candidates().isEmpty()) {
            fired.forEach(kind -> events.add(new TriggerFired(kind, now, "no candidate")));
            OfferMetrics.decision(
                    trigger, plan.holdouts().isEmpty() ? "none" : "holdout", (System.nanoTime() - started) / 1e9);
            return finish(events, offersTo, wokenTo, fired, now);
        }
        var decisionId = UUID.randomUUID().toString();
        var offerFeatures = plan.candidates().stream()
                .map(c -> DecisionFeatures.offer(
                        c.campaign().campaignId(), c.campaign().coupon(), c.channel()))
                .toList();
        var inputs = IntStream.range(0, offerFeatures.size())
                .mapToObj(i -> OfferFeatures.of(
                        plan.candidates().get(i).key(), offerFeatures.get(i).asMap()))
                .toList();
        inFlight = new Decision(
                decisionId,
                trigger,
                now,
                features,
                plan.candidates(),
                offerFeatures,
                plan.limits(),
                events,
                offersTo,
                wokenTo,
                fired,
                started,
                null,
                null,
                null,
                null);
        context.pipeToSelf(
                services.scoring().score(features, inputs),
                (scored, failure) -> new DecisionScored(
                        decisionId,
                        scored != null ? scored : services.scoring().safe(inputs, "scoring failed: " + failure),
                        null));
        return entity.effects().noReply();
    }

    ReplyEffect<Event, ShopperState> onDecisionScored(Person s, DecisionScored m) {
        if (!(inFlight instanceof Decision d) || !d.decisionId().equals(m.decisionId()))
            return entity.effects().noReply();
        var scores = OfferPolicy.evaluate(
                d.candidates(), d.offerFeatures(), m.scored().scores(), s.averageOrderValue(), services.settings());
        var choice = OfferPolicy.choose(scores, services.settings().epsilon(), seed(d.decisionId()));
        if (choice.index() < 0) return concluded(d.chose(m.scored(), scores, choice, null), "none", null);
        var candidate = d.candidates().get(choice.index());
        var campaign = candidate.campaign();
        var offer = new Offer(
                "of-" + d.decisionId(),
                couponCode(d.decisionId()),
                campaign.campaignId(),
                campaign.coupon(),
                OfferStatus.ISSUED,
                d.now(),
                campaign.offerExpiry(d.now()),
                candidate.channel(),
                d.decisionId(),
                campaign.coupon().maxCost(),
                null,
                null,
                null);
        inFlight = d.chose(m.scored(), scores, choice, offer);
        context.pipeToSelf(
                AskPattern.<CampaignEntity.Command, CampaignEntity.ReserveReply>ask(
                        services.campaigns().apply(campaign.campaignId()),
                        r -> new Reserve(offer.offerId(), offer.reserved(), offer.expiresAt(), d.now(), r),
                        services.settings().reserveTimeout(),
                        context.getSystem().scheduler()),
                (reply, failure) ->
                        new ReservationAnswered(d.decisionId(), reply, failure == null ? null : failure.toString()));
        return entity.effects().noReply();
    }

    ReplyEffect<Event, ShopperState> onReservationAnswered(Person s, ReservationAnswered m) {
        if (!(inFlight instanceof Decision d) || !d.decisionId().equals(m.decisionId()))
            return entity.effects().noReply();
        if (m.reply() instanceof Reserved r) {
            return concluded(
                    d, "issued", new DecisionRecord.Reservation(d.offer().campaignId(), r.offerId(), r.amount()));
        }
        var reason = m.reply() instanceof ReserveRefused refused ? refused.reason() : "unavailable";
        if (m.reply() == null) {
            // The campaign may have reserved without the answer getting here in time: give it back rather than hold it
            // until the offer would have expired (a release of an offer the campaign never reserved changes nothing).
            services.campaigns()
                    .apply(d.offer().campaignId())
                    .tell(new CampaignEntity.Release(
                            d.offer().offerId(),
                            "reservation unanswered",
                            d.now(),
                            context.getSystem().ignoreRef()));
        }
        log.debug(
                "Shopper {}: campaign {} refused the reservation of {} ({}{})",
                shopperId,
                d.offer().campaignId(),
                d.offer().offerId(),
                reason,
                m.failure() == null ? "" : ": " + m.failure());
        return concluded(d, "refused:" + reason, null);
    }

    /** Records a decision's outcome: the offer when reserved, with whatever else the decision found on its way. */
    private ReplyEffect<Event, ShopperState> concluded(
            Decision d, String outcome, DecisionRecord.Reservation reservation) {
        var events = new ArrayList<>(d.events());
        if (reservation != null) {
            var chosen = d.candidates().get(d.choice().index());
            var first = d.scored().scores().get(0);
            var record = new DecisionRecord(
                    d.decisionId(),
                    shopperId,
                    d.trigger(),
                    d.now(),
                    d.features(),
                    d.features().hash(),
                    first.modelName(),
                    first.modelVersion(),
                    d.scored().scoring(),
                    d.scored().note(),
                    d.scores(),
                    chosen.campaign().campaignId(),
                    chosen.channel(),
                    d.choice().propensity(),
                    services.settings().epsilon(),
                    d.choice().explored(),
                    false,
                    reservation,
                    d.choice().rule(),
                    d.limits());
            events.add(new OfferIssued(
                    d.offer(), record, d.now().plus(services.settings().outcomeWindow())));
            OfferMetrics.issued(chosen.campaign().campaignId());
        }
        d.fired().forEach(kind -> events.add(new TriggerFired(kind, d.now(), outcome)));
        OfferMetrics.decision(
                d.trigger(),
                outcome.startsWith("refused") ? "refused" : outcome,
                (System.nanoTime() - d.startedNanos()) / 1e9);
        inFlight = null;
        return finish(events, d.offersTo(), d.wokenTo(), d.fired(), d.now()).thenUnstashAll();
    }

    /** Persists what a decision produced and answers whoever waits for it. */
    private ReplyEffect<Event, ShopperState> finish(
            List<Event> events,
            ActorRef<OffersReply> offersTo,
            ActorRef<Woken> wokenTo,
            List<String> fired,
            Instant now) {
        EffectBuilder<Event, ShopperState> effect =
                events.isEmpty() ? entity.effects().none() : entity.effects().persist(events);
        return effect.thenRun(st -> {
                    if (offersTo != null)
                        offersTo.tell(new OffersFound(
                                shopperId, ((Person) st).offers().visibleAt(now)));
                    if (wokenTo != null) wokenTo.tell(new Woken(shopperId, fired));
                    wakeIfDue(st, now);
                })
                .thenNoReply();
    }

    // ---- triggers ----

    /**
     * After behaviour was recorded: cart-abandonment and dormancy wake-ups, and outcomes of orders in exposure windows.
     */
    void afterRecording(List<Event> events, Person before, Person after, Instant receivedAt) {
        var delay = services.settings().cartAbandonmentDelay();
        Instant cartAt = null;
        for (var e : events) {
            if (e instanceof BehaviourRecorded r
                    && r.event().type() == EventType.ADD_TO_CART
                    && (cartAt == null || r.event().occurredAt().isAfter(cartAt)))
                cartAt = r.event().occurredAt();
        }
        var pending = after.offers().triggers().get(CART);
        var lastOrder = after.book().lastOrderAt();
        // A cart older than the delay at arrival (a history import) is not worth a message now.
        if (cartAt != null
                && cartAt.plus(delay).isAfter(receivedAt.minus(delay))
                && (lastOrder == null || cartAt.isAfter(lastOrder))
                && (pending == null || cartAt.isAfter(pending.since()))) {
            events.add(new TriggerScheduled(new Trigger(CART, cartAt.plus(delay), cartAt, null)));
        }
        if (!after.offers().triggers().containsKey(DORMANCY) && after.lastEventAt() != null) {
            events.add(new TriggerScheduled(new Trigger(
                    DORMANCY,
                    after.lastEventAt().plus(settings.lifecycle().dormantAfter()),
                    after.lastEventAt(),
                    null)));
        }
        for (var e : List.copyOf(events)) {
            // A claim reported by the shop as a behaviour event is the same claim as through the API.
            if (e instanceof BehaviourRecorded r
                    && r.event().type() == EventType.COUPON_CLAIM
                    && r.event().couponId() != null) {
                after.offers()
                        .byCoupon(r.event().couponId())
                        .filter(o -> o.status().live() && o.status() != OfferStatus.CLAIMED)
                        .filter(o -> events.stream()
                                .noneMatch(x -> x instanceof OfferClaimed oc
                                        && oc.offerId().equals(o.offerId())))
                        .ifPresent(o -> events.add(new OfferClaimed(
                                o.offerId(),
                                o.campaignId(),
                                o.decisionId(),
                                r.event().occurredAt())));
            }
            // An open or click of a message about a known offer: the funnel's "opened" (read sides count offers, not
            // events).
            if (e instanceof BehaviourRecorded r
                    && r.event().couponId() != null
                    && (r.event().type() == EventType.MESSAGE_OPEN || r.event().type() == EventType.MESSAGE_CLICK)) {
                after.offers()
                        .byCoupon(r.event().couponId())
                        .ifPresent(o -> events.add(new OfferOpened(
                                o.offerId(),
                                o.campaignId(),
                                o.decisionId(),
                                r.event().channel() != null ? r.event().channel() : o.channel(),
                                r.event().type().wireName(),
                                r.event().occurredAt())));
            }
        }
        var orders = new HashSet<String>();
        for (var e : events) {
            if (e instanceof BehaviourRecorded r
                    && r.event().orderId() != null
                    && r.event().type().needsOrder()) orders.add(r.event().orderId());
        }
        for (var orderId : orders) outcomes(events, before, after, orderId, receivedAt);
    }

    /**
     * After a lifecycle change: a decision trigger due now if offers react to the new stage and the change is recent.
     */
    Person afterTransition(List<Event> events, Person changed, Instant effectiveAt, Instant detectedAt) {
        var offerSettings = services.settings();
        if (!offerSettings.lifecycleTriggerStages().contains(changed.stage())) return changed;
        if (effectiveAt.isBefore(detectedAt.minus(offerSettings.lifecycleTriggerMaxAge()))) return changed;
        return ShopperEntity.append(
                events,
                changed,
                new TriggerScheduled(new Trigger(
                        LIFECYCLE, detectedAt, effectiveAt, changed.stage().wireName())));
    }

    /** The fast path of a trigger due now: wake at once (the sweeper's wake-up comes later and finds it fired). */
    void wakeIfDue(ShopperState st, Instant now) {
        if (st instanceof Person p
                && p.offers().triggers().values().stream()
                        .anyMatch(t -> !t.dueAt().isAfter(now))) {
            context.getSelf().tell(new Wake(now, context.getSystem().ignoreRef()));
        }
    }

    /** An order's net amount changed: attribute it to every decision whose outcome window covered the order. */
    private static void outcomes(List<Event> events, Person before, Person after, String orderId, Instant at) {
        var line = after.book().recent().stream()
                .filter(l -> l.orderId().equals(orderId))
                .findFirst();
        if (line.isEmpty()) return;
        var net = line.get().net();
        var old = before.book().recent().stream()
                .filter(l -> l.orderId().equals(orderId))
                .findFirst()
                .map(OrderBook.Line::net)
                .orElse(null);
        if (old != null && old.compareTo(net) == 0) return;
        for (var x : after.offers().exposuresAt(line.get().at())) {
            events.add(new OutcomeRecorded(x.decisionId(), x.campaignId(), x.holdout(), orderId, net, at));
        }
    }

    // ---- wallet ----

    ReplyEffect<Event, ShopperState> onClaim(Person s, ClaimCoupon c) {
        var offer = s.offers().byCoupon(c.couponId());
        if (offer.isEmpty())
            return entity.effects()
                    .reply(
                            c.replyTo(),
                            new ClaimRejected("not-found", "no coupon " + c.couponId() + " in this wallet"));
        var status = offer.get().statusAt(c.now());
        if (status == OfferStatus.CLAIMED)
            return entity.effects()
                    .reply(c.replyTo(), new CouponClaimed(shopperId, offer.get().asOf(c.now())));
        if (!status.live())
            return entity.effects()
                    .reply(c.replyTo(), new ClaimRejected("not-claimable", "the coupon is " + status.wireName()));
        return entity.effects()
                .persist(new OfferClaimed(
                        offer.get().offerId(),
                        offer.get().campaignId(),
                        offer.get().decisionId(),
                        c.now()))
                .thenReply(
                        c.replyTo(),
                        st -> new CouponClaimed(
                                shopperId,
                                ((Person) st).offers().byCoupon(c.couponId()).orElseThrow()));
    }

    /** Records a delivery result once per offer: only while the offer is still issued (see {@link RecordDelivery}). */
    ReplyEffect<Event, ShopperState> onDelivery(Person s, RecordDelivery c) {
        var offer = s.offers().byOffer(c.offerId());
        if (offer.isEmpty() || offer.get().status() != OfferStatus.ISSUED)
            return entity.effects().reply(c.replyTo(), Done.getInstance());
        var o = offer.get();
        Event event = c.delivered()
                ? new OfferDelivered(o.offerId(), o.campaignId(), o.decisionId(), c.channel(), c.messageCost(), c.at())
                : new DeliveryFailed(o.offerId(), o.campaignId(), o.decisionId(), c.channel(), c.detail(), c.at());
        return entity.effects().persist(event).thenReply(c.replyTo(), st -> Done.getInstance());
    }

    ReplyEffect<Event, ShopperState> onRevoke(Person s, RevokeOffer c) {
        var offer = s.offers().byOffer(c.offerId());
        if (offer.isEmpty() || !offer.get().status().live())
            return entity.effects().reply(c.replyTo(), Done.getInstance());
        return entity.effects()
                .persist(new OfferRevoked(c.offerId(), c.reason(), c.at()))
                .thenReply(c.replyTo(), st -> Done.getInstance());
    }

    // ---- checkout and orders ----

    ReplyEffect<Event, ShopperState> onQuote(Person s, QuoteCheckout c) {
        if (!s.isKnown())
            return entity.effects().reply(c.replyTo(), new QuoteRejected("unknown-shopper", "no shopper " + shopperId));
        var lines = price(c.items());
        if (lines.missing() != null)
            return entity.effects().reply(c.replyTo(), new QuoteRejected("no-price", lines.missing()));
        var held = new ArrayList<Checkout.Held>();
        var unusable = new ArrayList<Checkout.NotApplicable>();
        var wanted = c.couponIds() == null ? null : new HashSet<>(c.couponIds());
        for (var o : s.offers().offers()) {
            if (wanted != null && !wanted.contains(o.couponId())) continue;
            if (o.usableAt(c.now())) held.add(held(o));
            else if (wanted != null)
                unusable.add(new Checkout.NotApplicable(
                        o.couponId(), "the coupon is " + o.statusAt(c.now()).wireName()));
        }
        if (wanted != null) {
            for (var id : c.couponIds()) {
                if (s.offers().byCoupon(id).isEmpty())
                    unusable.add(new Checkout.NotApplicable(id, "no such coupon in this wallet"));
            }
        }
        held.sort(java.util.Comparator.comparing(Checkout.Held::couponId));
        var quote = Checkout.quote(lines.lines(), c.shippingFee(), held);
        return entity.effects().reply(c.replyTo(), new Quoted(shopperId, quote, unusable));
    }

    ReplyEffect<Event, ShopperState> onPlaceOrder(Person s, PlaceOrder c) {
        var known = s.offers().order(c.orderId());
        if (known.isPresent())
            return entity.effects().reply(c.replyTo(), new OrderAccepted(shopperId, known.get(), true));
        var lines = price(c.items());
        if (lines.missing() != null) return rejectOrder(c, "unprocessable", lines.missing());
        var held = new ArrayList<Checkout.Held>();
        var groups = new HashSet<String>();
        for (var id : c.couponIds()) {
            var offer = s.offers().byCoupon(id);
            if (offer.isEmpty()) return rejectOrder(c, "unprocessable", "no coupon " + id + " in this wallet");
            var status = offer.get().statusAt(c.now());
            if (status == OfferStatus.REDEEMED) return rejectOrder(c, "conflict", "coupon " + id + " is already used");
            if (!status.live()) return rejectOrder(c, "conflict", "coupon " + id + " is " + status.wireName());
            if (!groups.add(offer.get().coupon().group())) {
                return rejectOrder(
                        c,
                        "unprocessable",
                        "coupons " + c.couponIds() + " break the stacking rule: one coupon per stack group");
            }
            held.add(held(offer.get()));
        }
        var result = Checkout.apply(lines.lines(), c.shippingFee(), held);
        if (!result.rejected().isEmpty()) {
            var r = result.rejected().get(0);
            return rejectOrder(c, "unprocessable", "coupon " + r.couponId() + " does not apply: " + r.reason());
        }
        var order = new OrderRecord(
                c.orderId(),
                c.now(),
                lines.lines(),
                result.applied(),
                result.subtotal(),
                result.shippingFee(),
                result.itemDiscount(),
                result.shippingDiscount(),
                result.total(),
                null);
        if (order.applied().isEmpty()) return persistOrder(s, order, c.replyTo());
        inFlight = new PendingOrder(order, c.replyTo());
        var asks = order.applied().stream()
                .map(a -> AskPattern.<CampaignEntity.Command, SettleReply>ask(
                                services.campaigns().apply(a.campaignId()),
                                r -> new Commit(a.offerId(), c.orderId(), a.discount(), c.now(), r),
                                services.settings().settleTimeout(),
                                context.getSystem().scheduler())
                        .toCompletableFuture())
                .toList();
        context.pipeToSelf(
                CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)),
                (ok, failure) -> new CommitsAnswered(
                        c.orderId(),
                        failure == null
                                ? asks.stream().map(CompletableFuture::join).toList()
                                : List.of(),
                        failure == null ? null : failure.toString()));
        return entity.effects().noReply();
    }

    ReplyEffect<Event, ShopperState> onCommitsAnswered(Person s, CommitsAnswered m) {
        if (!(inFlight instanceof PendingOrder o) || !o.order().orderId().equals(m.orderId()))
            return entity.effects().noReply();
        inFlight = null;
        if (m.failure() != null) {
            // Commits that did land stay committed: a retry with the same order id commits them again idempotently.
            return entity.effects()
                    .reply(
                            o.replyTo(),
                            new OrderRejected(
                                    "unavailable",
                                    "a campaign did not confirm the coupons' budget in time; retry with the same orderId"))
                    .thenUnstashAll();
        }
        var refused = m.replies().stream()
                .filter(r -> r instanceof SettleRefused)
                .map(r -> (SettleRefused) r)
                .toList();
        if (refused.isEmpty()) return persistOrder(s, o.order(), o.replyTo()).thenUnstashAll();
        var now = o.order().placedAt();
        var events = new ArrayList<Event>();
        for (var r : m.replies()) {
            if (r instanceof Settled ok) {
                var applied = o.order().applied().stream()
                        .filter(a -> a.offerId().equals(ok.offerId()))
                        .findFirst()
                        .orElseThrow();
                services.campaigns()
                        .apply(applied.campaignId())
                        .tell(new ReturnRedemption(
                                ok.offerId(),
                                o.order().orderId(),
                                true,
                                now,
                                context.getSystem().ignoreRef()));
            }
        }
        for (var r : refused) {
            // The campaign no longer holds money for it (released after expiry, or unknown): the coupon cannot be
            // honoured.
            if (r.reason().equals("released")
                    || r.reason().equals("expired")
                    || r.reason().equals("unknown-offer")) {
                events.add(new OfferRevoked(r.offerId(), "campaign: " + r.reason(), now));
            }
        }
        var detail = "coupon budget refused: "
                + String.join(
                        ", ",
                        refused.stream()
                                .map(r -> r.offerId() + " " + r.reason())
                                .toList());
        EffectBuilder<Event, ShopperState> effect =
                events.isEmpty() ? entity.effects().none() : entity.effects().persist(events);
        return effect.thenReply(o.replyTo(), st -> new OrderRejected("conflict", detail))
                .thenUnstashAll();
    }

    private ReplyEffect<Event, ShopperState> persistOrder(Person s, OrderRecord order, ActorRef<OrderReply> replyTo) {
        var events = new ArrayList<Event>();
        var p = s;
        if (p.policy() == null) p = ShopperEntity.append(events, p, new PolicyAdopted(settings.recording()));
        var before = p;
        p = ShopperEntity.append(events, p, new OrderPlaced(order));
        outcomes(events, before, p, order.orderId(), order.placedAt());
        p = entity.appendTransition(events, p, order.placedAt(), order.placedAt());
        order.applied().forEach(a -> OfferMetrics.redeemed(a.campaignId()));
        return entity.effects()
                .persist(events)
                .thenRun(st -> wakeIfDue(st, order.placedAt()))
                .thenReply(replyTo, st -> new OrderAccepted(shopperId, order, false));
    }

    ReplyEffect<Event, ShopperState> onCancelOrder(Person s, CancelOrder c) {
        var order = s.offers().order(c.orderId());
        if (order.isEmpty())
            return entity.effects()
                    .reply(
                            c.replyTo(),
                            new OrderRejected("not-found", "no order " + c.orderId() + " for this shopper"));
        if (order.get().cancelled())
            return entity.effects().reply(c.replyTo(), new OrderAccepted(shopperId, order.get(), true));
        var returned = order.get().applied().stream()
                .map(a -> new ReturnedCoupon(
                        a.offerId(),
                        a.campaignId(),
                        s.offers()
                                .byOffer(a.offerId())
                                .map(o -> o.expiresAt().isAfter(c.now()))
                                .orElse(false)))
                .toList();
        var reinstated = returned.stream()
                .filter(ReturnedCoupon::reinstated)
                .map(ReturnedCoupon::offerId)
                .toList();
        var events = new ArrayList<Event>();
        var p = ShopperEntity.append(events, s, new OrderCancelled(c.orderId(), c.now(), returned));
        outcomes(events, s, p, c.orderId(), c.now());
        var cancelled = p.offers().order(c.orderId()).orElseThrow();
        if (cancelled.applied().isEmpty())
            return entity.effects()
                    .persist(events)
                    .thenReply(c.replyTo(), st -> new OrderAccepted(shopperId, cancelled, false));
        inFlight = new PendingCancel(cancelled, reinstated, c.replyTo());
        return entity.effects()
                .persist(events)
                .thenRun(st -> {
                    var asks = cancelled.applied().stream()
                            .map(a -> AskPattern.<CampaignEntity.Command, SettleReply>ask(
                                            services.campaigns().apply(a.campaignId()),
                                            r -> new ReturnRedemption(
                                                    a.offerId(),
                                                    c.orderId(),
                                                    reinstated.contains(a.offerId()),
                                                    c.now(),
                                                    r),
                                            services.settings().settleTimeout(),
                                            context.getSystem().scheduler())
                                    .toCompletableFuture())
                            .toList();
                    context.pipeToSelf(
                            CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)),
                            (ok, failure) -> new ReturnsAnswered(
                                    c.orderId(),
                                    failure == null
                                            ? asks.stream()
                                                    .map(CompletableFuture::join)
                                                    .toList()
                                            : List.of(),
                                    failure == null ? null : failure.toString()));
                })
                .thenNoReply();
    }

    ReplyEffect<Event, ShopperState> onReturnsAnswered(Person s, ReturnsAnswered m) {
        if (!(inFlight instanceof PendingCancel pc) || !pc.order().orderId().equals(m.orderId()))
            return entity.effects().noReply();
        inFlight = null;
        var events = new ArrayList<Event>();
        if (m.failure() != null) {
            // The cancellation is recorded; the shopper projection delivers the returns (they are idempotent).
            log.warn(
                    "Shopper {}: returning the coupons of cancelled order {} failed ({}); the projection will retry",
                    shopperId,
                    m.orderId(),
                    m.failure());
        }
        for (var r : m.replies()) {
            pc.order().applied().stream()
                    .filter(a ->
                            a.offerId().equals(r instanceof Settled ok ? ok.offerId() : ((SettleRefused) r).offerId()))
                    .findFirst()
                    .ifPresent(a -> OfferMetrics.returned(a.campaignId()));
            // Reinstated here but the campaign could not hold the money again: the coupon cannot be honoured any more.
            if (r instanceof Settled ok
                    && ok.outcome().equals("released")
                    && pc.reinstated().contains(ok.offerId())) {
                events.add(new OfferRevoked(
                        ok.offerId(),
                        "budget exhausted when the order was cancelled",
                        pc.order().cancelledAt()));
            }
        }
        EffectBuilder<Event, ShopperState> effect =
                events.isEmpty() ? entity.effects().none() : entity.effects().persist(events);
        return effect.thenReply(pc.replyTo(), st -> new OrderAccepted(shopperId, pc.order(), false))
                .thenUnstashAll();
    }

    private ReplyEffect<Event, ShopperState> rejectOrder(PlaceOrder c, String reason, String detail) {
        return entity.effects().reply(c.replyTo(), new OrderRejected(reason, detail));
    }

    private record Priced(List<Checkout.PricedLine> lines, String missing) {}

    private Priced price(List<CartItem> items) {
        var lines = new ArrayList<Checkout.PricedLine>();
        var missing = new ArrayList<String>();
        for (var i : items) {
            var p = services.prices().price(i.sku());
            if (p.isEmpty()) missing.add(i.sku());
            else
                lines.add(new Checkout.PricedLine(
                        i.sku(),
                        i.quantity(),
                        i.category(),
                        p.get().price(),
                        p.get().floorPrice()));
        }
        return missing.isEmpty()
                ? new Priced(lines, null)
                : new Priced(List.of(), "no price known for " + String.join(", ", missing));
    }

    private static Checkout.Held held(Offer o) {
        return new Checkout.Held(o.couponId(), o.offerId(), o.campaignId(), o.coupon(), o.expiresAt());
    }

    /** The exploration draw's seed: a function of the decision id, so the draw can be reproduced from the record. */
    static long seed(String decisionId) {
        var u = UUID.fromString(decisionId);
        return u.getMostSignificantBits() ^ u.getLeastSignificantBits();
    }

    /** A short coupon code derived from the decision id: 12 characters of Crockford base 32 after {@code cp-}. */
    static String couponCode(String decisionId) {
        try {
            var d = MessageDigest.getInstance("SHA-256").digest(decisionId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
            var alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
            var sb = new StringBuilder("cp-");
            for (int i = 0; i < 12; i++) {
                sb.append(alphabet.charAt((int) (v & 31)));
                v >>>= 5;
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}

package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import io.kairos.campaign.CampaignEntity;
import io.kairos.offer.Checkout;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferBook.Trigger;
import io.kairos.offer.OfferScoring;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperState.Alias;
import io.kairos.shopper.ShopperState.History;
import io.kairos.shopper.ShopperState.Person;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One shopper, event-sourced and sharded by shopper id. A {@link Person} records behaviour events (each event id at
 * most once, within the bounded window of {@link RecentEventIds}), keeps decayed scores, RFM and lifecycle stage, and
 * links identities; an {@link Alias} is an identity linked to a person and forwards every command to that person.
 *
 * <p>Offers (see {@link ShopperOffers}): a person decides which coupons to issue to itself (on {@link GetOffers}, and
 * when a trigger fires: a lifecycle transition, cart abandonment, dormancy), holds them in its wallet, quotes and
 * redeems them at checkout. Decisions, redemptions and cancellations that wait on a model or a campaign keep every
 * other command of this person stashed until they are recorded, so concurrent requests never double-issue or
 * double-redeem.
 *
 * <p>Invariants: every lifecycle change is a {@link LifecycleChanged} event decided in a command handler, so replay
 * reproduces the stages without the rules; every decision is recorded with what produced it ({@link OfferIssued},
 * {@link HoldoutAssigned}) and replay never re-runs a model; a person never becomes an alias while one of its own links
 * is pending (which rules out alias cycles); an identity is an alias of at most one person.
 */
public final class ShopperEntity
        extends EventSourcedBehaviorWithEnforcedReplies<ShopperEntity.Command, ShopperEntity.Event, ShopperState> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Shopper");

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** Records events; {@code receivedAs} is the alias they were sent under, set when an alias forwards them. */
    public record RecordEvents(
            List<BehaviourEvent> events, Instant receivedAt, String receivedAs, ActorRef<Recorded> replyTo)
            implements Command {}

    public record Recorded(String shopperId, int accepted, int duplicates) implements CborSerializable {}

    public record GetShopper(Instant now, ActorRef<ShopperReply> replyTo) implements Command {}

    public record UpdateProfile(Profile profile, Instant at, ActorRef<ShopperReply> replyTo) implements Command {}

    public sealed interface ShopperReply extends CborSerializable {}

    public record Found(ShopperSummary summary) implements ShopperReply {}

    public record Unknown(String shopperId) implements ShopperReply {}

    public record LinkIdentity(String identity, Instant at, ActorRef<LinkReply> replyTo) implements Command {}

    public sealed interface LinkReply extends CborSerializable {}

    public record Linked(String shopperId, String identity, List<String> links) implements LinkReply {}

    public enum RejectReason {
        INVALID,
        CONFLICT,
        UNAVAILABLE
    }

    public record LinkRejected(RejectReason reason, String detail) implements LinkReply {}

    /** Sent by a person to the entity of an identity it links; the identity hands its history over. */
    public record BecomeAlias(String ownerId, Instant at, ActorRef<AliasReply> replyTo) implements Command {}

    public sealed interface AliasReply extends CborSerializable {}

    public record AliasAccepted(History history) implements AliasReply {}

    public record AliasRefused(RejectReason reason, String detail) implements AliasReply {}

    private record LinkAnswered(String identity, AliasReply reply, Instant at, ActorRef<LinkReply> replyTo)
            implements Command {}

    // offers

    /** The person's offers; may decide and issue new ones (an explicit request: in-app candidates only). */
    public record GetOffers(Instant now, ActorRef<OffersReply> replyTo) implements Command {}

    public sealed interface OffersReply extends CborSerializable {}

    public record OffersFound(String shopperId, List<Offer> offers) implements OffersReply {}

    public record OffersUnknown(String shopperId) implements OffersReply {}

    public record ClaimCoupon(String couponId, Instant now, ActorRef<ClaimReply> replyTo) implements Command {}

    public sealed interface ClaimReply extends CborSerializable {}

    public record CouponClaimed(String shopperId, Offer offer) implements ClaimReply {}

    /** {@code reason}: not-found, not-claimable. */
    public record ClaimRejected(String reason, String detail) implements ClaimReply {}

    /** One line of a cart; {@code category} (optional) lets category-restricted coupons find it. */
    public record CartItem(String sku, int quantity, String category) implements CborSerializable {}

    /**
     * Prices the cart and evaluates coupons; {@code couponIds} null = every usable coupon of the wallet. Changes
     * nothing.
     */
    public record QuoteCheckout(
            List<CartItem> items,
            List<String> couponIds,
            BigDecimal shippingFee,
            Instant now,
            ActorRef<QuoteReply> replyTo)
            implements Command {}

    public sealed interface QuoteReply extends CborSerializable {}

    /** {@code unusable}: requested coupons the wallet cannot use (unknown, used, expired, revoked). */
    public record Quoted(String shopperId, Checkout.Quote quote, List<Checkout.NotApplicable> unusable)
            implements QuoteReply {}

    /** {@code reason}: unknown-shopper, no-price. */
    public record QuoteRejected(String reason, String detail) implements QuoteReply {}

    /**
     * Places an order redeeming exactly {@code couponIds}; idempotent by order id (the same id answers the first
     * result).
     */
    public record PlaceOrder(
            String orderId,
            List<CartItem> items,
            List<String> couponIds,
            BigDecimal shippingFee,
            Instant now,
            ActorRef<OrderReply> replyTo)
            implements Command {}

    /** Cancels an order placed here: its coupons' usage and budget are given back. Idempotent. */
    public record CancelOrder(String orderId, Instant now, ActorRef<OrderReply> replyTo) implements Command {}

    public sealed interface OrderReply extends CborSerializable {}

    /** {@code repeated}: the order id was already known here and this is its recorded result. */
    public record OrderAccepted(String shopperId, OrderRecord order, boolean repeated) implements OrderReply {}

    /**
     * {@code reason}: not-found (404), conflict (409: coupon used, expired, revoked), unprocessable (422), unavailable
     * (503).
     */
    public record OrderRejected(String reason, String detail) implements OrderReply {}

    /** Fires the decision triggers that are due (sent by the wake-up sweeper, and by the entity itself). */
    public record Wake(Instant now, ActorRef<Woken> replyTo) implements Command {}

    public record Woken(String shopperId, List<String> fired) implements CborSerializable {}

    /** Revokes an offer the campaign could not hold budget for again (after a cancelled order). Idempotent. */
    public record RevokeOffer(String offerId, String reason, Instant at, ActorRef<Done> replyTo) implements Command {}

    /**
     * Dispatch reports the final result of delivering an offer through {@code channel}: delivered, or failed for good
     * ({@code detail} says why). Only an offer still {@code issued} records it: a delivery is recorded once per offer
     * (later reports from a replayed projection or a retry change nothing), a failure again for each report while the
     * offer stays issued (read sides count offers, not reports); reports about unknown or no longer live offers change
     * nothing. Always answers {@link Done} once the result is durable (or there was nothing to record).
     *
     * @param messageCost what sending cost (the channel's configured cost), for the funnel's ROI
     */
    public record RecordDelivery(
            String offerId,
            String channel,
            boolean delivered,
            String detail,
            BigDecimal messageCost,
            Instant at,
            ActorRef<Done> replyTo)
            implements Command {}

    record DecisionScored(String decisionId, OfferScoring.Scored scored, String failure) implements Command {}

    record ReservationAnswered(String decisionId, CampaignEntity.ReserveReply reply, String failure)
            implements Command {}

    record CommitsAnswered(String orderId, List<CampaignEntity.SettleReply> replies, String failure)
            implements Command {}

    record ReturnsAnswered(String orderId, List<CampaignEntity.SettleReply> replies, String failure)
            implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record PolicyAdopted(RecordingPolicy policy) implements Event {}

    public record BehaviourRecorded(BehaviourEvent event, Instant receivedAt, String receivedAs) implements Event {}

    public record LifecycleChanged(
            LifecycleStage from, LifecycleStage to, String reason, Instant effectiveAt, Instant detectedAt)
            implements Event {}

    public record ProfileUpdated(Profile profile, Instant at) implements Event {}

    public record IdentityLinked(String identity, History history, Instant at) implements Event {}

    public record BecameAlias(String ownerId, History handedOver, Instant at) implements Event {}

    public record OfferIssued(Offer offer, DecisionRecord decision, Instant outcomeUntil) implements Event {}

    /** The person is in the campaign's holdout: recorded once, as the campaign's control. */
    public record HoldoutAssigned(String campaignId, DecisionRecord decision, Instant outcomeUntil) implements Event {}

    public record OfferClaimed(String offerId, String campaignId, String decisionId, Instant at) implements Event {}

    public record OfferRevoked(String offerId, String reason, Instant at) implements Event {}

    /** The offer reached the shopper through {@code channel} (reported by dispatch); the offer moves to delivered. */
    public record OfferDelivered(
            String offerId, String campaignId, String decisionId, String channel, BigDecimal messageCost, Instant at)
            implements Event {}

    /**
     * Dispatch gave up delivering the offer through {@code channel}; the offer stays issued (in-app wallets still show
     * it).
     */
    public record DeliveryFailed(
            String offerId, String campaignId, String decisionId, String channel, String reason, Instant at)
            implements Event {}

    /**
     * A message about the offer was opened or clicked ({@code how}: message_open, message_click), recorded with the
     * behaviour event that reported it; the offer moves to opened if it was issued or delivered. One per such event:
     * read sides count offers.
     */
    public record OfferOpened(
            String offerId, String campaignId, String decisionId, String channel, String how, Instant at)
            implements Event {}

    public record OrderPlaced(OrderRecord order) implements Event {}

    /**
     * The order's coupons given back: {@code reinstated} ones are usable again (the others had expired and stay used
     * up).
     */
    public record OrderCancelled(String orderId, Instant at, List<ReturnedCoupon> coupons) implements Event {
        public List<String> reinstated() {
            return coupons.stream()
                    .filter(ReturnedCoupon::reinstated)
                    .map(ReturnedCoupon::offerId)
                    .toList();
        }
    }

    public record ReturnedCoupon(String offerId, String campaignId, boolean reinstated) implements CborSerializable {}

    /** An order's net amount attributed to a decision still in its outcome window (0 once cancelled). */
    public record OutcomeRecorded(
            String decisionId, String campaignId, boolean holdout, String orderId, BigDecimal netAmount, Instant at)
            implements Event {}

    public record TriggerScheduled(Trigger trigger) implements Event {}

    public record TriggerFired(String kind, Instant at, String outcome) implements Event {}

    // ---- wiring ----

    public static void init(ActorSystem<?> system, OfferServices offers) {
        var settings = ShopperSettings.create(system);
        var sharding = ClusterSharding.get(system);
        Function<String, RecipientRef<Command>> refs = id -> sharding.entityRefFor(ENTITY_KEY, id);
        sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, refs, offers)));
    }

    public static Behavior<Command> create(
            String shopperId,
            ShopperSettings settings,
            Function<String, RecipientRef<Command>> shoppers,
            OfferServices offers) {
        return Behaviors.setup(ctx -> new ShopperEntity(shopperId, settings, shoppers, offers, ctx));
    }

    private final String shopperId;
    private final ShopperSettings settings;
    private final Function<String, RecipientRef<Command>> shoppers;
    private final ActorContext<Command> context;
    private final ShopperOffers offers;
    private final OfferServices services;
    // Links this person is waiting on; transient by design: a lost answer surfaces as a timeout and a retry is
    // idempotent.
    private final Set<String> pendingLinks = new HashSet<>();

    private ShopperEntity(
            String shopperId,
            ShopperSettings settings,
            Function<String, RecipientRef<Command>> shoppers,
            OfferServices services,
            ActorContext<Command> context) {
        super(
                PersistenceId.of(ENTITY_KEY.name(), shopperId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.shopperId = shopperId;
        this.settings = settings;
        this.shoppers = shoppers;
        this.context = context;
        this.services = services;
        this.offers = new ShopperOffers(shopperId, settings, services, context, this);
    }

    @Override
    public ShopperState emptyState() {
        return Person.empty();
    }

    /**
     * Only what a projection reads is tagged (each tag costs Cassandra an events-by-tag row and every projection a
     * read). Projections read every event except behaviour events that carry no demand signal: the pricing actors read
     * views, add-to-carts and order lines that name a SKU; the offers read side, funnel, decision log and dispatch read
     * offer, order, delivery and trigger events; nothing reads the rest (a search, an app open, a click), whose effect
     * is in the shopper's own state. Replays and audits read by persistence id and see every event.
     */
    @Override
    public Set<String> tagsFor(Event event) {
        if (event instanceof BehaviourRecorded r && !BehaviourEvent.isDemandSignal(r.event())) return Set.of();
        return Set.of(settings.tagFor(shopperId));
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    // ---- commands ----

    @Override
    public CommandHandlerWithReply<Command, Event, ShopperState> commandHandler() {
        var b = newCommandHandlerWithReplyBuilder();
        b.forStateType(Person.class)
                .onCommand(RecordEvents.class, idle(this::onRecord))
                .onCommand(GetShopper.class, idle(this::onGet))
                .onCommand(UpdateProfile.class, idle(this::onUpdateProfile))
                .onCommand(LinkIdentity.class, idle(this::onLink))
                .onCommand(LinkAnswered.class, this::onLinkAnswered)
                .onCommand(BecomeAlias.class, idle(this::onBecomeAlias))
                .onCommand(GetOffers.class, idle(offers::onGetOffers))
                .onCommand(ClaimCoupon.class, idle(offers::onClaim))
                .onCommand(QuoteCheckout.class, idle(offers::onQuote))
                .onCommand(PlaceOrder.class, idle(offers::onPlaceOrder))
                .onCommand(CancelOrder.class, idle(offers::onCancelOrder))
                .onCommand(Wake.class, idle(offers::onWake))
                .onCommand(RevokeOffer.class, idle(offers::onRevoke))
                .onCommand(RecordDelivery.class, idle(offers::onDelivery))
                .onCommand(DecisionScored.class, offers::onDecisionScored)
                .onCommand(ReservationAnswered.class, offers::onReservationAnswered)
                .onCommand(CommitsAnswered.class, offers::onCommitsAnswered)
                .onCommand(ReturnsAnswered.class, offers::onReturnsAnswered);
        b.forStateType(Alias.class)
                .onCommand(
                        RecordEvents.class,
                        (s, c) -> forward(
                                s,
                                new RecordEvents(
                                        c.events(),
                                        c.receivedAt(),
                                        c.receivedAs() != null ? c.receivedAs() : shopperId,
                                        c.replyTo())))
                .onCommand(GetShopper.class, this::forward)
                .onCommand(UpdateProfile.class, this::forward)
                .onCommand(LinkIdentity.class, this::forward)
                .onCommand(LinkAnswered.class, (s, c) -> Effect()
                        .reply(
                                c.replyTo(),
                                new LinkRejected(
                                        RejectReason.CONFLICT,
                                        shopperId + " was linked to " + s.ownerId() + " meanwhile")))
                .onCommand(BecomeAlias.class, this::onBecomeAliasAgain)
                .onCommand(GetOffers.class, this::forward)
                .onCommand(ClaimCoupon.class, this::forward)
                .onCommand(QuoteCheckout.class, this::forward)
                .onCommand(PlaceOrder.class, this::forward)
                .onCommand(CancelOrder.class, this::forward)
                .onCommand(RevokeOffer.class, this::forward)
                .onCommand(RecordDelivery.class, this::forward)
                // Wake-ups scheduled before the identity was linked: the person has its own.
                .onCommand(Wake.class, (s, c) -> Effect().reply(c.replyTo(), new Woken(shopperId, List.of())));
        return b.build();
    }

    /** While a decision or redemption waits on a model or a campaign, the person's other commands wait in the stash. */
    private <C extends Command> java.util.function.BiFunction<Person, C, ReplyEffect<Event, ShopperState>> idle(
            java.util.function.BiFunction<Person, C, ReplyEffect<Event, ShopperState>> handler) {
        return (s, c) -> offers.busy() ? Effect().stash() : handler.apply(s, c);
    }

    EffectFactories<Event, ShopperState> effects() {
        return Effect();
    }

    private ReplyEffect<Event, ShopperState> forward(Alias s, Command c) {
        shoppers.apply(s.ownerId()).tell(c);
        return Effect().noReply();
    }

    private ReplyEffect<Event, ShopperState> onRecord(Person s, RecordEvents c) {
        var before = s;
        var events = new ArrayList<Event>();
        int duplicates = 0;
        if (!settings.recording().equals(s.policy())) s = append(events, s, new PolicyAdopted(settings.recording()));
        for (var e : c.events()) {
            if (s.isDuplicate(e)) {
                duplicates++;
                continue;
            }
            s = append(events, s, new BehaviourRecorded(e, c.receivedAt(), c.receivedAs()));
            s = appendTransition(events, s, s.lastEventAt(), c.receivedAt());
        }
        s = appendTransition(events, s, later(c.receivedAt(), s.lastEventAt()), c.receivedAt());
        var reply = new Recorded(shopperId, c.events().size() - duplicates, duplicates);
        if (reply.accepted() == 0) return Effect().reply(c.replyTo(), reply);
        offers.afterRecording(events, before, s, c.receivedAt());
        return Effect()
                .persist(events)
                .thenRun(st -> offers.wakeIfDue(st, c.receivedAt()))
                .thenReply(c.replyTo(), st -> reply);
    }

    private ReplyEffect<Event, ShopperState> onGet(Person s, GetShopper c) {
        if (!s.isKnown()) return Effect().reply(c.replyTo(), new Unknown(shopperId));
        var events = new ArrayList<Event>();
        appendTransition(events, s, later(c.now(), s.lastEventAt()), c.now());
        return Effect()
                .persist(events)
                .thenRun(st -> offers.wakeIfDue(st, c.now()))
                .thenReply(c.replyTo(), st -> found((Person) st, c.now()));
    }

    private ReplyEffect<Event, ShopperState> onUpdateProfile(Person s, UpdateProfile c) {
        return Effect()
                .persist(new ProfileUpdated(c.profile(), c.at()))
                .thenReply(c.replyTo(), st -> found((Person) st, c.at()));
    }

    private ReplyEffect<Event, ShopperState> onLink(Person s, LinkIdentity c) {
        if (c.identity().equals(shopperId))
            return Effect()
                    .reply(c.replyTo(), new LinkRejected(RejectReason.INVALID, "a shopper cannot be linked to itself"));
        if (s.links().contains(c.identity())) return Effect().reply(c.replyTo(), linked(s, c.identity()));
        if (!pendingLinks.add(c.identity()))
            return Effect()
                    .reply(c.replyTo(), new LinkRejected(RejectReason.UNAVAILABLE, "this link is already in progress"));
        context.pipeToSelf(
                AskPattern.<Command, AliasReply>ask(
                        shoppers.apply(c.identity()),
                        r -> new BecomeAlias(shopperId, c.at(), r),
                        settings.linkTimeout(),
                        context.getSystem().scheduler()),
                (reply, failure) -> new LinkAnswered(
                        c.identity(),
                        reply != null
                                ? reply
                                : new AliasRefused(
                                        RejectReason.UNAVAILABLE, "identity did not answer: " + failure.getMessage()),
                        c.at(),
                        c.replyTo()));
        return Effect().noReply();
    }

    private ReplyEffect<Event, ShopperState> onLinkAnswered(Person s, LinkAnswered c) {
        pendingLinks.remove(c.identity());
        if (c.reply() instanceof AliasRefused r)
            return Effect().reply(c.replyTo(), new LinkRejected(r.reason(), r.detail()));
        var history = ((AliasAccepted) c.reply()).history();
        var events = new ArrayList<Event>();
        if (s.policy() == null) s = append(events, s, new PolicyAdopted(settings.recording()));
        s = append(events, s, new IdentityLinked(c.identity(), history, c.at()));
        appendTransition(events, s, later(c.at(), s.lastEventAt()), c.at());
        return Effect().persist(events).thenReply(c.replyTo(), st -> linked((Person) st, c.identity()));
    }

    private ReplyEffect<Event, ShopperState> onBecomeAlias(Person s, BecomeAlias c) {
        if (c.ownerId().equals(shopperId))
            return Effect()
                    .reply(c.replyTo(), new AliasRefused(RejectReason.INVALID, "a shopper cannot be linked to itself"));
        if (!pendingLinks.isEmpty()) {
            return Effect()
                    .reply(
                            c.replyTo(),
                            new AliasRefused(
                                    RejectReason.UNAVAILABLE, shopperId + " is linking identities of its own; retry"));
        }
        var history = s.history();
        return Effect()
                .persist(new BecameAlias(c.ownerId(), history, c.at()))
                .thenReply(c.replyTo(), st -> new AliasAccepted(history));
    }

    private ReplyEffect<Event, ShopperState> onBecomeAliasAgain(Alias s, BecomeAlias c) {
        if (c.ownerId().equals(s.ownerId())) return Effect().reply(c.replyTo(), new AliasAccepted(s.handedOver()));
        return Effect()
                .reply(
                        c.replyTo(),
                        new AliasRefused(RejectReason.CONFLICT, shopperId + " is already linked to another shopper"));
    }

    /**
     * Appends a lifecycle change if the rules place the person elsewhere at {@code at}, and a decision trigger when the
     * new stage is one that offers react to (a transition that took effect long ago, as in a history import, does not).
     */
    Person appendTransition(List<Event> events, Person s, Instant at, Instant detectedAt) {
        if (at == null) return s;
        var due = settings.lifecycle()
                .transition(
                        s.stage(),
                        s.lastEventAt(),
                        s.book(),
                        at,
                        services.lifecycle().get());
        if (due.isEmpty()) return s;
        var p = due.get();
        var changed =
                append(events, s, new LifecycleChanged(s.stage(), p.stage(), p.reason(), p.effectiveAt(), detectedAt));
        return offers.afterTransition(events, changed, p.effectiveAt(), detectedAt);
    }

    static Person append(List<Event> events, Person s, Event e) {
        events.add(e);
        return (Person) apply(s, e);
    }

    ShopperReply found(Person s, Instant now) {
        var summary = s.summarize(shopperId, now, settings.highValueMonetary());
        var lifecycle = services.lifecycle().get();
        return new Found(
                lifecycle.isEmpty()
                        ? summary
                        : summary.withPAlive(lifecycle.get().pAlive(s.book(), now)));
    }

    private Linked linked(Person s, String identity) {
        return new Linked(shopperId, identity, List.copyOf(new java.util.TreeSet<>(s.links())));
    }

    static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    // ---- events ----

    @Override
    public EventHandler<ShopperState, Event> eventHandler() {
        return ShopperEntity::apply;
    }

    /**
     * The one state transition function, used by the event handler, by command handlers to look ahead, and by audit
     * replay to rebuild a shopper as of any moment.
     */
    public static ShopperState apply(ShopperState state, Event event) {
        if (state instanceof Alias) return state; // an alias records nothing after it was linked
        var s = (Person) state;
        if (event instanceof BehaviourRecorded e) return s.record(e.event());
        if (event instanceof LifecycleChanged e) return s.changeStage(e.to(), e.effectiveAt());
        if (event instanceof PolicyAdopted e) return s.adopt(e.policy());
        if (event instanceof ProfileUpdated e) return s.withProfile(e.profile());
        if (event instanceof IdentityLinked e) return s.link(e.identity(), e.history());
        if (event instanceof BecameAlias e) return new Alias(e.ownerId(), e.handedOver(), e.at());
        var o = s.offers();
        if (event instanceof OfferIssued e)
            return s.withOffers(o.issued(e.offer(), e.decision().decisionId(), e.outcomeUntil()));
        if (event instanceof HoldoutAssigned e) {
            return s.withOffers(o.heldOut(
                    e.campaignId(), e.decision().decisionId(), e.decision().decidedAt(), e.outcomeUntil()));
        }
        if (event instanceof OfferClaimed e)
            return s.withOffers(o.mapOffer(e.offerId(), offer -> offer.claimed(e.at())));
        if (event instanceof OfferRevoked e)
            return s.withOffers(
                    o.mapOffer(e.offerId(), offer -> offer.withStatus(io.kairos.offer.OfferStatus.REVOKED)));
        if (event instanceof OfferDelivered e) {
            return s.withOffers(o.mapOffer(
                    e.offerId(),
                    offer -> offer.status() == io.kairos.offer.OfferStatus.ISSUED
                            ? offer.withStatus(io.kairos.offer.OfferStatus.DELIVERED)
                            : offer));
        }
        if (event instanceof OfferOpened e) {
            return s.withOffers(o.mapOffer(
                    e.offerId(),
                    offer -> offer.status() == io.kairos.offer.OfferStatus.ISSUED
                                    || offer.status() == io.kairos.offer.OfferStatus.DELIVERED
                            ? offer.withStatus(io.kairos.offer.OfferStatus.OPENED)
                            : offer));
        }
        if (event instanceof DeliveryFailed) return s; // read by projections (the funnel); the offer stays issued
        if (event instanceof OrderPlaced e)
            return s.placeOrder(e.order(), e.order().net());
        if (event instanceof OrderCancelled e) return s.cancelOrder(e.orderId(), e.at(), e.reinstated());
        if (event instanceof OutcomeRecorded) return s; // read by projections and the decision log; changes no state
        if (event instanceof TriggerScheduled e) return s.withOffers(o.scheduled(e.trigger()));
        if (event instanceof TriggerFired e) return s.withOffers(o.fired(e.kind()));
        throw new IllegalStateException("unhandled event " + event.getClass().getName());
    }
}

package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.TypedActorContext;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.entity.CommandTable;
import io.kairos.entity.EntitySettings;
import io.kairos.entity.KairosEntity;
import io.kairos.metrics.KairosMetrics;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.PersonSeal;
import io.kairos.privacy.PersonSecret;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.BehaviourRecorded;
import io.kairos.shopper.ShopperState.Alias;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One shopper, event-sourced and sharded by shopper id. A {@link Person} records behaviour events (each event id at
 * most once, within the bounded window of {@link RecentEventIds}), keeps decayed scores, RFM and lifecycle stage, and
 * links identities; an {@link Alias} is an identity linked to a person and forwards every command to that person.
 *
 * <p>The entity is the wiring: per-state command handlers, alias forwarding and the stash guard. What a batch of events
 * means is decided by {@link ShopperRules} (pure); offer decisions by {@link OfferDecisions}; the wallet, checkout and
 * orders by {@link Redemptions}; identity links by {@link IdentityLinks}; the views and the profile by
 * {@link ShopperViews}; erasure by {@link Erasures}; the event handler is {@link ShopperState#apply}. What every
 * shopper of a node shares is one {@link ShopperType}. Decisions, redemptions and cancellations that wait on a model or
 * a campaign keep every other command of this person stashed until they are recorded ({@link InFlight}).
 *
 * <p>On a node, a shopper's journal is named by its person's pseudonym and its events and snapshots are sealed under
 * the person's key ({@link ShopperStart}, {@link PersonSeal}): erasing the person deletes the key.
 *
 * <p>Invariants: every decision is recorded with what produced it and replay never re-runs a model; a person never
 * becomes an alias while one of its own links is pending (which rules out alias cycles); an identity is an alias of at
 * most one person.
 */
public final class ShopperEntity extends KairosEntity<ShopperCommand, ShopperEvent, ShopperState>
        implements CommandHandlerWithReply<ShopperCommand, ShopperEvent, ShopperState>, SnapshotAdapter<ShopperState> {

    public static final EntityTypeKey<ShopperCommand> ENTITY_KEY = ShopperCommand.ENTITY_KEY;

    /** The node's shoppers: journals named by pseudonym and sealed under each person's key. */
    public static void init(ActorSystem<?> system, OfferServices offers) {
        var sharding = ClusterSharding.get(system);
        var shoppers = factory(
                ShopperSettings.create(system),
                EntitySettings.create(system, "shopper"),
                id -> sharding.entityRefFor(ENTITY_KEY, id),
                offers,
                PersonKeys.get(system));
        sharding.init(entity(shoppers));
    }

    /**
     * The sharded entity of the shoppers {@code shoppers} builds, passivated with {@link Passivate} (handled by the
     * shopper) rather than Akka's poison pill, which wraps each entity in an interceptor of its own.
     */
    public static Entity<ShopperCommand, ShardingEnvelope<ShopperCommand>> entity(
            Function<String, Behavior<ShopperCommand>> shoppers) {
        return Entity.of(ENTITY_KEY, ctx -> shoppers.apply(ctx.getEntityId())).withStopMessage(new Passivate());
    }

    /**
     * The behaviour of any shopper of a node, by shopper id: what every shopper shares (settings, rules, services) is
     * built here once, and each entity holds only what is its own.
     */
    public static Function<String, Behavior<ShopperCommand>> factory(
            ShopperSettings settings,
            EntitySettings entity,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            OfferServices offers) {
        return factory(settings, entity, shoppers, offers, null);
    }

    /**
     * As {@link #factory(ShopperSettings, EntitySettings, Function, OfferServices)}; with {@code keys}, each shopper
     * first finds its person's pseudonym and key ({@link ShopperStart}), else its journal is named by its id, plain.
     */
    public static Function<String, Behavior<ShopperCommand>> factory(
            ShopperSettings settings,
            EntitySettings entity,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            OfferServices offers,
            PersonKeys keys) {
        var type = new ShopperType(settings, entity, shoppers, offers, keys);
        if (keys == null) return shopperId -> plain(shopperId, type);
        return shopperId -> new ShopperStart(shopperId, type);
    }

    /** A shopper whose journal is named by its id and holds plain events (from before pseudonyms, or tests). */
    static ShopperEntity plain(String shopperId, ShopperType type) {
        return new ShopperEntity(shopperId, PersistenceId.of(ENTITY_KEY.name(), shopperId), type, null, false);
    }

    /** A shopper whose journal is named by its person's pseudonym, sealed under its key; maybe just created. */
    static ShopperEntity sealed(
            String shopperId, ShopperType type, PersonKeys.Pseudonymous person, boolean createdEmpty) {
        var journal = PersistenceId.of(ENTITY_KEY.name(), person.pseudonym());
        return new ShopperEntity(shopperId, journal, type, person.secret(), createdEmpty);
    }

    /** One shopper on its own (tests); a node builds its shoppers with one {@link #factory}. */
    public static Behavior<ShopperCommand> create(
            String shopperId,
            ShopperSettings settings,
            EntitySettings entity,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            OfferServices offers) {
        return factory(settings, entity, shoppers, offers).apply(shopperId);
    }

    // Per shopper: the person's context alone (its id, its slot of what it waits for, its actor). The rest is the
    // type's, shared by every shopper.
    private final PersonContext person;
    // Null for a plain journal. Holds the journal's name (the persistence id's own string) and the key as two longs.
    private final PersonSeal<ShopperEvent, ShopperState> seal;
    private final boolean createdEmpty; // its pseudonym was just created (PersonKeys.Created): nothing under it yet

    private ShopperEntity(
            String shopperId, PersistenceId journal, ShopperType type, PersonSecret secret, boolean createdEmpty) {
        super(journal, type.entity());
        this.person = new PersonContext(shopperId, type);
        this.seal = secret == null ? null : new PersonSeal<>(type.keys().seals(), journal.id(), shopperId, secret);
        this.createdEmpty = createdEmpty;
    }

    /** Created empty: no snapshot asked (a read less per new shopper); events, if any, are replayed as ever. */
    @Override
    public Recovery recovery() {
        return createdEmpty
                ? Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none())
                : super.recovery();
    }

    @Override
    public EventAdapter<ShopperEvent, ?> eventAdapter() {
        return seal == null ? super.eventAdapter() : seal;
    }

    /** Sealed: the entity itself (no adapter object per shopper; see {@link PersonSeal#sealSnapshot}). */
    @Override
    public SnapshotAdapter<ShopperState> snapshotAdapter() {
        return seal == null ? super.snapshotAdapter() : this;
    }

    @Override
    public Object toJournal(ShopperState state) {
        return seal.sealSnapshot(state);
    }

    @Override
    public ShopperState fromJournal(Object stored) {
        return seal.openSnapshot(stored);
    }

    @Override
    public ShopperState emptyState() {
        return Person.empty();
    }

    @Override
    protected EntitySettings entitySettings() {
        return type().entity();
    }

    /**
     * Starts the shopper's actor, giving its person the actor's context. Instead of {@code Behaviors.setup}: the
     * actor's props keep the behaviour it was started with for its whole life, and a setup's closure and deferred
     * behaviour held about 90 bytes per shopper beside this entity (issue 21). Akka marks this method internal API;
     * {@code ShopperOffersTest} and {@code ShopperPassivationTest} run through it, so an Akka upgrade that changes it
     * fails them. An entity is one actor's behaviour: {@link #factory} builds one per shopper.
     */
    @Override
    public Behavior<ShopperCommand> apply(TypedActorContext<ShopperCommand> context) {
        person.bind(context.asJava());
        return super.apply(context);
    }

    private String shopperId() {
        return person.shopperId();
    }

    private ShopperType type() {
        return person.type();
    }

    /**
     * Only what a projection reads is tagged (each tag costs Cassandra an events-by-tag row and every projection a
     * read). Projections read every event except behaviour events that carry no demand signal: the pricing actors read
     * views, add-to-carts and order lines that name a SKU; the offers read side, funnel, decision log and dispatch read
     * offer, order, delivery and trigger events, and the decision log also {@code order} events (the outcome of a
     * decision that issued nothing, {@link Placed}); nothing reads the rest (a search, an app open, a click), whose
     * effect is in the shopper's own state. Replays and audits read by persistence id and see every event.
     */
    @Override
    public Set<String> tagsFor(ShopperEvent event) {
        if (event instanceof BehaviourRecorded r && !BehaviourEvent.isDemandSignal(r.event()) && !Placed.isOrder(event))
            return Set.of();
        return Set.of(type().settings().tagFor(shopperId()));
    }

    @Override
    public EventHandler<ShopperState, ShopperEvent> eventHandler() {
        return ShopperState::apply;
    }

    private OfferDecisions decisions() {
        return new OfferDecisions(person);
    }

    private Redemptions redemptions() {
        return new Redemptions(person);
    }

    private IdentityLinks links() {
        return new IdentityLinks(person);
    }

    // ---- commands ----

    /** Every shopper's handlers, built once: each takes the entity, so a shopper holds one lambda, not 49 cases. */
    private static final CommandTable<ShopperEntity, ShopperCommand, ShopperEvent, ShopperState> COMMANDS =
            CommandTable.<ShopperEntity, ShopperCommand, ShopperEvent, ShopperState>builder()
                    .on(Person.class, RecordEvents.class, idle((e, s, c) -> e.onRecord(s, c, null)))
                    .on(
                            Person.class,
                            ForwardedEvents.class,
                            idle((e, s, c) -> e.onRecord(s, c.events(), c.receivedAs())))
                    .on(Person.class, Passivate.class, (e, s, c) -> e.onPassivate(c))
                    .on(Person.class, WhoAreYou.class, (e, s, c) -> e.Effect()
                            .reply(
                                    c.replyTo(),
                                    new PersonNamed(e.persistenceId().entityId())))
                    .on(Person.class, GetShopper.class, idle((e, s, c) -> new ShopperViews(e.person).onGet(s, c)))
                    .on(Person.class, UpdateProfile.class, idle((e, s, c) -> new ShopperViews(e.person)
                            .onUpdateProfile(s, c)))
                    .on(Person.class, LinkIdentity.class, idle((e, s, c) -> e.links()
                            .onLink(s, c)))
                    .on(Person.class, LinkAnswered.class, (e, s, c) -> e.links().onLinkAnswered(s, c))
                    .on(Person.class, UnlinkIdentity.class, idle((e, s, c) -> e.links()
                            .onUnlink(s, c)))
                    .on(Person.class, UnlinkAnswered.class, (e, s, c) -> e.links()
                            .onUnlinkAnswered(s, c))
                    .on(Person.class, ReleaseAlias.class, (e, s, c) -> e.Effect()
                            .reply(c.replyTo(), new AliasAccepted(null)))
                    .on(Person.class, BecomeAlias.class, idle((e, s, c) -> e.links()
                            .onBecomeAlias(s, c)))
                    .on(Person.class, GetOffers.class, idle((e, s, c) -> e.decisions()
                            .onGetOffers(s, c)))
                    .on(Person.class, GetStream.class, idle((e, s, c) -> new ShopperViews(e.person).onGetStream(s, c)))
                    .on(Person.class, DecideOffers.class, idle((e, s, c) -> e.decisions()
                            .onDecide(s, c)))
                    .on(Person.class, Wake.class, idle((e, s, c) -> e.decisions()
                            .onWake(s, c)))
                    .on(Person.class, DecisionScored.class, (e, s, c) -> e.decisions()
                            .onDecisionScored(s, c))
                    .on(Person.class, ReservationAnswered.class, (e, s, c) -> e.decisions()
                            .onReservationAnswered(s, c))
                    .on(Person.class, ClaimCoupon.class, idle((e, s, c) -> e.redemptions()
                            .onClaim(s, c)))
                    .on(Person.class, QuoteCheckout.class, idle((e, s, c) -> e.redemptions()
                            .onQuote(s, c)))
                    .on(Person.class, GetPrices.class, idle((e, s, c) -> e.redemptions()
                            .onGetPrices(s, c)))
                    .on(Person.class, PlaceOrder.class, idle((e, s, c) -> e.redemptions()
                            .onPlaceOrder(s, c)))
                    .on(Person.class, CancelOrder.class, idle((e, s, c) -> e.redemptions()
                            .onCancelOrder(s, c)))
                    .on(Person.class, RefundOrder.class, idle((e, s, c) -> e.redemptions()
                            .onRefundOrder(s, c)))
                    .on(Person.class, GetOrder.class, (e, s, c) -> e.redemptions()
                            .onGetOrder(s, c))
                    .on(Person.class, RevokeOffer.class, idle((e, s, c) -> e.redemptions()
                            .onRevoke(s, c)))
                    .on(Person.class, RecordDelivery.class, idle((e, s, c) -> e.redemptions()
                            .onDelivery(s, c)))
                    .on(Person.class, CommitsAnswered.class, (e, s, c) -> e.redemptions()
                            .onCommitsAnswered(s, c))
                    .on(Person.class, ReturnsAnswered.class, (e, s, c) -> e.redemptions()
                            .onReturnsAnswered(s, c))
                    .on(Person.class, EraseShopper.class, idle((e, s, c) -> new Erasures(e.person)
                            .onErase(s, c, e.persistenceId().entityId())))
                    .on(Person.class, ErasureAnswered.class, (e, s, c) -> new Erasures(e.person).onAnswered(c))
                    .on(
                            Alias.class,
                            RecordEvents.class,
                            (e, s, c) -> e.forward(s, new ForwardedEvents(c, e.shopperId())))
                    .on(Alias.class, LinkAnswered.class, (e, s, c) -> e.Effect()
                            .reply(
                                    c.replyTo(),
                                    new LinkRejected(
                                            LinkRejection.LINKED_ELSEWHERE,
                                            e.shopperId() + " was linked to " + s.ownerId() + " meanwhile")))
                    .on(Alias.class, Passivate.class, (e, s, c) -> e.Effect()
                            .stop()
                            .thenNoReply())
                    .on(Alias.class, BecomeAlias.class, (e, s, c) -> e.links().onBecomeAliasAgain(s, c))
                    .on(Alias.class, ReleaseAlias.class, (e, s, c) -> e.links().onRelease(s, c))
                    // Wake-ups scheduled before the identity was linked: the person has its own.
                    .on(Alias.class, Wake.class, (e, s, c) -> e.Effect()
                            .reply(c.replyTo(), new Woken(e.shopperId(), List.of())))
                    // What an alias is asked goes to its person; the answers of a person's own asks are not for it.
                    .on(Alias.class, ForwardedEvents.class, ShopperEntity::forward)
                    .on(Alias.class, GetShopper.class, ShopperEntity::forward)
                    .on(Alias.class, WhoAreYou.class, ShopperEntity::forward)
                    .on(Alias.class, UpdateProfile.class, ShopperEntity::forward)
                    .on(Alias.class, LinkIdentity.class, ShopperEntity::forward)
                    .on(Alias.class, UnlinkIdentity.class, ShopperEntity::forward)
                    .on(Alias.class, GetOffers.class, ShopperEntity::forward)
                    .on(Alias.class, GetStream.class, ShopperEntity::forward)
                    .on(Alias.class, DecideOffers.class, ShopperEntity::forward)
                    .on(Alias.class, ClaimCoupon.class, ShopperEntity::forward)
                    .on(Alias.class, QuoteCheckout.class, ShopperEntity::forward)
                    .on(Alias.class, GetPrices.class, ShopperEntity::forward)
                    .on(Alias.class, PlaceOrder.class, ShopperEntity::forward)
                    .on(Alias.class, CancelOrder.class, ShopperEntity::forward)
                    .on(Alias.class, RefundOrder.class, ShopperEntity::forward)
                    .on(Alias.class, GetOrder.class, ShopperEntity::forward)
                    .on(Alias.class, RevokeOffer.class, ShopperEntity::forward)
                    .on(Alias.class, RecordDelivery.class, ShopperEntity::forward)
                    .on(Alias.class, EraseShopper.class, ShopperEntity::forward)
                    .build();

    @Override
    public CommandHandlerWithReply<ShopperCommand, ShopperEvent, ShopperState> commandHandler() {
        return this; // the entity is its own handler: no closure per shopper
    }

    /** Handles a command through the type's shared table. */
    @Override
    public ReplyEffect<ShopperEvent, ShopperState> apply(ShopperState s, ShopperCommand c) {
        return COMMANDS.apply(this, s, c, Effect());
    }

    /** While a decision or redemption waits on a model or a campaign, the person's other commands wait in the stash. */
    private static <C extends ShopperCommand>
            CommandTable.Handler<ShopperEntity, Person, C, ShopperEvent, ShopperState> idle(
                    CommandTable.Handler<ShopperEntity, Person, C, ShopperEvent, ShopperState> handler) {
        return (e, s, c) -> e.person.inFlight().busy() ? e.Effect().stash() : handler.handle(e, s, c);
    }

    /** How long a stop waits before it is tried again while the person waits for something. */
    private static final java.time.Duration PASSIVATE_AGAIN = java.time.Duration.ofMillis(200);

    /**
     * The shard's stop: at once if nothing waits; else tried again shortly, so the person stops only after what it
     * waits for (a decision, a redemption, an identity link) and the commands stashed behind it. Not stashed itself: a
     * stop dropped by a full stash would leave the shard holding this shopper's commands for good.
     */
    private ReplyEffect<ShopperEvent, ShopperState> onPassivate(Passivate c) {
        var slot = person.inFlight();
        if (!slot.busy() && !slot.linking()) {
            person.wallets().stopped(shopperId());
            return Effect().stop().thenNoReply();
        }
        person.actor().scheduleOnce(PASSIVATE_AGAIN, person.actor().getSelf(), c);
        return Effect().noReply();
    }

    private ReplyEffect<ShopperEvent, ShopperState> forward(Alias s, ShopperCommand c) {
        type().shoppers().apply(s.ownerId()).tell(c);
        return Effect().noReply();
    }

    private ReplyEffect<ShopperEvent, ShopperState> onRecord(Person s, RecordEvents c, String receivedAs) {
        if (c.expiredAt(Instant.now())) {
            // The API answered 503 already; the client re-sends, and these events are recorded then.
            KairosMetrics.EVENTS_EXPIRED.inc();
            return Effect().noReply();
        }
        var batch = type().rules()
                .record(
                        s,
                        c.events(),
                        c.receivedAt(),
                        receivedAs,
                        type().services().lifecycle().get());
        var reply = new Recorded(shopperId(), batch.accepted(), batch.duplicates());
        if (batch.events().isEmpty()) return Effect().reply(c.replyTo(), reply);
        return person.persist(batch.events())
                .thenRun(st -> person.wakeIfDue(st, c.receivedAt()))
                .thenReply(c.replyTo(), st -> reply);
    }
}

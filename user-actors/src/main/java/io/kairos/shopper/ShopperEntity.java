package io.kairos.shopper;

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
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperState.Alias;
import io.kairos.shopper.ShopperState.History;
import io.kairos.shopper.ShopperState.Person;
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
 * <p>Invariants: every lifecycle change is a {@link LifecycleChanged} event decided in a command handler, so replay
 * reproduces the stages without the rules; a person never becomes an alias while one of its own links is pending
 * (which rules out alias cycles); an identity is an alias of at most one person.
 */
public final class ShopperEntity extends EventSourcedBehaviorWithEnforcedReplies<ShopperEntity.Command, ShopperEntity.Event, ShopperState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Shopper");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Records events; {@code receivedAs} is the alias they were sent under, set when an alias forwards them. */
  public record RecordEvents(List<BehaviourEvent> events, Instant receivedAt, String receivedAs, ActorRef<Recorded> replyTo)
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

  public enum RejectReason { INVALID, CONFLICT, UNAVAILABLE }

  public record LinkRejected(RejectReason reason, String detail) implements LinkReply {}

  /** Sent by a person to the entity of an identity it links; the identity hands its history over. */
  public record BecomeAlias(String ownerId, Instant at, ActorRef<AliasReply> replyTo) implements Command {}

  public sealed interface AliasReply extends CborSerializable {}

  public record AliasAccepted(History history) implements AliasReply {}

  public record AliasRefused(RejectReason reason, String detail) implements AliasReply {}

  private record LinkAnswered(String identity, AliasReply reply, Instant at, ActorRef<LinkReply> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record PolicyAdopted(RecordingPolicy policy) implements Event {}

  public record BehaviourRecorded(BehaviourEvent event, Instant receivedAt, String receivedAs) implements Event {}

  public record LifecycleChanged(LifecycleStage from, LifecycleStage to, String reason, Instant effectiveAt, Instant detectedAt)
      implements Event {}

  public record ProfileUpdated(Profile profile, Instant at) implements Event {}

  public record IdentityLinked(String identity, History history, Instant at) implements Event {}

  public record BecameAlias(String ownerId, History handedOver, Instant at) implements Event {}

  // ---- wiring ----

  public static void init(ActorSystem<?> system) {
    var settings = ShopperSettings.create(system);
    var sharding = ClusterSharding.get(system);
    Function<String, RecipientRef<Command>> refs = id -> sharding.entityRefFor(ENTITY_KEY, id);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, refs)));
  }

  public static Behavior<Command> create(String shopperId, ShopperSettings settings, Function<String, RecipientRef<Command>> shoppers) {
    return Behaviors.setup(ctx -> new ShopperEntity(shopperId, settings, shoppers, ctx));
  }

  private final String shopperId;
  private final ShopperSettings settings;
  private final Function<String, RecipientRef<Command>> shoppers;
  private final ActorContext<Command> context;
  // Links this person is waiting on; transient by design: a lost answer surfaces as a timeout and a retry is idempotent.
  private final Set<String> pendingLinks = new HashSet<>();

  private ShopperEntity(String shopperId, ShopperSettings settings, Function<String, RecipientRef<Command>> shoppers,
      ActorContext<Command> context) {
    super(PersistenceId.of(ENTITY_KEY.name(), shopperId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.shopperId = shopperId;
    this.settings = settings;
    this.shoppers = shoppers;
    this.context = context;
  }

  @Override
  public ShopperState emptyState() {
    return Person.empty();
  }

  @Override
  public Set<String> tagsFor(Event event) {
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
        .onCommand(RecordEvents.class, this::onRecord)
        .onCommand(GetShopper.class, this::onGet)
        .onCommand(UpdateProfile.class, this::onUpdateProfile)
        .onCommand(LinkIdentity.class, this::onLink)
        .onCommand(LinkAnswered.class, this::onLinkAnswered)
        .onCommand(BecomeAlias.class, this::onBecomeAlias);
    b.forStateType(Alias.class)
        .onCommand(RecordEvents.class, (s, c) -> forward(s, new RecordEvents(c.events(), c.receivedAt(),
            c.receivedAs() != null ? c.receivedAs() : shopperId, c.replyTo())))
        .onCommand(GetShopper.class, this::forward)
        .onCommand(UpdateProfile.class, this::forward)
        .onCommand(LinkIdentity.class, this::forward)
        .onCommand(LinkAnswered.class, (s, c) -> Effect().reply(c.replyTo(), new LinkRejected(RejectReason.CONFLICT,
            shopperId + " was linked to " + s.ownerId() + " meanwhile")))
        .onCommand(BecomeAlias.class, this::onBecomeAliasAgain);
    return b.build();
  }

  private ReplyEffect<Event, ShopperState> forward(Alias s, Command c) {
    shoppers.apply(s.ownerId()).tell(c);
    return Effect().noReply();
  }

  private ReplyEffect<Event, ShopperState> onRecord(Person s, RecordEvents c) {
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
    return Effect().persist(events).thenReply(c.replyTo(), st -> reply);
  }

  private ReplyEffect<Event, ShopperState> onGet(Person s, GetShopper c) {
    if (!s.isKnown()) return Effect().reply(c.replyTo(), new Unknown(shopperId));
    var events = new ArrayList<Event>();
    appendTransition(events, s, later(c.now(), s.lastEventAt()), c.now());
    return Effect().persist(events).thenReply(c.replyTo(), st -> found((Person) st, c.now()));
  }

  private ReplyEffect<Event, ShopperState> onUpdateProfile(Person s, UpdateProfile c) {
    return Effect().persist(new ProfileUpdated(c.profile(), c.at())).thenReply(c.replyTo(), st -> found((Person) st, c.at()));
  }

  private ReplyEffect<Event, ShopperState> onLink(Person s, LinkIdentity c) {
    if (c.identity().equals(shopperId)) return Effect().reply(c.replyTo(), new LinkRejected(RejectReason.INVALID, "a shopper cannot be linked to itself"));
    if (s.links().contains(c.identity())) return Effect().reply(c.replyTo(), linked(s, c.identity()));
    if (!pendingLinks.add(c.identity())) return Effect().reply(c.replyTo(), new LinkRejected(RejectReason.UNAVAILABLE, "this link is already in progress"));
    context.pipeToSelf(
        AskPattern.<Command, AliasReply>ask(shoppers.apply(c.identity()), r -> new BecomeAlias(shopperId, c.at(), r),
            settings.linkTimeout(), context.getSystem().scheduler()),
        (reply, failure) -> new LinkAnswered(c.identity(),
            reply != null ? reply : new AliasRefused(RejectReason.UNAVAILABLE, "identity did not answer: " + failure.getMessage()),
            c.at(), c.replyTo()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, ShopperState> onLinkAnswered(Person s, LinkAnswered c) {
    pendingLinks.remove(c.identity());
    if (c.reply() instanceof AliasRefused r) return Effect().reply(c.replyTo(), new LinkRejected(r.reason(), r.detail()));
    var history = ((AliasAccepted) c.reply()).history();
    var events = new ArrayList<Event>();
    if (s.policy() == null) s = append(events, s, new PolicyAdopted(settings.recording()));
    s = append(events, s, new IdentityLinked(c.identity(), history, c.at()));
    appendTransition(events, s, later(c.at(), s.lastEventAt()), c.at());
    return Effect().persist(events).thenReply(c.replyTo(), st -> linked((Person) st, c.identity()));
  }

  private ReplyEffect<Event, ShopperState> onBecomeAlias(Person s, BecomeAlias c) {
    if (c.ownerId().equals(shopperId)) return Effect().reply(c.replyTo(), new AliasRefused(RejectReason.INVALID, "a shopper cannot be linked to itself"));
    if (!pendingLinks.isEmpty()) {
      return Effect().reply(c.replyTo(), new AliasRefused(RejectReason.UNAVAILABLE, shopperId + " is linking identities of its own; retry"));
    }
    var history = s.history();
    return Effect().persist(new BecameAlias(c.ownerId(), history, c.at())).thenReply(c.replyTo(), st -> new AliasAccepted(history));
  }

  private ReplyEffect<Event, ShopperState> onBecomeAliasAgain(Alias s, BecomeAlias c) {
    if (c.ownerId().equals(s.ownerId())) return Effect().reply(c.replyTo(), new AliasAccepted(s.handedOver()));
    return Effect().reply(c.replyTo(), new AliasRefused(RejectReason.CONFLICT, shopperId + " is already linked to another shopper"));
  }

  /** Appends a lifecycle change if the rules place the person elsewhere at {@code at}. */
  private Person appendTransition(List<Event> events, Person s, Instant at, Instant detectedAt) {
    if (at == null) return s;
    var due = settings.lifecycle().transition(s.stage(), s.lastEventAt(), s.book(), at);
    if (due.isEmpty()) return s;
    var p = due.get();
    return append(events, s, new LifecycleChanged(s.stage(), p.stage(), p.reason(), p.effectiveAt(), detectedAt));
  }

  private static Person append(List<Event> events, Person s, Event e) {
    events.add(e);
    return (Person) apply(s, e);
  }

  private ShopperReply found(Person s, Instant now) {
    return new Found(s.summarize(shopperId, now, settings.highValueMonetary()));
  }

  private Linked linked(Person s, String identity) {
    return new Linked(shopperId, identity, List.copyOf(new java.util.TreeSet<>(s.links())));
  }

  private static Instant later(Instant a, Instant b) {
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
    throw new IllegalStateException("unhandled event " + event.getClass().getName());
  }
}

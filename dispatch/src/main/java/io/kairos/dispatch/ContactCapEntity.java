package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The global contact cap of one person (keyed by the person's id, which linked identities share): at most {@code max}
 * messages in any {@code window}, across every channel. The one writer of a person's contacts, so two deliveries racing
 * for the last slot cannot both get it.
 *
 * <p>Invariants: an offer holds at most one slot (asking again for the same offer answers as before); the slots held
 * within any window never exceed {@code max}; a released slot (the delivery failed for good) is free again.
 */
public final class ContactCapEntity
        extends EventSourcedBehaviorWithEnforcedReplies<
                ContactCapEntity.Command, ContactCapEntity.Event, ContactCapEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ContactCap");

    public sealed interface Command extends CborSerializable {}

    /** Asks for a slot for {@code offerId} at {@code at}; answers whether the message may go out. */
    public record Reserve(String offerId, Instant at, ActorRef<Boolean> replyTo) implements Command {}

    /** Gives the slot of an offer whose delivery failed for good back. */
    public record Release(String offerId, ActorRef<Done> replyTo) implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record ContactReserved(String offerId, Instant at) implements Event {}

    public record ContactReleased(String offerId) implements Event {}

    public record Contact(String offerId, Instant at) implements CborSerializable {}

    /** The person's contacts, oldest first; only those that can still count (within the window) are kept. */
    public record State(List<Contact> contacts) implements CborSerializable {
        public State {
            contacts = List.copyOf(contacts);
        }

        boolean holds(String offerId) {
            return contacts.stream().anyMatch(c -> c.offerId().equals(offerId));
        }

        long since(Instant from) {
            return contacts.stream().filter(c -> c.at().isAfter(from)).count();
        }

        State reserved(String offerId, Instant at, Duration window) {
            var kept = new ArrayList<Contact>();
            for (var c : contacts) if (c.at().isAfter(at.minus(window))) kept.add(c);
            kept.add(new Contact(offerId, at));
            return new State(kept);
        }

        State released(String offerId) {
            return new State(
                    contacts.stream().filter(c -> !c.offerId().equals(offerId)).toList());
        }
    }

    public static void init(ActorSystem<?> system, DispatchSettings settings) {
        ClusterSharding.get(system)
                .init(Entity.of(
                        ENTITY_KEY,
                        ctx -> create(ctx.getEntityId(), settings.contactCapMax(), settings.contactCapWindow())));
    }

    public static Behavior<Command> create(String personId, int max, Duration window) {
        return new ContactCapEntity(personId, max, window);
    }

    private final int max;
    private final Duration window;

    private ContactCapEntity(String personId, int max, Duration window) {
        super(
                PersistenceId.of(ENTITY_KEY.name(), personId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.max = max;
        this.window = window;
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Reserve.class, this::onReserve)
                .onCommand(Release.class, this::onRelease)
                .build();
    }

    private ReplyEffect<Event, State> onReserve(State s, Reserve c) {
        if (s.holds(c.offerId())) return Effect().reply(c.replyTo(), true);
        if (max > 0 && s.since(c.at().minus(window)) >= max) return Effect().reply(c.replyTo(), false);
        return Effect().persist(new ContactReserved(c.offerId(), c.at())).thenReply(c.replyTo(), st -> true);
    }

    private ReplyEffect<Event, State> onRelease(State s, Release c) {
        if (!s.holds(c.offerId())) return Effect().reply(c.replyTo(), Done.getInstance());
        return Effect().persist(new ContactReleased(c.offerId())).thenReply(c.replyTo(), st -> Done.getInstance());
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ContactReserved.class, (s, e) -> s.reserved(e.offerId(), e.at(), window))
                .onEvent(ContactReleased.class, (s, e) -> s.released(e.offerId()))
                .build();
    }
}

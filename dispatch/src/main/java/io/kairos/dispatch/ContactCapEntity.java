package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.entity.EntitySettings;
import io.kairos.entity.KairosEntity;
import io.kairos.serialization.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The global contact cap of one person (keyed by the person's pseudonym, which linked identities share; by its shopper
 * id for a person whose journal was written before pseudonyms, {@link DeliveryState#capKey}): at most {@code max}
 * messages in any {@code window}, across every channel. The one writer of a person's contacts, so two deliveries racing
 * for the last slot cannot both get it.
 *
 * <p>Invariants: an offer holds at most one slot (asking again for the same offer answers as before); the slots held
 * within any window never exceed {@code max}; a released slot (the delivery failed for good) is free again.
 */
public final class ContactCapEntity
        extends KairosEntity<ContactCapEntity.Command, ContactCapEntity.Event, ContactCapEntity.State> {

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

    /**
     * The person's contacts, oldest first. Contacts older than {@value #KEPT_DAYS} days are dropped (a fixed bound, so
     * replay drops exactly what the original run did whatever the configured window; no window may exceed it).
     */
    public record State(List<Contact> contacts) implements CborSerializable {
        public State {
            contacts = List.copyOf(contacts);
        }

        /** The state after {@code event}: the cap's one transition function. */
        State apply(Event event) {
            if (event instanceof ContactReserved e) return reserved(e.offerId(), e.at());
            if (event instanceof ContactReleased e) return released(e.offerId());
            throw new IllegalStateException(
                    "unhandled event " + event.getClass().getName());
        }

        boolean holds(String offerId) {
            return contacts.stream().anyMatch(c -> c.offerId().equals(offerId));
        }

        long since(Instant from) {
            return contacts.stream().filter(c -> c.at().isAfter(from)).count();
        }

        private State reserved(String offerId, Instant at) {
            var kept = new ArrayList<Contact>();
            var horizon = at.minus(Duration.ofDays(KEPT_DAYS));
            for (var c : contacts) if (c.at().isAfter(horizon)) kept.add(c);
            kept.add(new Contact(offerId, at));
            return new State(kept);
        }

        private State released(String offerId) {
            return new State(
                    contacts.stream().filter(c -> !c.offerId().equals(offerId)).toList());
        }
    }

    /** How long a contact is kept: the longest cap window there may be. */
    public static final int KEPT_DAYS = 400;

    public static void init(ActorSystem<?> system, DispatchSettings settings) {
        var entity = EntitySettings.create(system, "contact-cap");
        ClusterSharding.get(system)
                .init(Entity.of(
                        ENTITY_KEY,
                        ctx -> create(
                                ctx.getEntityId(), settings.contactCapMax(), settings.contactCapWindow(), entity)));
    }

    public static Behavior<Command> create(String personId, int max, Duration window, EntitySettings entity) {
        if (window.toDays() > KEPT_DAYS) {
            throw new IllegalArgumentException("the contact cap window may be at most " + KEPT_DAYS + " days");
        }
        return new ContactCapEntity(personId, max, window, entity);
    }

    private final int max;
    private final Duration window;
    private final EntitySettings entity;

    private ContactCapEntity(String personId, int max, Duration window, EntitySettings entity) {
        super(ENTITY_KEY.name(), personId, entity);
        this.max = max;
        this.window = window;
        this.entity = entity;
    }

    @Override
    public ContactCapEntity.State emptyState() {
        return new State(List.of());
    }

    @Override
    protected EntitySettings entitySettings() {
        return entity;
    }

    @Override
    protected void commands(CommandHandlerWithReplyBuilder<Command, Event, State> builder) {
        builder.forAnyState().onCommand(Reserve.class, this::onReserve).onCommand(Release.class, this::onRelease);
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
        return State::apply;
    }
}

package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * A shopper rebuilt from its journal as of a moment, with the entity's own transition function and without snapshots,
 * so what is shown is exactly what the recorded events imply. For audits; recovery never comes here.
 */
public final class ShopperReplay {
    private final ShopperSettings settings;
    private final ActorSystem<?> system;

    public ShopperReplay(ShopperSettings settings, ActorSystem<?> system) {
        this.settings = settings;
        this.system = system;
    }

    public static ShopperReplay create(ActorSystem<?> system) {
        return new ShopperReplay(ShopperSettings.create(system), system);
    }

    /**
     * A shopper as of a moment: the sequence number of the last event applied (0 when there was none: the shopper did
     * not exist then), and either the person's view (scores decayed to that moment) or, for a linked identity, the
     * person it belonged to.
     */
    public record AsOf(long sequenceNr, String aliasOf, ShopperSummary person) {
        public boolean existed() {
            return sequenceNr > 0;
        }
    }

    /** The persistence id of a shopper's journal. */
    public static String persistenceId(String shopperId) {
        return PersistenceId.of(ShopperCommand.ENTITY_KEY.name(), shopperId).id();
    }

    /**
     * {@code journal}: the shopper's current events in sequence order (a read journal's currentEventsByPersistenceId).
     */
    public CompletionStage<AsOf> asOf(String shopperId, Source<EventEnvelope, ?> journal, Instant at) {
        record Folded(ShopperState state, long sequenceNr) {}
        return journal.takeWhile(env -> env.timestamp() <= at.toEpochMilli())
                .runFold(
                        new Folded(Person.empty(), 0L),
                        (r, env) -> new Folded(r.state().apply((ShopperEvent) env.event()), env.sequenceNr()),
                        system)
                .thenApply(r -> r.state() instanceof ShopperState.Alias alias
                        ? new AsOf(r.sequenceNr(), alias.ownerId(), null)
                        : new AsOf(
                                r.sequenceNr(),
                                null,
                                ((Person) r.state()).summarize(shopperId, at, settings.highValueMonetary())));
    }
}

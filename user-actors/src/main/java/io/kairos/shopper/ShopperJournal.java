package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.Offset;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.cassandra.javadsl.CassandraProjection;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.Handler;
import akka.projection.javadsl.SourceProvider;
import java.util.function.Supplier;

/**
 * How read sides consume the shopper journal: the events of one projection tag ({@link ShopperEvent#tags}), and one
 * at-least-once projection per tag across the cluster, offsets in Cassandra. Shared by every read side of shopper
 * events (the shopper projection, dispatch, pricing's demand feed).
 */
public final class ShopperJournal {
    private ShopperJournal() {}

    /** The shopper events of {@code tag}, in the order the journal's events-by-tag query gives them. */
    public static SourceProvider<Offset, EventEnvelope<ShopperEvent>> byTag(ActorSystem<?> system, String tag) {
        return EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag);
    }

    /**
     * Runs {@code name} over every shopper tag: a {@link ShardedDaemonProcess} of one at-least-once projection per tag,
     * each with a handler from {@code handler}; every handler's effects must be idempotent.
     */
    public static void runAtLeastOnce(
            ActorSystem<?> system, String name, Supplier<Handler<EventEnvelope<ShopperEvent>>> handler) {
        var tags = ShopperEvent.tags(system);
        ShardedDaemonProcess.get(system)
                .init(
                        ProjectionBehavior.Command.class,
                        name,
                        tags.size(),
                        i -> ProjectionBehavior.create(CassandraProjection.atLeastOnce(
                                ProjectionId.of(name, tags.get(i)), byTag(system, tags.get(i)), handler::get)),
                        ProjectionBehavior.stopMessage());
    }
}

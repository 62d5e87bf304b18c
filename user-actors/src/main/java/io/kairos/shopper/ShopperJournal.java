package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.typed.PersistenceId;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.cassandra.javadsl.CassandraProjection;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.Handler;
import akka.projection.javadsl.SourceProvider;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.Offer;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.SealedJournals;
import io.kairos.time.SimulatedClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How read sides consume the shopper journal: the events of one projection tag ({@link ShopperEvent#tags}), and one
 * at-least-once projection per tag across the cluster, offsets in Cassandra. Shared by every read side of shopper
 * events (the shopper projection, dispatch, pricing's demand feed).
 */
public final class ShopperJournal {
    private ShopperJournal() {}

    /**
     * The shopper events of {@code tag}, in the order the journal's events-by-tag query gives them, opened and named by
     * their subjects ({@link OpenedSource}).
     */
    public static SourceProvider<Offset, EventEnvelope<ShopperEvent>> byTag(ActorSystem<?> system, String tag) {
        return new OpenedSource(
                EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag),
                PersonKeys.get(system));
    }

    /**
     * The engine's own decisions from the Cassandra journal as training data (every shopper tag; outcomes final once
     * {@code outcomeWindow} has passed; each tag read at most {@code timeout}).
     */
    public static JournalDecisionLog decisionLog(
            ActorSystem<?> system, Duration outcomeWindow, Clock clock, Duration timeout) {
        var journal = PersistenceQuery.get(system)
                .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
        // The journal's tag offsets are the time events were written. On a simulated clock decisions are dated in
        // simulated time, which says nothing about when they were written: read the tags from their first bucket.
        Function<Instant, Offset> offsetAt = clock instanceof SimulatedClock
                ? t -> Offset.noOffset()
                : t -> journal.timeBasedUUIDFrom(t.toEpochMilli());
        return new JournalDecisionLog(
                system,
                SealedJournals.byTag(PersonKeys.get(system), journal),
                ShopperEvent.tags(system),
                offsetAt,
                outcomeWindow,
                clock,
                timeout);
    }

    /**
     * Runs {@code name} over every shopper tag: a {@link ShardedDaemonProcess} of one at-least-once projection per tag,
     * each with a handler from {@code handler}; every handler's effects must be idempotent.
     */
    public static void runAtLeastOnce(
            ActorSystem<?> system, String name, Supplier<Handler<EventEnvelope<ShopperEvent>>> handler) {
        runAtLeastOnce(system, name, Duration.ZERO, handler);
    }

    /**
     * As {@link #runAtLeastOnce(ActorSystem, String, Supplier)}, each start reading from {@code rewind} before the
     * stored offset, for handlers whose effects are idempotent upserts (not counters).
     *
     * <p>Why: a node killed between an event's journal write and its events-by-tag write leaves the tag write to the
     * shopper's next recovery, which writes it with the event's original time. A running query finds such a late row by
     * back-tracking, but never before the offset it started from ({@code EventsByTagStage} scans from its initial
     * offset at the earliest). A projection restarted in between (it moved off the killed node, or back when the node
     * rejoined) would skip the event for good; one that starts {@code rewind} earlier finds every repair of an event no
     * older than that.
     */
    public static void runAtLeastOnce(
            ActorSystem<?> system,
            String name,
            Duration rewind,
            Supplier<Handler<EventEnvelope<ShopperEvent>>> handler) {
        var tags = ShopperEvent.tags(system);
        ShardedDaemonProcess.get(system)
                .init(
                        ProjectionBehavior.Command.class,
                        name,
                        tags.size(),
                        i -> ProjectionBehavior.create(CassandraProjection.atLeastOnce(
                                ProjectionId.of(name, tags.get(i)),
                                RewoundSource.of(byTag(system, tags.get(i)), rewind),
                                handler::get)),
                        ProjectionBehavior.stopMessage());
    }

    /**
     * The decisions-table row of a journalled decision (an issued offer; a holdout or a decision that issued nothing,
     * whose rows have no offer); empty for every other event. The projection writes it; the audit's fallback finds it
     * in the journal.
     */
    public static Optional<StoredDecision> decisionRow(String persistenceId, long sequenceNr, Object event) {
        if (event instanceof ShopperEvent.OfferIssued e)
            return Optional.of(row(persistenceId, sequenceNr, "offer", e.decision(), e.offer()));
        if (event instanceof ShopperEvent.HoldoutAssigned e)
            return Optional.of(row(persistenceId, sequenceNr, "holdout", e.decision(), null));
        if (event instanceof ShopperEvent.NoOfferDecided e)
            return Optional.of(row(persistenceId, sequenceNr, "none", e.decision(), null));
        return Optional.empty();
    }

    private static StoredDecision row(
            String persistenceId, long sequenceNr, String kind, DecisionRecord decision, Offer offer) {
        var shopperId = PersistenceId.extractEntityId(persistenceId);
        return new StoredDecision(
                decision.decisionId(),
                shopperId,
                persistenceId,
                sequenceNr,
                kind,
                decision.decidedAt(),
                decision,
                offer);
    }
}

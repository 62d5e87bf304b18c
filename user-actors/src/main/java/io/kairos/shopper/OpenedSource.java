package io.kairos.shopper;

import akka.NotUsed;
import akka.persistence.query.Offset;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.SourceProvider;
import akka.stream.javadsl.Source;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.SealedJournals;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The shopper events of a tag as the projections consume them: each sealed event opened with its journal's key and
 * named by its subject ({@code Shopper|<subject>}, as before pseudonyms), in the tag's order; an event whose person was
 * erased is skipped (its offset is passed by the next one's).
 */
final class OpenedSource extends SourceProvider<Offset, EventEnvelope<ShopperEvent>> {
    private final SourceProvider<Offset, EventEnvelope<ShopperEvent>> delegate;
    private final PersonKeys keys;

    OpenedSource(SourceProvider<Offset, EventEnvelope<ShopperEvent>> delegate, PersonKeys keys) {
        this.delegate = delegate;
        this.keys = keys;
    }

    @Override
    public CompletionStage<Source<EventEnvelope<ShopperEvent>, NotUsed>> source(
            Supplier<CompletionStage<Optional<Offset>>> offset) {
        return delegate.source(offset).thenApply(events -> events.mapAsync(SealedJournals.TAG_PARALLELISM, this::open)
                .filter(Optional::isPresent)
                .map(Optional::get));
    }

    private CompletionStage<Optional<EventEnvelope<ShopperEvent>>> open(EventEnvelope<ShopperEvent> env) {
        Object stored = env.event();
        return SealedJournals.open(keys, env.persistenceId(), stored)
                .thenApply(opened -> opened.map(o -> EventEnvelope.create(
                        env.offset(),
                        SealedJournals.subjectId(o.subject()),
                        env.sequenceNr(),
                        (ShopperEvent) o.value(),
                        env.timestamp())));
    }

    @Override
    public Offset extractOffset(EventEnvelope<ShopperEvent> envelope) {
        return envelope.offset();
    }

    @Override
    public long extractCreationTime(EventEnvelope<ShopperEvent> envelope) {
        return envelope.timestamp();
    }
}

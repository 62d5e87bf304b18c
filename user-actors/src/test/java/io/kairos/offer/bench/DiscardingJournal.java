package io.kairos.offer.bench;

import akka.dispatch.Futures;
import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import scala.concurrent.Future;

/**
 * A journal that acknowledges every write and keeps nothing, for measuring what entities hold in memory: an in-memory
 * journal would keep every event in the same heap. Entities recover empty, which is what a heap benchmark of freshly
 * spawned entities needs.
 */
public final class DiscardingJournal extends akka.persistence.journal.japi.AsyncWriteJournal {
    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        return Futures.successful(List.of()); // empty: every write succeeded
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doAsyncReplayMessages(
            String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<PersistentRepr> replay) {
        return Futures.successful(null);
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return Futures.successful(0L);
    }
}

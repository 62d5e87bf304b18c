package io.kairos.offer.bench;

import akka.dispatch.Futures;
import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.journal.Tagged;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Consumer;
import scala.concurrent.Future;

/**
 * The benchmarks' journal: it does to each event what a journal on a database does before its write (the payload, tags
 * unwrapped, serialized by its Akka serializer) and then drops the bytes, keeping nothing. Akka's in-memory journal
 * keeps every event on the heap (and with {@code test-serialization} also deserializes it), which a node writing to
 * Cassandra does not: a heap benchmark would count those events as the entities', and over a latency benchmark they are
 * most of what each young collection copies. Entities recover empty, which is what benchmarks of freshly spawned
 * entities need.
 */
public final class DiscardingJournal extends akka.persistence.journal.japi.AsyncWriteJournal {
    /** The configuration that makes this the journal. */
    static final String CONFIG =
            """
            akka.persistence.journal.plugin = "kairos-bench.discarding-journal"
            kairos-bench.discarding-journal.class = "io.kairos.offer.bench.DiscardingJournal"
            """;

    private final Serialization serialization =
            SerializationExtension.get(context().system());

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        var results = new ArrayList<Optional<Exception>>();
        for (AtomicWrite write : messages) {
            Optional<Exception> result = Optional.empty();
            for (PersistentRepr repr : scala.jdk.javaapi.CollectionConverters.asJava(write.payload())) {
                Object payload = repr.payload() instanceof Tagged tagged ? tagged.payload() : repr.payload();
                var bytes = serialization.serialize(payload);
                if (bytes.isFailure()) {
                    result = Optional.of(new IllegalStateException(
                            "cannot serialize " + payload.getClass().getName(),
                            bytes.failed().get()));
                    break;
                }
            }
            results.add(result);
        }
        return Futures.successful(results);
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

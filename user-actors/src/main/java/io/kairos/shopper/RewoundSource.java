package io.kairos.shopper;

import akka.NotUsed;
import akka.persistence.query.Offset;
import akka.persistence.query.TimeBasedUUID;
import akka.projection.javadsl.SourceProvider;
import akka.stream.javadsl.Source;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An events-by-tag source that starts a fixed time before the offset it is given (a stored time-based offset); other
 * offsets and no offset pass unchanged. See {@link ShopperJournal#runAtLeastOnce(akka.actor.typed.ActorSystem, String,
 * Duration, Supplier)} for why.
 */
final class RewoundSource<E> extends SourceProvider<Offset, E> {
    private final SourceProvider<Offset, E> delegate;
    private final long rewindMillis;

    private RewoundSource(SourceProvider<Offset, E> delegate, Duration rewind) {
        this.delegate = delegate;
        this.rewindMillis = rewind.toMillis();
    }

    /** {@code delegate} itself when {@code rewind} is zero. */
    static <E> SourceProvider<Offset, E> of(SourceProvider<Offset, E> delegate, Duration rewind) {
        if (rewind.isNegative()) throw new IllegalArgumentException("rewind must not be negative: " + rewind);
        return rewind.isZero() ? delegate : new RewoundSource<>(delegate, rewind);
    }

    /** {@code offset} moved {@code rewindMillis} back when it is a time-based offset. */
    static Offset rewound(Offset offset, long rewindMillis) {
        if (!(offset instanceof TimeBasedUUID t)) return offset;
        return Offset.timeBasedUUID(Uuids.startOf(Uuids.unixTimestamp(t.value()) - rewindMillis));
    }

    @Override
    public CompletionStage<Source<E, NotUsed>> source(Supplier<CompletionStage<Optional<Offset>>> offset) {
        return delegate.source(() -> offset.get().thenApply(stored -> stored.map(o -> rewound(o, rewindMillis))));
    }

    @Override
    public Offset extractOffset(E envelope) {
        return delegate.extractOffset(envelope);
    }

    @Override
    public long extractCreationTime(E envelope) {
        return delegate.extractCreationTime(envelope);
    }
}

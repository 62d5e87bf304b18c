package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.NotUsed;
import akka.persistence.query.Offset;
import akka.persistence.query.TimeBasedUUID;
import akka.projection.javadsl.SourceProvider;
import akka.stream.javadsl.Source;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RewoundSourceTest {
    private static final long AT = 1_796_000_000_000L;

    @Test
    void aStoredTimeOffsetStartsTheRewindEarlier() throws Exception {
        var seen = new AtomicReference<Optional<Offset>>();
        var source = RewoundSource.of(new Recording(seen), Duration.ofMinutes(10));

        source.source(() -> CompletableFuture.completedFuture(Optional.of(Offset.timeBasedUUID(Uuids.startOf(AT)))))
                .toCompletableFuture()
                .get();

        var started = (TimeBasedUUID) seen.get().orElseThrow();
        assertThat(Uuids.unixTimestamp(started.value()))
                .isEqualTo(AT - Duration.ofMinutes(10).toMillis());
    }

    @Test
    void noStoredOffsetAndOtherOffsetsPassUnchanged() throws Exception {
        var seen = new AtomicReference<Optional<Offset>>();
        var source = RewoundSource.of(new Recording(seen), Duration.ofMinutes(10));

        source.source(() -> CompletableFuture.completedFuture(Optional.empty()))
                .toCompletableFuture()
                .get();
        assertThat(seen.get()).isEmpty();
        assertThat(RewoundSource.rewound(Offset.sequence(42), 600_000)).isEqualTo(Offset.sequence(42));
    }

    @Test
    void noRewindIsTheQueryItselfAndANegativeOneIsRefused() {
        var plain = new Recording(new AtomicReference<>());
        assertThat(RewoundSource.of(plain, Duration.ZERO)).isSameAs(plain);
        assertThatThrownBy(() -> RewoundSource.of(plain, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Records the offset the projection's query was started from. */
    private static final class Recording extends SourceProvider<Offset, String> {
        private final AtomicReference<Optional<Offset>> seen;

        Recording(AtomicReference<Optional<Offset>> seen) {
            this.seen = seen;
        }

        @Override
        public CompletionStage<Source<String, NotUsed>> source(Supplier<CompletionStage<Optional<Offset>>> offset) {
            return offset.get().thenApply(o -> {
                seen.set(o);
                return Source.empty();
            });
        }

        @Override
        public Offset extractOffset(String envelope) {
            return Offset.noOffset();
        }

        @Override
        public long extractCreationTime(String envelope) {
            return 0;
        }
    }
}

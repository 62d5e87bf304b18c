package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.pattern.AskTimeoutException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static Admission limitedTo(int limit) {
        return Admission.fromConfig(ConfigFactory.parseString(
                        "initial-limit = %d, min-limit = %d, max-limit = %d, burst = 0".formatted(limit, limit, limit))
                .withFallback(ConfigFactory.load().getConfig("kairos.http.admission")));
    }

    @Test
    void beyondItsLimitWorkIsRefusedAtOnceAndNeverStarted() {
        var admission = limitedTo(2);
        var started = new AtomicInteger();
        var first = new CompletableFuture<String>();
        var second = new CompletableFuture<String>();
        admission.admit(Admission.Work.EVENTS, () -> {
            started.incrementAndGet();
            return first;
        });
        admission.admit(Admission.Work.EVENTS, () -> {
            started.incrementAndGet();
            return second;
        });
        CompletionStage<String> third = admission.admit(Admission.Work.EVENTS, () -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        });
        assertThat(started).hasValue(2);
        assertThat(third.toCompletableFuture())
                .isCompletedExceptionally()
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    var problem = ((ApiException) e).problem();
                    assertThat(problem.status()).isEqualTo(503);
                    assertThat(problem.type()).endsWith("/overloaded");
                });
        // other kinds of work have limits of their own
        assertThat(admission
                        .admit(Admission.Work.READS, () -> CompletableFuture.completedFuture("read"))
                        .toCompletableFuture())
                .isCompletedWithValue("read");

        // a finished request (even a timed-out one) makes room
        first.completeExceptionally(new AskTimeoutException("late"));
        assertThat(admission
                        .admit(Admission.Work.EVENTS, () -> CompletableFuture.completedFuture("ran"))
                        .toCompletableFuture())
                .isCompletedWithValue("ran");
    }

    @Test
    void aJobThatThrowsGivesItsPermitBack() {
        var admission = limitedTo(1);
        for (int i = 0; i < 3; i++) {
            try {
                admission.admit(Admission.Work.ORDERS, () -> {
                    throw ApiException.badRequest("orderId", "is required");
                });
            } catch (ApiException expected) {
                // a 400 before any entity was asked
            }
        }
        assertThat(admission
                        .admit(Admission.Work.ORDERS, () -> CompletableFuture.completedFuture("placed"))
                        .toCompletableFuture())
                .isCompletedWithValue("placed");
    }

    @Test
    void aBacklogAfterAPauseIsAdmittedBeyondTheLimitForTheBurstWindowOnly() {
        var now = new java.util.concurrent.atomic.AtomicLong();
        var admission = Admission.fromConfig(
                ConfigFactory.parseString(
                                "initial-limit = 2, min-limit = 2, max-limit = 2, burst = 1.0, burst-window = 250ms")
                        .withFallback(ConfigFactory.load().getConfig("kairos.http.admission")),
                now::get);
        var held = new java.util.ArrayList<Admission.Permit>();
        for (int i = 0; i < 4; i++) {
            held.add(admission.tryAcquire(Admission.Work.EVENTS).orElseThrow()); // 2 within the limit, 2 beyond
        }
        assertThat(admission.tryAcquire(Admission.Work.EVENTS))
                .as("the burst's room is the limit once more")
                .isEmpty();
        assertThat(admission.tryAcquire(Admission.Work.READS))
                .as("another kind's burst")
                .isPresent();

        // a permit given back twice frees one place, not two
        held.get(3).succeeded();
        held.get(3).succeeded();
        held.remove(3);
        held.add(admission.tryAcquire(Admission.Work.EVENTS).orElseThrow());
        assertThat(admission.tryAcquire(Admission.Work.EVENTS)).isEmpty();

        // after the window, a backlog that has not drained is an overload: refused, even with room in the burst
        now.addAndGet(Duration.ofMillis(300).toNanos());
        held.get(2).succeeded();
        held.remove(2);
        assertThat(admission.tryAcquire(Admission.Work.EVENTS)).isEmpty();

        // once in flight is back under half the limit, the next pause gets a window of its own
        held.forEach(Admission.Permit::succeeded);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        var again = new java.util.ArrayList<Admission.Permit>();
        for (int i = 0; i < 4; i++)
            again.add(admission.tryAcquire(Admission.Work.EVENTS).orElseThrow());
        assertThat(admission.tryAcquire(Admission.Work.EVENTS)).isEmpty();
    }

    @Test
    void offAdmitsEverythingAndRetryAfterSpreadsRefusedClients() {
        var off = Admission.fromConfig(ConfigFactory.parseString("enabled = off")
                .withFallback(ConfigFactory.load().getConfig("kairos.http.admission")));
        for (int i = 0; i < 1_000; i++) off.admit(Admission.Work.EVENTS, CompletableFuture::new);
        assertThat(off.admit(Admission.Work.EVENTS, () -> CompletableFuture.completedFuture(1))
                        .toCompletableFuture())
                .isCompletedWithValue(1);

        var seen = new java.util.TreeSet<Long>();
        for (int i = 0; i < 200; i++) seen.add(Admission.retryAfterSeconds(Duration.ofSeconds(2)));
        assertThat(seen).containsExactly(2L, 3L, 4L);
    }
}

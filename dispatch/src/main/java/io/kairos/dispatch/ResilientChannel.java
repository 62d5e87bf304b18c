package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.pattern.CircuitBreaker;
import akka.pattern.CircuitBreakerOpenException;
import akka.pattern.Patterns;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import akka.stream.ThrottleMode;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.dispatch.DispatchSettings.ChannelSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * A {@link Channel} with its own rate limit, retries and circuit breaker, so one slow or failing channel never holds up
 * another: each channel has its own queue (bounded; a full queue refuses at once), throttled to {@code rate} messages
 * per second for the whole cluster (each of the {@code n} nodes sending takes {@code rate / n}, with {@code n} read for
 * every message, so the share follows the cluster as it grows and shrinks) with at most {@code parallelism} in flight;
 * each message is tried up to {@code max-attempts} times with exponential backoff and 20% jitter; after
 * {@code breaker.max-failures} consecutive failed calls the breaker opens and calls fail fast until a trial call after
 * {@code breaker.reset-timeout} succeeds. A {@link Channel.Rejected} message is not retried and does not count against
 * the channel.
 */
public final class ResilientChannel {
    /** The breaker is open: the channel is considered down for now. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static final int TOKENS_PER_MESSAGE = 1000;

    private record Pending(Message message, CompletableFuture<Done> result) {}

    private final Channel channel;
    private final ChannelSettings settings;
    private final ActorSystem<?> system;
    private final CircuitBreaker breaker;
    private final BoundedSourceQueue<Pending> queue;

    /** Throttles as if this node sent alone. */
    public ResilientChannel(Channel channel, ChannelSettings settings, ActorSystem<?> system) {
        this(channel, settings, system, () -> 1);
    }

    /**
     * @param sendingNodes how many nodes share the channel's rate right now (the cluster's Up members); values below 1
     *     count as 1
     */
    public ResilientChannel(
            Channel channel, ChannelSettings settings, ActorSystem<?> system, IntSupplier sendingNodes) {
        this.channel = channel;
        this.settings = settings;
        this.system = system;
        this.breaker = CircuitBreaker.create(
                system.classicSystem().scheduler(),
                settings.breakerMaxFailures(),
                settings.callTimeout(),
                settings.breakerResetTimeout());
        // A token bucket in thousandths of a message, refilled at the cluster-wide rate with a burst of one second's
        // worth; each message costs one thousand tokens per sending node, which gives this node its share (and makes
        // rates below one per second exact).
        int tokensPerSecond =
                (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.round(settings.rate() * TOKENS_PER_MESSAGE)));
        this.queue = Source.<Pending>queue(1024)
                .throttle(
                        tokensPerSecond,
                        Duration.ofSeconds(1),
                        Math.max(tokensPerSecond, TOKENS_PER_MESSAGE),
                        p -> TOKENS_PER_MESSAGE * Math.max(1, sendingNodes.getAsInt()),
                        ThrottleMode.shaping())
                .mapAsyncUnordered(Math.max(1, settings.parallelism()), p -> attempt(p.message(), 1)
                        .handle((done, failure) -> {
                            if (failure != null) p.result().completeExceptionally(unwrap(failure));
                            else p.result().complete(done);
                            return Done.getInstance();
                        }))
                .to(Sink.ignore())
                .run(system);
    }

    public String name() {
        return channel.name();
    }

    public ChannelSettings settings() {
        return settings;
    }

    /** Whether the breaker is open (calls fail fast): delivery looks for another channel or waits. */
    public boolean isOpen() {
        return breaker.isOpen();
    }

    /**
     * Whether the breaker is closed (calls go through). After a successful trial call it closes, but the trial's caller
     * may see its answer a moment before the breaker has switched from half-open, when other calls still fail fast.
     */
    public boolean isClosed() {
        return breaker.isClosed();
    }

    /**
     * Sends with retries; completes when one attempt was accepted, fails with {@link Channel.Rejected} (permanent),
     * {@link Unavailable} (breaker open, or the queue is full) or the last attempt's failure.
     */
    public CompletionStage<Done> send(Message message) {
        if (breaker.isOpen())
            return CompletableFuture.failedFuture(new Unavailable(channel.name() + " is unavailable (circuit open)"));
        var result = new CompletableFuture<Done>();
        var offered = queue.offer(new Pending(message, result));
        if (offered != QueueOfferResult.enqueued()) {
            return CompletableFuture.failedFuture(new Unavailable(channel.name() + " is overloaded (" + offered + ")"));
        }
        return result;
    }

    private CompletionStage<Done> attempt(Message message, int n) {
        CompletionStage<Done> call = breaker.callWithCircuitBreakerCS(
                () -> channel.send(message),
                (Optional<Done> ok, Optional<Throwable> failure) ->
                        failure.isPresent() && !(unwrap(failure.get()) instanceof Channel.Rejected));
        return call.handle((done, failure) -> {
                    if (failure == null) return CompletableFuture.completedFuture(done);
                    var cause = unwrap(failure);
                    if (cause instanceof Channel.Rejected) return CompletableFuture.<Done>failedFuture(cause);
                    if (cause instanceof CircuitBreakerOpenException) {
                        return CompletableFuture.<Done>failedFuture(
                                new Unavailable(channel.name() + " is unavailable (circuit open)"));
                    }
                    if (n >= settings.maxAttempts()) return CompletableFuture.<Done>failedFuture(cause);
                    return Patterns.after(backoff(n), system.classicSystem(), () -> attempt(message, n + 1));
                })
                .thenCompose(s -> s);
    }

    /** Exponential backoff after attempt {@code n} (1-based), capped, with ±20% jitter. */
    Duration backoff(int n) {
        long min = settings.minBackoff().toMillis();
        long capped = Math.min(settings.maxBackoff().toMillis(), min * (1L << Math.min(20, n - 1)));
        double jitter = 1 + 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

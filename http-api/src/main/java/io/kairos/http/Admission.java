package io.kairos.http;

import akka.pattern.AskTimeoutException;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AbstractLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import com.typesafe.config.Config;
import io.kairos.metrics.KairosMetrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Admission control in front of the journal: each kind of work (events, decisions, orders, reads) has an adaptive
 * concurrency limit (Netflix concurrency-limits: by default {@link VegasLimit}, which lowers the limit as soon as the
 * latency of admitted requests rises above the lowest it has seen, and raises it while it does not). A request beyond
 * the limit is refused at once, before any entity sees it: 503 with {@code Retry-After}, nothing done, so a client that
 * retries with the same ids gets duplicates, never double events. Admitted work stays within what the node can finish
 * in time, so offered twice or eight times its capacity the node still acknowledges at capacity instead of timing
 * everything out.
 *
 * <p>One per node; limits are per node (each node protects its own journal connection and dispatchers), not per
 * cluster. A timeout of admitted work counts as a drop, which lowers the limit; a client error (4xx) says nothing about
 * load and is ignored.
 */
public final class Admission {

    /** The kinds of work, each with its own limit (their latencies differ by an order of magnitude). */
    public enum Work {
        EVENTS,
        DECISIONS,
        ORDERS,
        READS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** No limits: every request admitted (tests that are not about load, and {@code enabled = off}). */
    public static final Admission UNLIMITED = new Admission(Map.of());

    private final Map<Work, Limiter<Void>> limiters;

    private Admission(Map<Work, Limiter<Void>> limiters) {
        this.limiters = limiters;
    }

    /** From {@code kairos.http.admission}. */
    public static Admission fromConfig(Config admission) {
        if (!admission.getBoolean("enabled")) return UNLIMITED;
        var limiters = new EnumMap<Work, Limiter<Void>>(Work.class);
        for (var work : Work.values()) {
            var c = admission.getConfig(work.label()).withFallback(admission);
            var limit = limit(c);
            var label = work.label();
            limit.notifyOnChange(
                    l -> KairosMetrics.ADMISSION_LIMIT.labelValues(label).set(l));
            KairosMetrics.ADMISSION_LIMIT.labelValues(label).set(limit.getLimit());
            limiters.put(
                    work, SimpleLimiter.newBuilder().named(label).limit(limit).build());
        }
        return new Admission(limiters);
    }

    /**
     * The limit algorithm: {@code vegas} (the default: the limit shrinks as soon as latency rises above the lowest
     * latency seen, i.e. as soon as requests queue, which keeps admitted latency near the unloaded one) or
     * {@code gradient2} (tolerates latency up to {@code latency-tolerance} × its long-run average).
     */
    private static AbstractLimit limit(Config c) {
        int initial = c.getInt("initial-limit");
        int max = c.getInt("max-limit");
        int min = c.getInt("min-limit");
        return switch (c.getString("algorithm")) {
            case "vegas" ->
                VegasLimit.newBuilder()
                        .initialLimit(initial)
                        .maxConcurrency(max)
                        .decreaseFunction(limit -> Math.max(min, limit - Math.max(1, Math.log10(limit))))
                        .build();
            case "gradient2" ->
                Gradient2Limit.newBuilder()
                        .initialLimit(initial)
                        .minLimit(min)
                        .maxConcurrency(max)
                        .rttTolerance(c.getDouble("latency-tolerance"))
                        .build();
            default ->
                throw new IllegalArgumentException(
                        "kairos.http.admission.algorithm must be vegas or gradient2, not " + c.getString("algorithm"));
        };
    }

    /**
     * Runs {@code job} if {@code work} is below its limit; else a stage failed at once with a 503 problem
     * ({@link ApiException#overloaded}), and {@code job} never runs.
     */
    public <T> CompletionStage<T> admit(Work work, Supplier<CompletionStage<T>> job) {
        var permit = tryAcquire(work);
        if (permit.isEmpty()) return CompletableFuture.failedFuture(ApiException.overloaded(work.label()));
        CompletionStage<T> stage;
        try {
            stage = job.get();
        } catch (RuntimeException e) {
            permit.get().failed(e);
            throw e;
        }
        return stage.whenComplete((done, failure) -> {
            if (failure == null) permit.get().succeeded();
            else permit.get().failed(failure);
        });
    }

    /** One more of {@code work} if it is below its limit (the refusal counted if not); release the permit once. */
    public Optional<Permit> tryAcquire(Work work) {
        var limiter = limiters.get(work);
        var label = work.label();
        if (limiter == null) return Optional.of(new Permit(null, label));
        var listener = limiter.acquire(null);
        if (listener.isEmpty()) {
            KairosMetrics.ADMISSION_REFUSED.labelValues(label).inc();
            return Optional.empty();
        }
        KairosMetrics.ADMISSION_IN_FLIGHT.labelValues(label).inc();
        return Optional.of(new Permit(listener.get(), label));
    }

    /**
     * An admitted request's place in its limit. How it ended teaches the limit: done in time lowers nothing, a timeout
     * or 503 is a drop (the limit falls), a client error says nothing about load.
     */
    public static final class Permit {
        private final Limiter.Listener listener; // null: unlimited
        private final String label;

        private Permit(Limiter.Listener listener, String label) {
            this.listener = listener;
            this.label = label;
        }

        public void succeeded() {
            release(Limiter.Listener::onSuccess);
        }

        public void failed(Throwable failure) {
            var cause = ApiDirectives.cause(failure);
            boolean dropped = cause instanceof AskTimeoutException
                    || cause instanceof TimeoutException
                    || (cause instanceof ApiException api && api.problem().status() == 503);
            release(dropped ? Limiter.Listener::onDropped : Limiter.Listener::onIgnore);
        }

        /** Ended with an HTTP answer of {@code status}. */
        public void answered(int status) {
            if (status < 300) release(Limiter.Listener::onSuccess);
            else if (status == 503) release(Limiter.Listener::onDropped);
            else release(Limiter.Listener::onIgnore);
        }

        private void release(java.util.function.Consumer<Limiter.Listener> outcome) {
            if (listener == null) return;
            KairosMetrics.ADMISSION_IN_FLIGHT.labelValues(label).dec();
            outcome.accept(listener);
        }
    }

    /** Seconds a refused client should wait: {@code base} to twice {@code base}, drawn per refusal (jitter). */
    static long retryAfterSeconds(java.time.Duration base) {
        long seconds = Math.max(1, base.toSeconds());
        return seconds + ThreadLocalRandom.current().nextLong(seconds + 1);
    }
}

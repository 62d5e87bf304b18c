package io.kairos.http;

import akka.pattern.AskTimeoutException;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AbstractLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
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
import java.util.function.LongSupplier;
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
 * <p>A pause is not an overload: after a GC pause or a stall of the journal, the requests that arrived meanwhile are
 * all in flight at once, above a limit sized for the load before. Like CoDel, which drops only once a queue has stood
 * for an interval, a kind of work over its limit still admits up to {@code burst} × its limit more for
 * {@code burst-window} ({@link Burst}); a backlog that has not drained by then (in flight back under half the limit) is
 * an overload, and the rest is refused until it drains.
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

    /** A kind of work's limit, and what it admits beyond it for a while. */
    private record Kind(AbstractLimiter<Void> limiter, Burst burst) {}

    private final Map<Work, Kind> kinds;

    private Admission(Map<Work, Kind> kinds) {
        this.kinds = kinds;
    }

    /** From {@code kairos.http.admission}. */
    public static Admission fromConfig(Config admission) {
        return fromConfig(admission, System::nanoTime);
    }

    /** @param nanos the clock of the burst windows (real time) */
    static Admission fromConfig(Config admission, LongSupplier nanos) {
        if (!admission.getBoolean("enabled")) return UNLIMITED;
        var kinds = new EnumMap<Work, Kind>(Work.class);
        for (var work : Work.values()) {
            var c = admission.getConfig(work.label()).withFallback(admission);
            var limit = limit(c);
            var label = work.label();
            limit.notifyOnChange(
                    l -> KairosMetrics.ADMISSION_LIMIT.labelValues(label).set(l));
            KairosMetrics.ADMISSION_LIMIT.labelValues(label).set(limit.getLimit());
            kinds.put(
                    work,
                    new Kind(
                            SimpleLimiter.newBuilder().named(label).limit(limit).build(),
                            new Burst(
                                    c.getDouble("burst"),
                                    c.getDuration("burst-window").toNanos(),
                                    nanos)));
        }
        return new Admission(kinds);
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

    /**
     * One more of {@code work} if it is below its limit, or within a burst beyond it (the refusal counted if not);
     * release the permit once.
     */
    public Optional<Permit> tryAcquire(Work work) {
        var kind = kinds.get(work);
        var label = work.label();
        if (kind == null) return Optional.of(new Permit(null, null, label));
        var listener = kind.limiter().acquire(null);
        if (listener.isPresent()) {
            KairosMetrics.ADMISSION_IN_FLIGHT.labelValues(label).inc();
            return Optional.of(new Permit(listener.get(), kind, label));
        }
        if (kind.burst().admit(kind.limiter().getLimit())) {
            KairosMetrics.ADMISSION_BURST.labelValues(label).inc();
            KairosMetrics.ADMISSION_IN_FLIGHT.labelValues(label).inc();
            return Optional.of(new Permit(null, kind, label));
        }
        KairosMetrics.ADMISSION_REFUSED.labelValues(label).inc();
        return Optional.empty();
    }

    /**
     * What a kind of work admits beyond its limit: up to {@code share} × the limit more, for {@code windowNanos} from
     * the first request over the limit. The window closes for good until the work in flight is back under half the
     * limit (the backlog drained), so a lasting overload gets one window, not one per permit freed.
     */
    static final class Burst {
        private static final long NOT_OVER = Long.MIN_VALUE;
        private final double share;
        private final long windowNanos;
        private final LongSupplier nanos;
        private final java.util.concurrent.atomic.AtomicLong overSince =
                new java.util.concurrent.atomic.AtomicLong(NOT_OVER);
        private final java.util.concurrent.atomic.AtomicInteger beyond =
                new java.util.concurrent.atomic.AtomicInteger();

        Burst(double share, long windowNanos, LongSupplier nanos) {
            this.share = share;
            this.windowNanos = windowNanos;
            this.nanos = nanos;
        }

        /** One more beyond {@code limit}, if the window is open and has room. */
        boolean admit(int limit) {
            int room = (int) Math.floor(share * limit);
            if (room <= 0) return false;
            long now = nanos.getAsLong();
            overSince.compareAndSet(NOT_OVER, now);
            if (now - overSince.get() > windowNanos) return false;
            if (beyond.incrementAndGet() > room) {
                beyond.decrementAndGet();
                return false;
            }
            return true;
        }

        /** A permit ended ({@code beyondLimit}: one the burst gave); {@code inFlight} of {@code limit} remain. */
        void released(boolean beyondLimit, int inFlight, int limit) {
            if (beyondLimit) beyond.decrementAndGet();
            if (inFlight + beyond.get() < limit / 2.0) overSince.set(NOT_OVER);
        }
    }

    /**
     * An admitted request's place in its limit. How it ended teaches the limit: done in time lowers nothing, a timeout
     * or 503 is a drop (the limit falls), a client error says nothing about load.
     */
    public static final class Permit {
        private final Limiter.Listener listener; // null: unlimited, or beyond the limit in a burst
        private final Kind kind; // null: unlimited
        private final String label;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        private Permit(Limiter.Listener listener, Kind kind, String label) {
            this.listener = listener;
            this.kind = kind;
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
            if (kind == null || !released.compareAndSet(false, true)) return;
            KairosMetrics.ADMISSION_IN_FLIGHT.labelValues(label).dec();
            // a permit of a burst teaches the limit nothing: its latency is the pause's, not the load's
            if (listener != null) outcome.accept(listener);
            kind.burst()
                    .released(
                            listener == null,
                            kind.limiter().getInflight(),
                            kind.limiter().getLimit());
        }
    }

    /** Seconds a refused client should wait: {@code base} to twice {@code base}, drawn per refusal (jitter). */
    static long retryAfterSeconds(java.time.Duration base) {
        long seconds = Math.max(1, base.toSeconds());
        return seconds + ThreadLocalRandom.current().nextLong(seconds + 1);
    }
}

package io.kairos.tools.bench;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.http.ApiKeys;
import io.kairos.http.ApiRoutes;
import io.kairos.http.HttpSettings;
import io.kairos.http.price.PriceRoutes;
import io.kairos.pricing.PriceQuote;
import io.kairos.pricing.PriceView;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuConfig;
import io.kairos.pricing.catalog.MemorySkuCatalog;
import io.kairos.tools.Tool;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench-pricing}: how fast prices are read and how stale a read can be, measured, not asserted.
 *
 * <ol>
 *   <li><b>Staleness.</b> Two cluster nodes in this JVM (Artery TCP on 127.0.0.1), each with its own {@link PriceView}.
 *       Changes are published alternately on each node; for each, the time until the other node's view returns the new
 *       version (polled every 0.1 ms). On the publishing node a read sees the change at once.
 *   <li><b>Price reads over HTTP.</b> Node A serves {@code GET /v1/prices/{sku}} (the production routes: API key check,
 *       the view, JSON) and a no-op Akka HTTP endpoint on the same server; 1,000 SKUs are in the view. For each
 *       endpoint, in alternating rounds: the throughput of a closed loop of {@code --concurrency} requests in flight,
 *       then the latency at a fixed rate ({@code --rate}, open model: measured from each request's scheduled start, so
 *       a stall counts against every request it delays).
 * </ol>
 *
 * The load comes from node B's Akka HTTP client (a pool of at most 32 connections; requests beyond them queue in the
 * pool and their wait counts). It runs in the same JVM and on the same cores as the server, so both endpoints pay for
 * it alike; the ratio price ÷ no-op is the figure to read.
 */
@Command(
        name = "bench-pricing",
        description = "Measure price-view staleness across two nodes and price-read throughput/latency over HTTP "
                + "next to a no-op endpoint (prints figures; asserts nothing).")
public final class PricingBenchmark extends Tool implements Callable<Integer> {

    @Option(
            names = "--changes",
            defaultValue = "200",
            description = "price changes for the staleness measurement (default ${DEFAULT-VALUE})")
    int changes;

    @Option(
            names = "--seconds",
            defaultValue = "5",
            description = "length of each HTTP phase and round (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "alternating rounds per endpoint (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "requests in flight in the throughput phase (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(
            names = "--rate",
            defaultValue = "200",
            description = "requests per second in the fixed-rate phase (default ${DEFAULT-VALUE})")
    int rate;

    private static final String KEY = "bench-ingest-key";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        out.printf(
                Locale.ROOT,
                "bench-pricing: nproc %d, load average %s, java %s%n",
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                System.getProperty("java.version"));
        var a = ActorSystem.create(Behaviors.<Void>empty(), "bench", config());
        var b = ActorSystem.create(Behaviors.<Void>empty(), "bench", config());
        try {
            formCluster(a, b);
            staleness(out, a, b);
            httpReads(out, a, b);
            out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        } finally {
            b.terminate();
            a.terminate();
            b.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            a.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        out.flush();
        return 0;
    }

    private static Config config() {
        return ConfigFactory.parseString(
                        """
            akka.actor.provider = cluster
            akka.remote.artery.canonical.hostname = 127.0.0.1
            akka.remote.artery.canonical.port = 0
            akka.cluster.jmx.multi-mbeans-in-same-jvm = on
            akka.coordinated-shutdown.exit-jvm = off
            akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            akka.loglevel = WARNING
            kairos.mode = production
            kairos.http.host = 127.0.0.1
            kairos.http.port = 0
            kairos.http.api-keys = "ingest=%s"
            # the load generator's pool: bounded connections, queued requests wait (and count) in the pool
            akka.http.host-connection-pool.max-connections = 32
            akka.http.host-connection-pool.max-open-requests = 16384
            """
                                .formatted(KEY))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    private static void formCluster(ActorSystem<?> a, ActorSystem<?> b) throws InterruptedException {
        var first = Cluster.get(a);
        first.manager().tell(Join.create(first.selfMember().address()));
        Cluster.get(b).manager().tell(Join.create(first.selfMember().address()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(up(a) && up(b))) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the two nodes did not form a cluster in 30 s");
            Thread.sleep(50);
        }
    }

    private static boolean up(ActorSystem<?> s) {
        var members = Cluster.get(s).state().getMembers();
        int n = 0;
        for (var m : members) if (m.status() == MemberStatus.up()) n++;
        return n == 2;
    }

    private static PriceQuote quote(String sku, long version) {
        var price = BigDecimal.valueOf(1000 + version % 1000, 2);
        return new PriceQuote(
                sku,
                price,
                new BigDecimal("20.00"),
                "EUR",
                Instant.now(),
                price,
                SkuConfig.Policy.THOMPSON,
                "price:" + sku + ":" + version,
                version,
                new BigDecimal("6.00"),
                new BigDecimal("7.20"));
    }

    private void staleness(PrintWriter out, ActorSystem<?> a, ActorSystem<?> b) throws InterruptedException {
        var views = List.of(PriceView.get(a), PriceView.get(b));
        var bound = PricingSettings.create(a).view().stalenessBound();
        // The replicators find each other through membership: wait for a first write to cross, untimed.
        views.get(0).publish(quote("warm-up", 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!views.get(1).contains("warm-up")) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the views did not connect in 30 s");
            Thread.sleep(10);
        }
        var took = new long[changes];
        int beyond = 0;
        for (int i = 0; i < changes; i++) {
            int from = i % 2;
            var sku = "stale-" + (i % 10);
            long version = i + 1;
            long start = System.nanoTime();
            views.get(from).publish(quote(sku, version));
            var other = views.get(1 - from);
            while (other.price(sku).map(q -> q.version() < version).orElse(true)) LockSupport.parkNanos(100_000);
            took[i] = System.nanoTime() - start;
            if (took[i] > bound.toNanos()) beyond++;
            Thread.sleep(5); // let the replicators settle, so each change is measured on its own
        }
        Arrays.sort(took);
        out.printf(
                Locale.ROOT,
                "staleness (other node, %d changes): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; "
                        + "%d beyond the documented bound of %d ms; on the publishing node: immediate%n",
                changes,
                ms(pct(took, 50)),
                ms(pct(took, 90)),
                ms(pct(took, 99)),
                ms(took[took.length - 1]),
                beyond,
                bound.toMillis());
    }

    /** Node {@code a} serves; node {@code b}'s Akka HTTP client (a bounded connection pool) generates the load. */
    private void httpReads(PrintWriter out, ActorSystem<?> a, ActorSystem<?> b) throws Exception {
        var settings = HttpSettings.create(a);
        var view = PriceView.get(a);
        for (int i = 0; i < 1000; i++) view.publish(quote("sku-" + i, 1));
        var api = new ApiRoutes(
                        settings,
                        new PriceRoutes(
                                        new MemorySkuCatalog(view, java.time.Clock.systemUTC()),
                                        new io.kairos.http.RouteContext(
                                                ApiKeys.fromSettings(settings), settings, java.time.Clock.systemUTC()))
                                .routes())
                .routes();
        var route = concat(path("noop", () -> get(() -> complete(StatusCodes.OK))), api);
        ServerBinding binding = Http.get(a)
                .newServerAt("127.0.0.1", 0)
                .bind(route)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        int port = binding.localAddress().getPort();
        var client = new Client(Http.get(b), b);
        var endpoints = List.of(new Endpoint("no-op", "/noop", null), new Endpoint("price", "/v1/prices/sku-", KEY));
        try {
            // warm-up, not reported: JIT of both paths, the client's connections
            for (int w = 0; w < 2; w++) for (var e : endpoints) closedLoop(client, port, e, seconds);
            var throughput = new double[][] {new double[rounds], new double[rounds]};
            var fixed = new Latency[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int e = 0; e < 2; e++) throughput[e][r] = closedLoop(client, port, endpoints.get(e), seconds);
                for (int e = 0; e < 2; e++) fixed[e][r] = fixedRate(client, port, endpoints.get(e), seconds);
            }
            for (int r = 0; r < rounds; r++) {
                out.printf(
                        Locale.ROOT,
                        "round %d throughput (%d in flight): no-op %.0f req/s, price %.0f req/s, ratio %.2f%n",
                        r + 1,
                        concurrency,
                        throughput[0][r],
                        throughput[1][r],
                        throughput[1][r] / throughput[0][r]);
                out.printf(
                        Locale.ROOT,
                        "round %d at %d req/s: no-op %s; price %s%n",
                        r + 1,
                        rate,
                        fixed[0][r],
                        fixed[1][r]);
            }
            double noop = Arrays.stream(throughput[0]).sum();
            double price = Arrays.stream(throughput[1]).sum();
            var ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) ratios[r] = throughput[1][r] / throughput[0][r];
            Arrays.sort(ratios);
            out.printf(
                    Locale.ROOT,
                    "price-read throughput / no-op throughput: %.2f over all rounds (per round: min %.2f, "
                            + "median %.2f, max %.2f)%n",
                    price / noop,
                    ratios[0],
                    ratios[rounds / 2],
                    ratios[rounds - 1]);
        } finally {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private record Endpoint(String name, String path, String key) {
        HttpRequest request(int port, long i) {
            var r = HttpRequest.GET("http://127.0.0.1:" + port + (key == null ? path : path + (i % 1000)));
            return key == null ? r : r.addHeader(RawHeader.create("Authorization", "Bearer " + key));
        }
    }

    /** Sends a request and completes with its status once the (small) body has been read. */
    private record Client(Http http, ActorSystem<?> system) {
        CompletableFuture<Integer> send(HttpRequest request) {
            return http.singleRequest(request)
                    .thenCompose(r -> r.entity()
                            .discardBytes(system)
                            .completionStage()
                            .thenApply(done -> r.status().intValue()))
                    .toCompletableFuture();
        }
    }

    /** Latency figures of one fixed-rate phase, in milliseconds. */
    private record Latency(double p50, double p99, double max, long sent, long failed) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d requests, %d failed)",
                    p50,
                    p99,
                    max,
                    sent,
                    failed);
        }
    }

    /** Requests per second with {@code concurrency} in flight for {@code secs} seconds. */
    private double closedLoop(Client client, int port, Endpoint e, int secs) throws InterruptedException {
        var inFlight = new Semaphore(concurrency);
        var done = new AtomicLong();
        var failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(secs);
        long i = 0;
        while (System.nanoTime() < end) {
            if (!inFlight.tryAcquire(10, TimeUnit.MILLISECONDS)) continue;
            client.send(e.request(port, i++)).whenComplete((status, t) -> {
                if (t != null || status != 200) failed.incrementAndGet();
                else done.incrementAndGet();
                inFlight.release();
            });
        }
        long elapsed = System.nanoTime() - start;
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
        if (failed.get() > 0) throw new IllegalStateException(failed.get() + " " + e.name() + " requests failed");
        return done.get() / (elapsed / 1e9);
    }

    /** Sends at {@code rate} per second for {@code secs}; latency from each request's scheduled start. */
    private Latency fixedRate(Client client, int port, Endpoint e, int secs) throws Exception {
        long n = (long) rate * secs;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        var latencies = new ConcurrentLinkedQueue<Long>();
        var failed = new AtomicLong();
        var all = new ArrayList<CompletableFuture<?>>();
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            all.add(client.send(e.request(port, i)).whenComplete((status, t) -> {
                if (t != null || status != 200) failed.incrementAndGet();
                else latencies.add(System.nanoTime() - scheduled);
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .exceptionally(t -> null)
                .get(60, TimeUnit.SECONDS);
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (l.length == 0) throw new IllegalStateException("every " + e.name() + " request failed");
        return new Latency(ms(pct(l, 50)), ms(pct(l, 99)), ms(l[l.length - 1]), n, failed.get());
    }

    private static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }
}

package io.kairos.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench soak}: a dev node under mixed load (behaviour events, offer decisions, orders, price reads) at
 * {@code --load} of its capacity for {@code --minutes}; per window prints the rate, the statuses, p50/p99 and the
 * node's used heap after a full GC. Issue 18's goal: heap after GC flat (last windows within 10 % of the first after
 * the warm-up), p99 flat, no errors.
 *
 * <p>Starts its own Cassandra and node (a catalogue of 100 SKUs, a campaign, {@code --shoppers} shoppers with a
 * profile). The capacity of the mix is measured closed-loop (32 in flight) after a warm-up; the soak is an open loop at
 * the fixed rate, latency from each request's scheduled time. The reference in the same run: the node's no-op
 * {@code GET /alive} p99, measured alone before the soak, against which each window's p99 is also printed.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Mixed load (events, decisions, orders, price reads) at a share of capacity for minutes; prints per window"
                    + " the rate, statuses, p50/p99 and heap after GC, and whether they stayed flat."
        })
final class SoakCommand implements Callable<Integer> {
    /** The open loop sends what is due every this many milliseconds. */
    private static final int TICK_MS = 5;

    @Option(names = "--minutes", defaultValue = "30", description = "Length of the soak.")
    int minutes;

    @Option(names = "--load", defaultValue = "0.5", description = "Offered rate ÷ the mix's capacity.")
    double load;

    @Option(names = "--window-seconds", defaultValue = "60", description = "Length of a reported window.")
    int windowSeconds;

    @Option(names = "--shoppers", defaultValue = "5000", description = "Shoppers the load spreads over.")
    int shoppers;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4))
            .build();
    private final AtomicLong orders = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("soak");
        System.out.printf(
                "Kairos soak benchmark; run directory %s%nnproc %d, load average %s; %d min at %.0f %% of capacity%n",
                dir, Runtime.getRuntime().availableProcessors(), CpuMeter.loadAverage(), minutes, load * 100);
        try (var stack = BenchStack.start(root.resolve("kairos"), dir, Optional.ofNullable(nodeJavaOpts))) {
            BenchShop.open(stack, http, "soak", shoppers);
            var report = new StringBuilder();
            double noopP99 = noopP99(stack);
            closedLoop(stack, Duration.ofSeconds(20)); // warm-up
            double capacity = closedLoop(stack, Duration.ofSeconds(30));
            report.append("mix capacity (closed loop, 32 in flight): %.1f req/s; no-op GET /alive p99 %.2f ms%n"
                    .formatted(capacity, noopP99));
            System.out.print(report);
            soak(stack, capacity * load, noopP99, report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    /** One request of the mix: 50 % events, 20 % decisions, 10 % orders, 20 % price reads. */
    private HttpRequest next(BenchStack stack) {
        var random = ThreadLocalRandom.current();
        var shopper = "soak-" + random.nextInt(shoppers);
        int sku = random.nextInt(100);
        int kind = random.nextInt(10);
        var builder = HttpRequest.newBuilder()
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + stack.apiKey())
                .header("Content-Type", "application/json");
        if (kind < 5) {
            var body =
                    "{\"events\":[{\"eventId\":\"soak-e-%d\",\"shopperId\":\"%s\",\"type\":\"%s\",\"sku\":\"sku-%d\","
                                    .formatted(
                                            events.incrementAndGet(), shopper, kind < 4 ? "view" : "add_to_cart", sku)
                            + "\"occurredAt\":\"" + Instant.now().minusSeconds(1) + "\"}]}";
            return builder.uri(stack.api().resolve("/v1/events"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }
        if (kind < 7)
            return builder.uri(stack.api().resolve("/v1/shoppers/" + shopper + "/offers/decide"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
        if (kind < 8) {
            var body =
                    "{\"orderId\":\"soak-o-%d\",\"shopperId\":\"%s\",\"items\":[{\"sku\":\"sku-%d\",\"quantity\":1}]}"
                            .formatted(orders.incrementAndGet(), shopper, sku);
            return builder.uri(stack.api().resolve("/v1/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }
        return builder.uri(stack.api().resolve("/v1/prices/sku-" + sku)).GET().build();
    }

    /** Answers per second (2xx) of the mix with 32 requests in flight. */
    private double closedLoop(BenchStack stack, Duration length) throws Exception {
        var ok = new LongAdder();
        long end = System.nanoTime() + length.toNanos();
        var pool = Executors.newFixedThreadPool(32);
        var workers = new ArrayList<java.util.concurrent.Future<?>>();
        for (int w = 0; w < 32; w++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    var r = http.send(next(stack), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 == 2) ok.increment();
                    else if (r.statusCode() == 503) Thread.sleep(10);
                }
                return null;
            }));
        }
        for (var w : workers) w.get();
        pool.shutdown();
        return ok.sum() / (length.toNanos() / 1e9);
    }

    private double noopP99(BenchStack stack) throws Exception {
        var alive = HttpRequest.newBuilder(URI.create(stack.management() + "/alive"))
                .GET()
                .build();
        var latencies = new long[500];
        for (int i = 0; i < latencies.length; i++) {
            long start = System.nanoTime();
            http.send(alive, HttpResponse.BodyHandlers.discarding());
            latencies[i] = System.nanoTime() - start;
        }
        Arrays.sort(latencies);
        return latencies[(int) Math.ceil(latencies.length * 0.99) - 1] / 1e6;
    }

    /** The open loop at {@code rate}, one line per window, and the verdict. */
    private void soak(BenchStack stack, double rate, double noopP99, StringBuilder report) throws Exception {
        var header =
                "window  offered/s  answered/s  p50 ms   p99 ms  p99/no-op  heap after GC MiB  statuses%n".formatted();
        report.append(header);
        System.out.print(header);
        var windows = new ArrayList<Window>();
        int count = minutes * 60 / windowSeconds;
        var ticker = Executors.newSingleThreadScheduledExecutor();
        for (int w = 0; w < count; w++) {
            var window = new Window(w + 1);
            long start = System.nanoTime();
            long due = (long) (rate * windowSeconds);
            var sent = new AtomicLong();
            var task = ticker.scheduleAtFixedRate(
                    () -> {
                        long elapsed = System.nanoTime() - start;
                        // the requests scheduled by now (request i at i ÷ rate), not one interval later
                        long dueNow = Math.min(due, (long) (rate * elapsed / 1e9) + 1);
                        while (sent.get() < dueNow) {
                            long i = sent.getAndIncrement();
                            long scheduled = start + (long) (i * 1e9 / rate);
                            http.sendAsync(next(stack), HttpResponse.BodyHandlers.discarding())
                                    .whenComplete((r, e) -> window.answer(scheduled, r, e));
                        }
                    },
                    0,
                    TICK_MS,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(windowSeconds * 1000L);
            task.cancel(false);
            window.offered = sent.get();
            window.heapMiB = stack.heapAfterGc(http) / (1024.0 * 1024.0);
            windows.add(window);
            var line = window.line(windowSeconds, noopP99);
            report.append(line);
            System.out.print(line);
        }
        ticker.shutdownNow();
        Thread.sleep(5_000); // the last window's answers
        var verdict = verdict(windows);
        report.append(verdict);
        System.out.print(verdict);
    }

    /**
     * Flat or not: the heap after GC and the p99 of the last fifth of the windows against the windows after the first
     * fifth (the warm-up: caches, JIT, entities coming into memory); errors are every answer that is not 2xx.
     */
    private static String verdict(List<Window> windows) {
        int n = windows.size();
        int fifth = Math.max(1, n / 5);
        var early = windows.subList(Math.min(fifth, n - 1), Math.min(2 * fifth, n));
        var late = windows.subList(Math.max(0, n - fifth), n);
        double heapEarly = early.stream().mapToDouble(w -> w.heapMiB).average().orElse(Double.NaN);
        double heapLate = late.stream().mapToDouble(w -> w.heapMiB).average().orElse(Double.NaN);
        double p99Early = early.stream().mapToDouble(Window::p99).average().orElse(Double.NaN);
        double p99Late = late.stream().mapToDouble(Window::p99).average().orElse(Double.NaN);
        long errors = windows.stream().mapToLong(Window::errors).sum();
        long answered = windows.stream().mapToLong(w -> w.latencies.size()).sum();
        return ("heap after GC: %.1f MiB early, %.1f MiB late, growth %+.1f %% (goal <= 10 %%)%n"
                        + "p99: %.1f ms early, %.1f ms late, ratio %.2f%n"
                        + "answers: %d, errors (not 2xx, or no answer): %d (goal 0)%n")
                .formatted(
                        heapEarly,
                        heapLate,
                        100 * (heapLate / heapEarly - 1),
                        p99Early,
                        p99Late,
                        p99Late / p99Early,
                        answered,
                        errors);
    }

    /** What one window's requests got, by the time it is reported. */
    private static final class Window {
        final int number;
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        long offered;
        double heapMiB;

        Window(int number) {
            this.number = number;
        }

        void answer(long scheduled, HttpResponse<?> r, Throwable e) {
            latencies.add(System.nanoTime() - scheduled);
            var key = e != null ? e.getClass().getSimpleName() : Integer.toString(r.statusCode());
            statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        long errors() {
            return statuses.entrySet().stream()
                    .filter(s -> !s.getKey().startsWith("2"))
                    .mapToLong(s -> s.getValue().sum())
                    .sum();
        }

        private long[] sorted() {
            return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        double p99() {
            var sorted = sorted();
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
        }

        String line(int seconds, double noopP99) {
            var sorted = sorted();
            var counts = new TreeMap<String, Long>();
            statuses.forEach((k, v) -> counts.put(k, v.sum()));
            double p50 = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2] / 1e6;
            return "%6d  %9.1f  %10.1f  %6.1f  %7.1f  %9.1f  %17.1f  %s%n"
                    .formatted(
                            number,
                            offered / (double) seconds,
                            sorted.length / (double) seconds,
                            p50,
                            p99(),
                            p99() / noopP99,
                            heapMiB,
                            counts);
        }
    }
}

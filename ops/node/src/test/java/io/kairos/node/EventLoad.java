package io.kairos.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A client of the cluster that streams behaviour events like a retailer's event pipeline would: each worker owns a set
 * of shoppers, sends small batches with fresh event ids to the nodes in turn, and re-sends a batch (to the next node)
 * until it is acknowledged with 202, exactly what the API asks of clients after a 503 or a lost connection.
 *
 * <p>What it records is what the failure tests check: every event id acknowledged per shopper, every response status,
 * whether each 503 carried {@code Retry-After}, and the slowest response.
 */
final class EventLoad {
    private static final int EVENTS_PER_SHOPPER_PER_BATCH = 3;
    private static final int SHOPPERS_PER_BATCH = 2;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Integer> httpPorts;
    private final String key;
    private final List<String> shoppers;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile long giveUpAt = Long.MAX_VALUE;
    private final IntSupplier nextNode;

    final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final AtomicInteger connectionFailures = new AtomicInteger();
    final AtomicInteger unavailableWithoutRetryAfter = new AtomicInteger();
    final AtomicInteger batchesAcknowledged = new AtomicInteger();
    final AtomicInteger batchesAbandoned = new AtomicInteger();
    final AtomicLong slowestResponseMillis = new AtomicLong();

    EventLoad(List<Integer> httpPorts, String key, String run, int shopperCount, int workerCount) {
        this.httpPorts = List.copyOf(httpPorts);
        this.key = key;
        var ids = new ArrayList<String>();
        for (int i = 0; i < shopperCount; i++) ids.add(run + "-shopper-" + i);
        this.shoppers = List.copyOf(ids);
        var counter = new AtomicInteger();
        this.nextNode = () -> Math.floorMod(counter.getAndIncrement(), this.httpPorts.size());
        for (int w = 0; w < workerCount; w++) {
            var mine = new ArrayList<String>();
            for (int i = w; i < shopperCount; i += workerCount) mine.add(ids.get(i));
            var worker = new Thread(() -> run(run, mine), "event-load-" + w);
            worker.setDaemon(true);
            workers.add(worker);
        }
    }

    List<String> shoppers() {
        return shoppers;
    }

    EventLoad start() {
        workers.forEach(Thread::start);
        return this;
    }

    int acknowledgedEvents() {
        return acknowledged.values().stream().mapToInt(Set::size).sum();
    }

    int count(int status) {
        var n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** Stops sending new batches; a batch in flight is re-sent until acknowledged or {@code deadline} passes. */
    void stop(Duration deadline) throws InterruptedException {
        giveUpAt = System.nanoTime() + deadline.toNanos();
        stopping.set(true);
        for (var w : workers) w.join(deadline.toMillis() + 20_000);
    }

    private void run(String run, List<String> mine) {
        long sequence = 0;
        int turn = 0;
        while (!stopping.get()) {
            var batch = new ArrayList<String[]>();
            for (int s = 0; s < SHOPPERS_PER_BATCH; s++) {
                var shopper = mine.get(turn++ % mine.size());
                for (int e = 0; e < EVENTS_PER_SHOPPER_PER_BATCH; e++)
                    batch.add(new String[] {shopper, shopper + "-e" + sequence++});
            }
            if (!sendUntilAcknowledged(batch)) {
                batchesAbandoned.incrementAndGet();
                return;
            }
        }
    }

    private boolean sendUntilAcknowledged(List<String[]> batch) {
        var body = new StringBuilder("{\"events\":[");
        var at = Instant.now().minusSeconds(60);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) body.append(',');
            body.append("{\"eventId\":\"")
                    .append(batch.get(i)[1])
                    .append("\",\"shopperId\":\"")
                    .append(batch.get(i)[0])
                    .append("\",\"type\":\"")
                    .append(i % 3 == 0 ? "add_to_cart" : "view")
                    .append("\",\"category\":\"c")
                    .append(i % 4)
                    .append("\",\"occurredAt\":\"")
                    .append(at)
                    .append("\"}");
        }
        body.append("]}");
        while (System.nanoTime() < giveUpAt) {
            int port = httpPorts.get(nextNode.getAsInt());
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            long started = System.nanoTime();
            try {
                var response = client.send(request, HttpResponse.BodyHandlers.ofString());
                slowestResponseMillis.accumulateAndGet(
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Math::max);
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                        .incrementAndGet();
                if (response.statusCode() == 202) {
                    for (var e : batch)
                        acknowledged
                                .computeIfAbsent(e[0], s -> ConcurrentHashMap.newKeySet())
                                .add(e[1]);
                    batchesAcknowledged.incrementAndGet();
                    return true;
                }
                if (response.statusCode() == 503
                        && response.headers().firstValue("Retry-After").isEmpty()) {
                    unavailableWithoutRetryAfter.incrementAndGet();
                }
            } catch (IOException e) {
                connectionFailures.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "EventLoad[acknowledged events " + acknowledgedEvents() + ", batches " + batchesAcknowledged
                + ", abandoned "
                + batchesAbandoned + ", statuses " + statuses + ", connection failures " + connectionFailures
                + ", slowest " + slowestResponseMillis + " ms]";
    }
}

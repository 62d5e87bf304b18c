package io.kairos.dispatch;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint for webhook tests: records every request and answers with the status set in {@link #status}. */
final class WebhookReceiver implements AutoCloseable {
    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    final AtomicInteger status = new AtomicInteger(200);
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
    private final HttpServer server;

    WebhookReceiver() throws java.io.IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            var r = new Received(
                    Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes());
            received.add(r);
            var key = r.header(WebhookChannel.IDEMPOTENCY_HEADER);
            if (key != null)
                byKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.kairos.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kairos.node.OpenApiRequests.FuzzRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one generated request to the node, over {@link HttpClient} or, for what that client refuses to send (invalid
 * request-targets, control characters or non-ASCII in headers), over a plain socket; and checks the answer: never a
 * 5xx; every 4xx an {@code application/problem+json} whose {@code status} is the HTTP status and which has a
 * {@code type} and a {@code title}; and the status the request expects, when it expects one. A Server-Sent Events
 * answer is checked by its headers only (the stream never ends). Failures are collected, never thrown.
 */
final class FuzzExchange {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_BODY = 4 << 20;

    /** An answer, or the error that stood in for one. */
    record Answer(int status, String contentType, String body, String etag, String error) {}

    private final int port;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> failuresByProblem = new ConcurrentHashMap<>();
    /** By operation label: requests per kind (valid, boundary, malformed) and per status. */
    final Map<String, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();

    final AtomicInteger sent = new AtomicInteger();

    FuzzExchange(int port) {
        this.port = port;
    }

    Answer exchange(FuzzRequest q) {
        long started = System.nanoTime();
        var answer = send(q);
        sent.incrementAndGet();
        var byOp = counts.computeIfAbsent(q.op().label(), k -> new ConcurrentHashMap<>());
        byOp.computeIfAbsent("millis", k -> new AtomicInteger())
                .addAndGet((int) ((System.nanoTime() - started) / 1_000_000));
        byOp.computeIfAbsent(q.kind().name(), k -> new AtomicInteger()).incrementAndGet();
        byOp.computeIfAbsent("status " + answer.status(), k -> new AtomicInteger())
                .incrementAndGet();
        var problems = problems(q, answer);
        if (!problems.isEmpty()) {
            problems.forEach(p -> failuresByProblem
                    .computeIfAbsent(p.replaceAll(" \\(.*", ""), k -> new AtomicInteger())
                    .incrementAndGet());
            failures.add(String.join("; ", problems) + "\n    " + describe(q, answer));
        }
        return answer;
    }

    private static List<String> problems(FuzzRequest q, Answer a) {
        var problems = new ArrayList<String>();
        if (a.error() != null) {
            problems.add("no answer (" + a.error() + ")");
            return problems;
        }
        int s = a.status();
        if (s == 503 && a.body().contains("overloaded")) problems.add("503 overloaded (admission control)");
        else if (s >= 500) problems.add("5xx (" + s + ")");
        if (q.expect() > 0 && s != q.expect()) problems.add("expected " + q.expect() + " (got " + s + ")");
        if (q.expect() == -1 && (s < 400 || s >= 500)) problems.add("expected a 4xx (got " + s + ")");
        if (s >= 400 && s < 500) {
            if (!a.contentType().toLowerCase(Locale.ROOT).startsWith("application/problem+json"))
                problems.add("4xx not problem+json (" + s + " " + a.contentType() + ")");
            else if (!q.method().equals("HEAD")) {
                try {
                    var p = SchemaValues.JSON.readTree(a.body());
                    if (p == null
                            || !p.isObject()
                            || p.path("status").asInt(-1) != s
                            || !p.path("type").isTextual()
                            || !p.path("title").isTextual())
                        problems.add("problem body without status " + s + ", type and title");
                } catch (IOException e) {
                    problems.add("problem body is not JSON");
                }
            }
        }
        return problems;
    }

    private Answer send(FuzzRequest q) {
        // Bodies over the limit go over a socket: the node may answer 413 and close before reading them all.
        if (q.body() != null && q.body().length > (1 << 20)) return raw(q);
        HttpRequest request;
        try {
            var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + q.target()))
                    .timeout(TIMEOUT)
                    .method(
                            q.method(),
                            q.body() == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(q.body()));
            for (var h : q.headers()) builder.header(h.getKey(), h.getValue());
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return raw(q);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                var response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                var type = response.headers().firstValue("Content-Type").orElse("");
                try (var in = response.body()) {
                    var body = type.startsWith("text/event-stream") ? "" : new String(in.readNBytes(MAX_BODY), UTF_8);
                    var etag = response.headers().firstValue("ETag").orElse(null);
                    return new Answer(response.statusCode(), type, body, etag, null);
                }
            } catch (IOException e) {
                // once more at once: a pooled connection the node had closed; not after a timeout
                if (attempt == 2 || e instanceof HttpTimeoutException)
                    return new Answer(-1, "", "", null, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(-1, "", "", null, e.toString());
            }
        }
    }

    /** HTTP/1.1 over a socket, written as given (UTF-8), one request per connection. */
    private Answer raw(FuzzRequest q) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            var head = new StringBuilder()
                    .append(q.method())
                    .append(' ')
                    .append(q.target())
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(port)
                    .append("\r\nConnection: close\r\n");
            for (var h : q.headers())
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            if (q.body() != null)
                head.append("Content-Length: ").append(q.body().length).append("\r\n");
            head.append("\r\n");
            try {
                var out = socket.getOutputStream();
                out.write(head.toString().getBytes(UTF_8));
                if (q.body() != null) out.write(q.body());
                out.flush();
            } catch (IOException e) {
                // the node may answer and close before the body is all sent: read what it answered
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            return new Answer(-1, "", "", null, e.toString());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int b;
        int last4 = 0;
        while (last4 != 0x0D0A0D0A && (b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        var lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 ")) throw new IOException("no status line: " + head);
        int status = Integer.parseInt(lines[0].substring(9, 12));
        var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0)
                headers.put(
                        lines[i].substring(0, colon),
                        lines[i].substring(colon + 1).trim());
        }
        var type = headers.getOrDefault("Content-Type", "");
        if (type.startsWith("text/event-stream")) return new Answer(status, type, "", null, null);
        byte[] body;
        if (headers.containsKey("Content-Length"))
            body = in.readNBytes(Integer.parseInt(headers.get("Content-Length")));
        else if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) body = chunks(in);
        else body = in.readNBytes(MAX_BODY);
        return new Answer(status, type, new String(body, UTF_8), headers.get("ETag"), null);
    }

    private static byte[] chunks(InputStream in) throws IOException {
        var body = new ByteArrayOutputStream();
        while (body.size() < MAX_BODY) {
            var line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') if (b != '\r') line.append((char) b);
            int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) break;
            body.write(in.readNBytes(size));
            in.readNBytes(2);
        }
        return body.toByteArray();
    }

    static String describe(FuzzRequest q, Answer a) {
        var headers = new StringBuilder();
        for (var h : q.headers())
            headers.append(h.getKey())
                    .append(": ")
                    .append(abbreviate(h.getValue(), 60))
                    .append("; ");
        var body = q.body() == null ? "(none)" : abbreviate(new String(q.body(), UTF_8), 200);
        return "%s [%s: %s] %s %s -> %s %s | headers: %s| body: %s | answer: %s"
                .formatted(
                        q.op().id(),
                        q.kind().name().toLowerCase(Locale.ROOT),
                        q.what(),
                        q.method(),
                        abbreviate(q.target(), 200),
                        a.error() != null ? "no answer" : Integer.toString(a.status()),
                        a.contentType(),
                        headers,
                        body,
                        abbreviate(Optional.ofNullable(a.error()).orElse(a.body()), 300));
    }

    static String abbreviate(String s, int max) {
        var printable = s.replaceAll("[\\p{Cntrl}&&[^\n]]", "\uFFFD").replace("\n", "\\n");
        return printable.length() > max ? printable.substring(0, max) + "...(" + s.length() + " chars)" : printable;
    }
}

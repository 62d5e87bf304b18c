package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.offer.PriceLookup;
import io.kairos.offer.PriceSource;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.SealedJournals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A real Kairos node for integration tests: the shared test Cassandra node, keyspaces of the test's own (created from
 * ops/cassandra/*.cql), free ports for HTTP, management and remoting, and an HTTP client with the admin key.
 */
final class NodeHarness implements AutoCloseable {
    static final String ADMIN_KEY = "admin-key-for-tests";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    final SchemaSettings schema;
    final ActorSystem<Void> system;
    final int httpPort;
    final int managementPort;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeHarness(SchemaSettings schema, ActorSystem<Void> system, int httpPort, int managementPort) {
        this.schema = schema;
        this.system = system;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /**
     * A journal's events as the node's read sides read them: a shopper's ({@code Shopper|<id>}) found by the shopper id
     * and opened ({@link SealedJournals}), any other as stored.
     */
    List<EventEnvelope> journal(String persistenceId) throws Exception {
        var cassandra = PersistenceQuery.get(system)
                .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
        return SealedJournals.bySubject(
                        PersonKeys.get(system),
                        (pid, from) -> cassandra.currentEventsByPersistenceId(pid, from, Long.MAX_VALUE))
                .apply(persistenceId, 0L)
                .runWith(Sink.seq(), system)
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /** The journal's events by tag as the node's read sides read them: shopper events opened, under their ids. */
    CurrentEventsByTagQuery tags() {
        return SealedJournals.byTag(
                PersonKeys.get(system),
                PersistenceQuery.get(system)
                        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier()));
    }

    static SchemaSettings freshSchema(String prefix) {
        return TestCassandra.shared().createSchema(prefix);
    }

    static NodeHarness start(SchemaSettings schema) throws Exception {
        return start(schema, null, ConfigFactory.empty());
    }

    /** A node with {@code extraConfig} (HOCON) over the test settings, e.g. shorter pricing cadences. */
    static NodeHarness start(SchemaSettings schema, String extraConfig) throws Exception {
        return start(schema, null, ConfigFactory.parseString(extraConfig));
    }

    /**
     * A node on the schema's keyspaces; checkout and orders use {@code prices} (null: the node's own price view);
     * {@code extra} overrides the test defaults. Projections and wake-ups are tuned for tests (events-by-tag delay 200
     * ms, sweeps every second); models come from the (empty) store in the schema's Kairos keyspace.
     */
    static NodeHarness start(SchemaSettings schema, PriceLookup prices, Config extra) throws Exception {
        int http = DevCassandra.freePort();
        int management = DevCassandra.freePort();
        var overrides = extra.withFallback(ConfigFactory.parseString(
                """
        kairos.http.port = %d
        kairos.http.api-keys = "admin=%s,ingest=ingest-key-for-tests"
        akka.management.http.port = %d
        akka.remote.artery.canonical.port = 0
        akka.persistence.cassandra.journal.keyspace = %s
        akka.persistence.cassandra.snapshot.keyspace = %s
        kairos.models.keyspace = %s
        akka.projection.cassandra.offset-store.keyspace = %s
        kairos.offers.cassandra.keyspace = %s
        akka.persistence.cassandra.events-by-tag.eventual-consistency-delay = 200ms
        akka.persistence.cassandra.query.refresh-interval = 500ms
        kairos.offers.wakeups.sweep-interval = 1s
        kairos.tracking.secret = "node-tests-tracking-secret-0123456789abcdef"
        kairos.privacy.lookup-secret = "node-tests-privacy-secret-0123456789abcdef"
        kairos.tracking.allowed-redirect-hosts = "shop.example"
        # The node tests run without a trained model; they were written for 5 percent exploration, not the cold start
        # share (a "no offer" draw leaves a shopper without the offer a scenario goes on with). Cold start: OffersIT.
        kairos.offers.exploration.cold-start = 0.05
        akka.coordinated-shutdown.exit-jvm = off
        akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        """
                        .formatted(
                                http,
                                ADMIN_KEY,
                                management,
                                schema.journalKeyspace(),
                                schema.snapshotKeyspace(),
                                schema.kairosKeyspace(),
                                schema.kairosKeyspace(),
                                schema.kairosKeyspace())));
        var config =
                KairosNode.config("production", List.of(TestCassandra.shared().contactPoint()), overrides);
        var system = ActorSystem.<Void>create(akka.actor.typed.javadsl.Behaviors.empty(), "kairos", config);
        ServerBinding binding = (prices == null
                        ? KairosNode.init(system)
                        : KairosNode.init(system, PriceSource.of(prices)))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        return new NodeHarness(schema, system, binding.localAddress().getPort(), management);
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** A request to {@code path} with the admin key. */
    HttpRequest.Builder request(String path, Duration timeout) {
        return AdminRequests.to(httpPort, path, ADMIN_KEY, timeout);
    }

    /**
     * Sends {@code request} and, as the README tells clients to, re-sends it after a 503 (admission control's refusal
     * or a timeout) once {@code Retry-After} seconds have passed, with jitter, up to {@code attempts} times in all. A
     * connection that closed before any answer (a pooled keep-alive connection the node closed after its 60 s
     * {@code idle-timeout}) is re-sent at once: callers send only idempotent requests (an order id, an
     * {@code Idempotency-Key}).
     */
    CompletableFuture<HttpResponse<String>> sendRetrying(HttpRequest request, int attempts) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((r, failure) -> {
                    if (failure != null) {
                        if (attempts <= 1 || !(unwrap(failure) instanceof java.io.IOException)) {
                            return CompletableFuture.<HttpResponse<String>>failedFuture(failure);
                        }
                        return sendRetrying(request, attempts - 1);
                    }
                    if (r.statusCode() != 503 || attempts <= 1) return CompletableFuture.completedFuture(r);
                    long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
                    long delay = (long) (seconds
                            * 1000
                            * (0.5
                                    + java.util.concurrent.ThreadLocalRandom.current()
                                            .nextDouble()));
                    return CompletableFuture.supplyAsync(
                                    () -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                            .thenCompose(x -> sendRetrying(request, attempts - 1));
                })
                .thenCompose(f -> f);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, json);
    }

    HttpResponse<String> put(String path, String json) throws Exception {
        return send("PUT", path, json);
    }

    HttpResponse<String> patch(String path, String json) throws Exception {
        return send("PATCH", path, json);
    }

    HttpResponse<String> delete(String path) throws Exception {
        return client.send(request(path, TIMEOUT).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path, TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return client.send(
                request(path, TIMEOUT)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Asks the shopper's decision until its wallet holds {@code count} offers and returns them: a campaign reaches a
     * node's catalogue through Distributed Data, so the first requests may find none to issue.
     */
    JsonNode awaitOffers(String shopperId, int count) {
        var offers = new AtomicReference<JsonNode>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    offers.set(JSON.readTree(post("/v1/shoppers/" + shopperId + "/offers/decide", "")
                                    .body())
                            .path("offers"));
                    return offers.get().size() == count;
                });
        return offers.get();
    }

    HttpResponse<String> management(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

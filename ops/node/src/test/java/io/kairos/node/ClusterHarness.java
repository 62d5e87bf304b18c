package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.DevCassandraSettings;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.SealedJournals;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * One real cluster for the failure tests, booted once: a Cassandra node of its own (the tests stop and restart it), the
 * schema in keyspaces of its own, and a {@link LocalCluster} of node JVMs exactly as {@code kairos cluster} starts
 * them, except that a NetCrusher TCP proxy sits in front of every node's Artery port (nodes advertise the proxy), so a
 * test can cut a node off the others. Reads the journal back through the read journal (events) and CQL (raw sequence
 * numbers) to check what the nodes acknowledged.
 */
final class ClusterHarness {
    static final String INGEST_KEY = "it-ingest-key";
    static final String ADMIN_KEY = "it-admin-key";
    private static final ObjectMapper mapper = new ObjectMapper();

    final Path workDir;
    final DevCassandraSettings cassandraSettings;
    volatile DevCassandra cassandra;
    final SchemaSettings schema;
    final LocalCluster cluster;
    private final TcpCrusher[] proxies;
    private final NodeIsolation isolation;
    private final NioReactor reactor;
    private static final String PRIVACY_SECRET = "cluster-tests-privacy-secret-0123456789abcdef";

    private final ActorSystem<Void> reader;
    private final CqlSession session;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ClusterHarness(
            Path workDir,
            DevCassandraSettings cassandraSettings,
            DevCassandra cassandra,
            SchemaSettings schema,
            LocalCluster cluster,
            TcpCrusher[] proxies,
            NodeIsolation isolation,
            NioReactor reactor,
            ActorSystem<Void> reader,
            CqlSession session) {
        this.workDir = workDir;
        this.cassandraSettings = cassandraSettings;
        this.cassandra = cassandra;
        this.schema = schema;
        this.cluster = cluster;
        this.proxies = proxies;
        this.isolation = isolation;
        this.reactor = reactor;
        this.reader = reader;
        this.session = session;
    }

    static ClusterHarness start(int nodes) throws Exception {
        return start(nodes, Map.of());
    }

    /** As {@link #start(int)}, with extra environment variables for every node (e.g. a channel's endpoint). */
    static ClusterHarness start(int nodes, Map<String, String> extraEnv) throws Exception {
        var basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        var workDir = basedir.resolve("target/cluster-it");
        Files.createDirectories(workDir);
        DevCassandraSettings settings = null;
        DevCassandra cassandra = null;
        for (int attempt = 1; cassandra == null; attempt++) {
            settings = DevCassandraSettings.defaults(workDir.resolve(
                            "cassandra-" + ProcessHandle.current().pid()))
                    .withFreePorts()
                    .withMaxHeap("512m")
                    .withMemtableSpaceMiB(64);
            try {
                cassandra = DevCassandra.start(settings);
            } catch (DevCassandra.PortInUseException e) {
                if (attempt == 3) throw e;
            }
        }
        var schema = SchemaSettings.isolated("cluster");
        var session = CassandraSchema.openSession(cassandra.contactPoint());
        CassandraSchema.apply(session, schema);

        var reactor = new NioReactor();
        var isolation = new NodeIsolation();
        var ports = new ArrayList<LocalCluster.Ports>();
        var proxies = new TcpCrusher[nodes];
        for (int i = 0; i < nodes; i++) {
            var p = new LocalCluster.Ports(
                    DevCassandra.freePort(), DevCassandra.freePort(), DevCassandra.freePort(), DevCassandra.freePort());
            proxies[i] = TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress("127.0.0.1", p.advertisedRemote())
                    .withConnectAddress("127.0.0.1", p.remote())
                    .withIncomingTransformFilterFactory(isolation.filters())
                    .withOutgoingTransformFilterFactory(isolation.filters())
                    .buildAndOpen();
            ports.add(p);
        }
        var classpath = nodeClasspath(basedir);
        var env = new java.util.HashMap<>(Map.of(
                "KAIROS_API_KEYS",
                "ingest=" + INGEST_KEY + ",admin=" + ADMIN_KEY,
                "KAIROS_TRACKING_SECRET",
                "cluster-tests-tracking-secret-0123456789abcdef",
                "KAIROS_PRIVACY_SECRET",
                PRIVACY_SECRET,
                "KAIROS_JOURNAL_KEYSPACE",
                schema.journalKeyspace(),
                "KAIROS_SNAPSHOT_KEYSPACE",
                schema.snapshotKeyspace(),
                "KAIROS_KEYSPACE",
                schema.kairosKeyspace(),
                "KAIROS_SHUTDOWN_DRAIN",
                "3s",
                "KAIROS_LOG_FORMAT",
                "text"));
        env.putAll(extraEnv);
        var jvm =
                Arrays.stream(ClusterCommand.DEFAULT_NODE_JAVA_OPTS.split(" ")).toList();
        var spec = new LocalCluster.Spec(
                ports,
                List.of(cassandra.contactPoint()),
                workDir.resolve("logs"),
                classpath,
                "production",
                jvm,
                env,
                Duration.ofSeconds(60));
        var cluster = LocalCluster.start(spec);

        var readerConfig = ConfigFactory.parseString(
                """
        akka.actor.provider = local
        akka.persistence.cassandra.journal.keyspace = %s
        akka.persistence.cassandra.snapshot.keyspace = %s
        kairos.offers.cassandra.keyspace = %s
        kairos.privacy.lookup-secret = "%s"
        akka.coordinated-shutdown.exit-jvm = off
        akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        """
                        .formatted(
                                schema.journalKeyspace(),
                                schema.snapshotKeyspace(),
                                schema.kairosKeyspace(),
                                PRIVACY_SECRET));
        var reader = ActorSystem.<Void>create(
                Behaviors.empty(),
                "journal-reader",
                KairosNode.config("production", List.of(cassandra.contactPoint()), readerConfig));
        var harness = new ClusterHarness(
                workDir, settings, cassandra, schema, cluster, proxies, isolation, reactor, reader, session);
        cluster.awaitReady(Duration.ofMinutes(4));
        return harness;
    }

    int size() {
        return cluster.size();
    }

    List<Integer> httpPorts() {
        return IntStream.range(0, size()).mapToObj(i -> cluster.ports(i).http()).toList();
    }

    /**
     * Cuts {@code node} off the others in both directions: its proxy closes (nothing reaches its remoting port) and
     * every connection it opened to another node's proxy goes silent both ways (see {@link NodeIsolation}).
     */
    void partition(int node) {
        proxies[node].close();
        isolation.isolate(cluster.process(node).pid());
    }

    /** Ends every partition: all proxies open, nothing dropped. */
    void heal() {
        isolation.clear();
        for (var proxy : proxies) if (!proxy.isOpen()) proxy.open();
    }

    /** Heals any partition, starts every node that is not running and waits until all are ready. */
    void ensureAllUp() throws InterruptedException {
        heal();
        for (int i = 0; i < size(); i++) if (!cluster.isAlive(i)) cluster.startNode(i);
        cluster.awaitReady(Duration.ofMinutes(4));
        awaitMembersUp(0, size(), Duration.ofMinutes(1));
    }

    /** Waits until node {@code node} sees exactly {@code count} members, all Up, none unreachable. */
    void awaitMembersUp(int node, int count, Duration timeout) throws InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var members = members(node);
            if (members != null
                    && members.path("unreachable").isEmpty()
                    && members.path("members").size() == count) {
                boolean allUp = true;
                for (var m : members.path("members"))
                    allUp &= "Up".equals(m.path("status").asText());
                if (allUp) return;
            }
            if (System.nanoTime() > deadline)
                throw new AssertionError("node " + node + " does not see " + count + " Up members: " + members);
            Thread.sleep(500);
        }
    }

    JsonNode members(int node) {
        try {
            var r = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + cluster.ports(node).management() + "/cluster/members"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? mapper.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    int status(int port, String path) throws InterruptedException {
        try {
            return http.send(adminGet(port, path), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    String get(int port, String path) throws Exception {
        return http.send(adminGet(port, path), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * {@link #send}, re-sent after a 503 as the README tells clients to (after {@code Retry-After} seconds, at most
     * five times): for idempotent writes a test needs done while the cluster may still be moving shards after a kill.
     */
    HttpResponse<String> sendRetrying(int node, String method, String path, String json) throws Exception {
        var response = send(node, method, path, json);
        for (int attempt = 1; attempt < 5 && response.statusCode() == 503; attempt++) {
            Thread.sleep(
                    1000 * response.headers().firstValueAsLong("Retry-After").orElse(1));
            response = send(node, method, path, json);
        }
        return response;
    }

    /** Sends {@code json} to node {@code node}'s API with the admin key (one attempt, a 10 s timeout). */
    HttpResponse<String> send(int node, String method, String path, String json) throws Exception {
        var body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return http.send(
                AdminRequests.to(cluster.ports(node).http(), path, ADMIN_KEY, Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .method(method, body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest adminGet(int port, String path) {
        return AdminRequests.to(port, path, ADMIN_KEY, Duration.ofSeconds(10))
                .GET()
                .build();
    }

    /**
     * Asks the given nodes for every shopper until each has answered 200 once; returns how long that took. Requests go
     * out in parallel, each bounded by the API's own ask timeout.
     */
    Duration awaitAllShoppersAnswer(List<String> shoppers, List<Integer> nodes, Duration timeout)
            throws InterruptedException {
        long started = System.nanoTime();
        var pending = ConcurrentHashMap.<String>newKeySet();
        pending.addAll(shoppers);
        int round = 0;
        while (!pending.isEmpty()) {
            if (System.nanoTime() - started > timeout.toNanos()) {
                throw new AssertionError(pending.size() + " shoppers still not answering after " + timeout + ", e.g. "
                        + pending.iterator().next());
            }
            var calls = new ArrayList<CompletableFuture<?>>();
            int r = round++;
            for (var id : List.copyOf(pending)) {
                int port = cluster.ports(nodes.get(Math.floorMod(id.hashCode() + r, nodes.size())))
                        .http();
                calls.add(http.sendAsync(adminGet(port, "/v1/shoppers/" + id), HttpResponse.BodyHandlers.discarding())
                        .thenAccept(resp -> {
                            if (resp.statusCode() == 200) pending.remove(id);
                        })
                        .exceptionally(e -> null));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            if (!pending.isEmpty()) Thread.sleep(200);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Every event of a shopper's journal, in order, read through the read journal. */
    List<Object> journalEvents(String shopperId) throws Exception {
        return journal(ShopperEntity.ENTITY_KEY.name() + "|" + shopperId);
    }

    /**
     * Every event of any entity's journal, in order, read through the read journal: a shopper's ({@code Shopper|<id>})
     * found by its id and opened, as the nodes' read sides read it.
     */
    List<Object> journal(String persistenceId) throws Exception {
        return events(persistenceId)
                .map(env -> env.event())
                .runWith(Sink.seq(), reader)
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /** The event ids of every BehaviourRecorded event of a shopper, in journal order, read through the read journal. */
    List<String> journalEventIds(String shopperId) throws Exception {
        return events(ShopperEntity.ENTITY_KEY.name() + "|" + shopperId)
                .filter(env -> env.event() instanceof ShopperEvent.BehaviourRecorded)
                .map(env ->
                        ((ShopperEvent.BehaviourRecorded) env.event()).event().eventId())
                .runWith(Sink.seq(), reader)
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /**
     * Every journal row's sequence number for a shopper, straight from the messages table (no replay, no filtering):
     * two writers of one persistence id would show up here as a repeated sequence number.
     */
    List<Long> rawSequenceNumbers(String shopperId) throws Exception {
        var person =
                PersonKeys.get(reader).find(shopperId).toCompletableFuture().get(30, TimeUnit.SECONDS);
        var stored = person instanceof PersonKeys.Pseudonymous p ? p.pseudonym() : shopperId;
        return rawSequenceNumbersOf(ShopperEntity.ENTITY_KEY.name() + "|" + stored);
    }

    private akka.stream.javadsl.Source<akka.persistence.query.EventEnvelope, akka.NotUsed> events(
            String persistenceId) {
        var journal = PersistenceQuery.get(reader)
                .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
        return SealedJournals.bySubject(
                        PersonKeys.get(reader),
                        (pid, from) -> journal.currentEventsByPersistenceId(pid, from, Long.MAX_VALUE))
                .apply(persistenceId, 0L);
    }

    /** As {@link #rawSequenceNumbers}, for any persistence id. */
    List<Long> rawSequenceNumbersOf(String persistenceId) {
        var rows = session.execute(
                "SELECT sequence_nr FROM " + schema.journalKeyspace()
                        + ".messages WHERE persistence_id = ? AND partition_nr = 0",
                persistenceId);
        var numbers = new ArrayList<Long>();
        rows.forEach(row -> numbers.add(row.getLong(0)));
        return numbers;
    }

    /** The shopper's state as a node serves it. */
    JsonNode shopper(int node, String shopperId) throws Exception {
        return mapper.readTree(get(cluster.ports(node).http(), "/v1/shoppers/" + shopperId));
    }

    String scrapeMetrics(int node) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + cluster.ports(node).management() + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    void stopCassandra() {
        cassandra.close();
    }

    void restartCassandra() {
        cassandra = DevCassandra.start(cassandraSettings);
    }

    /** Stops the nodes (graceful leave), the journal reader, the proxies and Cassandra. */
    void close() throws Exception {
        cluster.close();
        reader.terminate();
        reader.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        session.close();
        for (var p : proxies) p.close();
        reactor.close();
        cassandra.close();
    }

    /** The node's classpath as the build resolved it: its classes and {@code target/classpath.txt}. */
    static String nodeClasspath(Path basedir) throws IOException {
        return basedir.resolve("target/classes")
                + java.io.File.pathSeparator
                + Files.readString(basedir.resolve("target/classpath.txt")).strip();
    }
}

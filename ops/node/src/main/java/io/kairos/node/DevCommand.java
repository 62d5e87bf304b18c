package io.kairos.node;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.DevCassandraSettings;
import io.kairos.devkafka.DevKafka;
import io.kairos.devkafka.DevKafkaSettings;
import io.kairos.time.NodeClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos dev}: a real Cassandra node of its own (unless KAIROS_CASSANDRA_CONTACT_POINTS names one), the schema
 * applied from ops/cassandra/*.cql, then one Kairos node. Ctrl-C stops the node first, then Cassandra.
 */
@Command(
        name = "dev",
        description =
                "Run one Kairos node in dev mode on a Cassandra node of its own (KAIROS_DATA_DIR, KAIROS_DEV_CASSANDRA_PORT).")
final class DevCommand extends LauncherCommand {

    @Option(
            names = "--kafka",
            description =
                    "Also start a real Kafka broker (KRaft, its own JVM; KAIROS_DEV_KAFKA_PORT fixes its port) and"
                            + " wire it both ways: events in from kairos-events, offers and prices out.")
    boolean kafka;

    @Override
    public Integer call() throws Exception {
        Env.defaultLogFormat("text");
        ActorSystem<Void> system;
        // Instances starting at once choose and bind their ports one after the other (see DevPorts).
        try (var starting = DevPorts.startLock()) {
            var machine = DevPorts.machine();
            int http = DevPorts.httpPort(Env::get, machine);
            var dataDir = DevPorts.dataDir(Env::get, http);
            var store = DevStore.open(dataDir, http);
            var broker = kafka ? startKafka(dataDir) : null;
            system = start(store, dataDir, broker);
        }
        system.getWhenTerminated().toCompletableFuture().join();
        return 0;
    }

    private static DevKafka startKafka(Path dataDir) {
        var settings = DevKafkaSettings.fromEnvironment(dataDir.resolve("kafka"));
        // Side by side: 9092 when free, else a free port, unless KAIROS_DEV_KAFKA_PORT names one.
        if (Env.get(DevKafkaSettings.PORT_ENV).isEmpty() && !DevCassandra.isFree(settings.port()))
            settings = settings.withPort(0);
        System.out.println("Starting the dev Kafka broker (data and logs in " + settings.dataDir() + ") …");
        return DevKafka.start(settings);
    }

    /**
     * The node on {@code store} (and on {@code kafka}, when not null), its ports bound and its banner printed; its
     * Cassandra and its Kafka broker stop with it.
     */
    private static ActorSystem<Void> start(DevStore store, Path dataDir, DevKafka kafka) throws Exception {
        var cassandra = store.node();
        var ports = store.ports();
        // Every port not given is its default when free, else a free one (see DevPorts).
        var settings = new java.util.HashMap<String, Object>(Map.of(
                "kairos.http.port", ports.http(),
                "akka.management.http.port", ports.management(),
                "akka.remote.artery.canonical.port", ports.remote()));
        if (kafka != null) settings.put("kairos.kafka.bootstrap-servers", kafka.bootstrapServers());
        var overrides = ConfigFactory.parseMap(settings);
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(
                    akka.actor.typed.javadsl.Behaviors.empty(),
                    "kairos",
                    KairosNode.config("dev", store.contactPoints(), overrides));
        } catch (RuntimeException e) {
            if (kafka != null) kafka.close();
            if (cassandra != null) cassandra.close();
            throw e;
        }
        if (kafka != null) {
            // After the node stopped consuming (service-stop) and its producers closed (before-actor-system-terminate).
            CoordinatedShutdown.get(system)
                    .addTask(CoordinatedShutdown.PhaseActorSystemTerminate(), "stop-dev-kafka", () -> {
                        System.out.println("Stopping the dev Kafka broker …");
                        return CompletableFuture.runAsync(kafka::close).thenApply(v -> akka.Done.getInstance());
                    });
        }
        if (cassandra != null) {
            // Cassandra goes last: after the API is unbound, shards handed off, the journal flushed and the driver's
            // sessions closed (before-actor-system-terminate), so no driver reconnects to a stopping node.
            CoordinatedShutdown.get(system)
                    .addTask(CoordinatedShutdown.PhaseActorSystemTerminate(), "stop-dev-cassandra", () -> {
                        if (cassandra.startedHere()) System.out.println("Stopping the dev Cassandra node …");
                        return CompletableFuture.runAsync(cassandra::close).thenApply(v -> akka.Done.getInstance());
                    });
        }
        ServerBinding binding;
        try {
            binding = KairosNode.init(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
        // One write, so that no log line lands inside it.
        System.out.print(banner(system, binding, store.contactPoints(), dataDir, cassandra));
        System.out.flush();
        return system;
    }

    static String banner(
            ActorSystem<Void> system,
            ServerBinding binding,
            List<java.net.InetSocketAddress> points,
            Path dataDir,
            DevCassandra cassandra) {
        var config = system.settings().config();
        var api = "http://127.0.0.1:" + binding.localAddress().getPort();
        var mgmt = "http://127.0.0.1:" + config.getInt("akka.management.http.port");
        var keys = config.getString("kairos.http.api-keys").isBlank()
                ? "dev-ingest, dev-operator, dev-auditor, dev-admin (dev keys)"
                : "from KAIROS_API_KEYS";
        var out = new StringBuilder();
        var where = cassandra == null
                ? "external"
                : cassandra.startedHere()
                        ? "started here, data in " + dataDir.resolve("cassandra")
                        : "reused the node already running";
        out.append('\n');
        line(out, "Kairos dev node is up");
        line(out, "  API          " + api + "   (OpenAPI document: " + api + "/openapi.yaml)");
        line(out, "  Management   " + mgmt + "/ready   " + mgmt + "/alive");
        line(
                out,
                "  Cassandra    " + points.get(0).getHostString() + ":"
                        + points.get(0).getPort() + "   (" + where + ")");
        var kafka = config.getString("kairos.kafka.bootstrap-servers");
        if (!kafka.isBlank()) {
            var topics = config.getConfig("kairos.kafka.topics");
            line(
                    out,
                    "  Kafka        " + kafka + "   (events in: " + topics.getString("events") + ", dead letters: "
                            + topics.getString("dead-letter") + "; out: " + topics.getString("offers") + ", "
                            + topics.getString("prices") + ")");
        }
        line(out, "  API keys     " + keys);
        line(out, "  Data         " + dataDir);
        var tracking = config.getString("kairos.tracking.secret").isBlank()
                ? "the public dev secret (links forgeable)"
                : "from KAIROS_TRACKING_SECRET";
        line(out, "  Tracking     " + api + "/t/{token}, links signed with " + tracking);
        var clock = NodeClock.get(system);
        clock.simulated()
                .ifPresent(c -> line(
                        out,
                        "  Clock        simulated, at " + c.instant() + " until an admin moves it (POST " + api
                                + "/v1/dev/clock)"));
        line(
                out,
                "  Try          curl -s -H 'Authorization: Bearer dev-ingest' -H 'Content-Type: application/json' \\");
        line(
                out,
                "                 -d '{\"events\":[{\"eventId\":\"e1\",\"shopperId\":\"alice\",\"type\":\"view\",\"occurredAt\":\""
                        + clock.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}]}' " + api
                        + "/v1/events");
        line(out, "  Stop         Ctrl-C");
        out.append('\n');
        return out.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }

    /** The data directory of {@code kairos cluster}: KAIROS_DATA_DIR, else {@code .kairos}. */
    static Path dataDir() {
        return DevPorts.dataDir(Env::get, DevPorts.HTTP);
    }

    /**
     * Cassandra for the dev commands: the external one named by KAIROS_CASSANDRA_CONTACT_POINTS ({@code node} is null),
     * else the dev node of this data directory (started detached, or reused when it is already running), with the
     * schema applied; and the ports of the instance ({@link DevPorts}).
     */
    record DevStore(DevCassandra node, List<java.net.InetSocketAddress> contactPoints, DevPorts ports) {
        /** For {@code kairos cluster}, whose nodes take their own ports. */
        static DevStore open(Path dataDir) {
            return open(dataDir, DevPorts.HTTP);
        }

        static DevStore open(Path dataDir, int http) {
            var machine = DevPorts.machine();
            var external = Env.get("KAIROS_CASSANDRA_CONTACT_POINTS");
            var cassandraDir = dataDir.resolve("cassandra");
            DevStore store;
            if (external.isPresent()) {
                // No dev Cassandra: no ports of its own to choose or record.
                var ports = DevPorts.choose(Env::get, http, DevPorts.CassandraPorts.NONE, machine);
                store = new DevStore(null, KairosNode.contactPoints(external.get()), ports);
            } else {
                var chosen =
                        DevPorts.cassandraPorts(Env::get, cassandraDir, DevCassandra.runningIn(cassandraDir), machine);
                DevCassandra node;
                try {
                    node = startCassandra(cassandraDir, chosen);
                } catch (DevCassandra.PortInUseException raced) {
                    // Another instance starting at the same moment took a port picked here: pick others, once.
                    if (!chosen.fresh()) throw raced;
                    chosen = DevPorts.anyFree(machine);
                    node = startCassandra(cassandraDir, chosen);
                }
                chosen.record(cassandraDir);
                store = new DevStore(
                        node, List.of(node.contactPoint()), DevPorts.choose(Env::get, http, chosen, machine));
            }
            SchemaCommand.apply(store.contactPoints(), null);
            return store;
        }

        private static DevCassandra startCassandra(Path cassandraDir, DevPorts.CassandraPorts ports) {
            System.out.println("Starting the dev Cassandra node on 127.0.0.1:" + ports.cql() + " (data and logs in "
                    + cassandraDir + ") …");
            return DevCassandra.start(
                    DevCassandraSettings.defaults(cassandraDir).with(c -> {
                        c.nativePort = ports.cql();
                        c.storagePort = ports.storage();
                        c.jmxPort = ports.jmx();
                        c.detached = true;
                    }));
        }
    }
}

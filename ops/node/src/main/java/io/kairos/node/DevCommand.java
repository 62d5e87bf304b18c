package io.kairos.node;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.DevCassandra;
import io.kairos.devcassandra.DevCassandraSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/**
 * {@code kairos dev}: a real Cassandra node of its own (unless KAIROS_CASSANDRA_CONTACT_POINTS names one), the schema
 * applied from ops/cassandra/*.cql, then one Kairos node. Ctrl-C stops the node first, then Cassandra.
 */
@Command(
        name = "dev",
        description =
                "Run one Kairos node in dev mode on a Cassandra node of its own (KAIROS_DATA_DIR, KAIROS_DEV_CASSANDRA_PORT).")
final class DevCommand extends LauncherCommand {

    @Override
    public Integer call() throws Exception {
        Env.defaultLogFormat("text");
        var dataDir = dataDir();
        var store = DevStore.open(dataDir);
        var cassandra = store.node();
        var points = store.contactPoints();
        ActorSystem<Void> system = ActorSystem.create(
                akka.actor.typed.javadsl.Behaviors.empty(),
                "kairos",
                KairosNode.config("dev", points, ConfigFactory.empty()));
        if (cassandra != null) {
            var node = cassandra;
            // Cassandra goes last: after the API is unbound, shards handed off and the journal flushed.
            CoordinatedShutdown.get(system)
                    .addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-dev-cassandra", () -> {
                        if (node.startedHere()) System.out.println("Stopping the dev Cassandra node …");
                        return CompletableFuture.runAsync(node::close).thenApply(v -> akka.Done.getInstance());
                    });
        }
        ServerBinding binding;
        try {
            binding = KairosNode.init(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
        printBanner(system, binding, points, dataDir, cassandra);
        system.getWhenTerminated().toCompletableFuture().join();
        return 0;
    }

    private static void printBanner(
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
        var where = cassandra == null
                ? "external"
                : cassandra.startedHere()
                        ? "started here, data in " + dataDir.resolve("cassandra")
                        : "reused the node already running";
        System.out.println();
        System.out.println("Kairos dev node is up");
        System.out.println("  API          " + api + "   (OpenAPI document: " + api + "/openapi.yaml)");
        System.out.println("  Management   " + mgmt + "/ready   " + mgmt + "/alive");
        System.out.println("  Cassandra    " + points.get(0).getHostString() + ":"
                + points.get(0).getPort() + "   (" + where + ")");
        System.out.println("  API keys     " + keys);
        var tracking = config.getString("kairos.tracking.secret").isBlank()
                ? "the public dev secret (links forgeable)"
                : "from KAIROS_TRACKING_SECRET";
        System.out.println("  Tracking     " + api + "/t/{token}, links signed with " + tracking);
        System.out.println(
                "  Try          curl -s -H 'Authorization: Bearer dev-ingest' -H 'Content-Type: application/json' \\");
        System.out.println(
                "                 -d '{\"events\":[{\"eventId\":\"e1\",\"shopperId\":\"alice\",\"type\":\"view\",\"occurredAt\":\""
                        + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}]}' " + api
                        + "/v1/events");
        System.out.println("  Stop         Ctrl-C");
        System.out.println();
    }

    static Path dataDir() {
        return Path.of(Env.get("KAIROS_DATA_DIR").orElse(".kairos")).toAbsolutePath();
    }

    /**
     * Cassandra for the dev commands: the external one named by KAIROS_CASSANDRA_CONTACT_POINTS ({@code node} is null),
     * else a dev node of its own (started detached, or reused when one already answers), with the schema applied.
     */
    record DevStore(DevCassandra node, List<java.net.InetSocketAddress> contactPoints) {
        static DevStore open(Path dataDir) {
            var external = Env.get("KAIROS_CASSANDRA_CONTACT_POINTS");
            DevStore store;
            if (external.isPresent()) {
                store = new DevStore(null, KairosNode.contactPoints(external.get()));
            } else {
                var port = Env.intValue("KAIROS_DEV_CASSANDRA_PORT", 9042);
                System.out.println("Starting the dev Cassandra node on 127.0.0.1:" + port + " (data and logs in "
                        + dataDir.resolve("cassandra") + ") …");
                var node = DevCassandra.start(DevCassandraSettings.defaults(dataDir.resolve("cassandra"))
                        .with(c -> {
                            c.nativePort = port;
                            c.detached = true;
                        }));
                store = new DevStore(node, List.of(node.contactPoint()));
            }
            SchemaCommand.apply(store.contactPoints(), null);
            return store;
        }
    }
}

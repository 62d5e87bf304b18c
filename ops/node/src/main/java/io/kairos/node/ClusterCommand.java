package io.kairos.node;

import io.kairos.devcassandra.DevCassandra;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos cluster --nodes N}: N Kairos nodes on loopback, one JVM each, sharing one dev Cassandra node (or the
 * external one in KAIROS_CASSANDRA_CONTACT_POINTS). Node i listens on KAIROS_HTTP_PORT + i, KAIROS_MANAGEMENT_PORT + i
 * and KAIROS_REMOTE_PORT + i and logs to {@code <data dir>/cluster/node-i.log}. Ctrl-C stops every node (graceful
 * leave), then Cassandra.
 *
 * <p>Nodes are separate JVMs rather than actor systems in this one: that is how they run in production (one JVM per
 * pod), a node can be killed with {@code kill -9} or stopped with SIGTERM on its own, and a node's GC pause or crash
 * does not take the others with it.
 */
@Command(
        name = "cluster",
        description =
                "Run N local Kairos nodes as one cluster on a shared dev Cassandra (node i: KAIROS_HTTP_PORT + i, KAIROS_MANAGEMENT_PORT + i).")
final class ClusterCommand extends LauncherCommand {
    /** Small heaps and the C1 compiler: N nodes and Cassandra share a laptop. KAIROS_NODE_JAVA_OPTS replaces them. */
    static final String DEFAULT_NODE_JAVA_OPTS = "-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Override
    public Integer call() throws Exception {
        Env.defaultLogFormat("text");
        if (nodes < 1 || nodes > 20) throw new IllegalArgumentException("--nodes must be 1..20, not " + nodes);
        var dataDir = DevCommand.dataDir();
        var store = DevCommand.DevStore.open(dataDir);
        var cassandra = store.node();
        var points = store.contactPoints();

        var ports = LocalCluster.Spec.consecutive(
                nodes,
                Env.intValue("KAIROS_HTTP_PORT", 8080),
                Env.intValue("KAIROS_MANAGEMENT_PORT", 8558),
                Env.intValue("KAIROS_REMOTE_PORT", 25520));
        var jvm = Arrays.stream(Env.get("KAIROS_NODE_JAVA_OPTS")
                        .orElse(DEFAULT_NODE_JAVA_OPTS)
                        .split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
        var spec = new LocalCluster.Spec(
                ports,
                points,
                dataDir.resolve("cluster"),
                System.getProperty("java.class.path"),
                "dev",
                jvm,
                Map.of(
                        "KAIROS_DATA_DIR",
                        dataDir.toString(),
                        "KAIROS_SHUTDOWN_DRAIN",
                        Env.get("KAIROS_SHUTDOWN_DRAIN").orElse("1s")),
                Duration.ofSeconds(60));
        System.out.println("Starting " + nodes + " nodes (logs in " + spec.logDir() + ") …");
        var cluster = LocalCluster.start(spec);
        var node = cassandra;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("Stopping " + nodes + " nodes (graceful leave) …");
                            cluster.close();
                            if (node != null && node.startedHere()) {
                                System.out.println("Stopping the dev Cassandra node …");
                                node.close();
                            }
                        },
                        "kairos-cluster-stop"));
        cluster.awaitReady(Duration.ofMinutes(3));
        printBanner(cluster, points, cassandra);
        while (true) {
            boolean any = false;
            for (int i = 0; i < cluster.size(); i++) any |= cluster.isAlive(i);
            if (!any) {
                System.out.println("Every node has stopped.");
                return 1;
            }
            Thread.sleep(1_000);
        }
    }

    private static void printBanner(LocalCluster cluster, List<InetSocketAddress> points, DevCassandra cassandra) {
        System.out.println();
        System.out.println("Kairos cluster of " + cluster.size() + " nodes is up (any node accepts any request)");
        for (int i = 0; i < cluster.size(); i++) {
            var p = cluster.ports(i);
            System.out.printf(
                    "  node %d   API http://127.0.0.1:%d   management http://127.0.0.1:%d (/ready /alive /metrics /cluster/members)   remoting %d%n",
                    i, p.http(), p.management(), p.remote());
            System.out.println("           log " + cluster.logFile(i) + "   pid "
                    + cluster.process(i).pid());
        }
        var where = cassandra == null
                ? "external"
                : cassandra.startedHere() ? "started here" : "reused the node already running";
        System.out.println("  Cassandra " + points.get(0).getHostString() + ":"
                + points.get(0).getPort() + " (" + where + ")");
        System.out.println("  API keys  "
                + (Env.get("KAIROS_API_KEYS").isPresent()
                        ? "from KAIROS_API_KEYS"
                        : "dev-ingest, dev-operator, dev-auditor, dev-admin (dev keys)"));
        System.out.println(
                "  Failover  kill -9 <pid of a node>: the others down it after the SBR window and serve its shoppers");
        System.out.println("  Stop      Ctrl-C (every node leaves gracefully, then Cassandra stops)");
        System.out.println();
    }
}

package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.kairos.http.Tls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a node finds its cluster ({@code kairos.cluster.join}):
 *
 * <ul>
 *   <li>{@code self}: a cluster of one (dev, single-node tests);
 *   <li>{@code seeds}: {@code kairos.cluster.seed-nodes} ({@code host:port} of Artery), the classic static list;
 *   <li>{@code bootstrap}: Akka Management Cluster Bootstrap. Contact points come from
 *       {@code kairos.cluster.discovery}: {@code kubernetes-api} (pods by label, in Kubernetes) or {@code config}
 *       ({@code kairos.cluster.bootstrap-endpoints}: management {@code host:port}s, the local cluster).
 * </ul>
 *
 * Invariants: Akka Management starts before joining in every mode (bootstrap needs its routes and the readiness checks
 * must answer while the node joins); with {@code bootstrap} no seed nodes are configured, since Akka refuses to
 * bootstrap a node that has them.
 */
public final class ClusterFormation {
    static final String SYSTEM_NAME = "kairos";

    private ClusterFormation() {}

    /** The Akka settings that {@code kairos.cluster} implies; they override the defaults, not explicit overrides. */
    static Config joinConfig(Config resolved) {
        var c = resolved.getConfig("kairos.cluster");
        var join = c.getString("join");
        Map<String, Object> values = new HashMap<>();
        switch (join) {
            case "self" -> {}
            case "seeds" -> {
                var seeds = hostPorts(c.getString("seed-nodes"), "kairos.cluster.seed-nodes (KAIROS_SEED_NODES)");
                values.put(
                        "akka.cluster.seed-nodes",
                        seeds.stream()
                                .map(hp -> "akka://" + SYSTEM_NAME + "@" + hp)
                                .toList());
            }
            case "bootstrap" -> {
                var discovery = c.getString("discovery");
                var service =
                        resolved.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name");
                switch (discovery) {
                    case "kubernetes-api" ->
                        values.put(
                                "akka.management.cluster.bootstrap.contact-point-discovery.discovery-method",
                                "kubernetes-api");
                    case "config" -> {
                        var endpoints = new ArrayList<Map<String, Object>>();
                        for (var hp : hostPorts(
                                c.getString("bootstrap-endpoints"),
                                "kairos.cluster.bootstrap-endpoints (KAIROS_BOOTSTRAP_ENDPOINTS)")) {
                            int colon = hp.lastIndexOf(':');
                            endpoints.add(Map.of(
                                    "host", hp.substring(0, colon), "port", Integer.parseInt(hp.substring(colon + 1))));
                        }
                        values.put(
                                "akka.management.cluster.bootstrap.contact-point-discovery.discovery-method", "config");
                        // Local nodes share one host and differ by port; by default bootstrap keeps only endpoints on
                        // its own port.
                        values.put("akka.management.cluster.bootstrap.contact-point.filter-on-fallback-port", false);
                        values.put("akka.discovery.config.services." + service + ".endpoints", endpoints);
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "kairos.cluster.discovery must be kubernetes-api or config, not " + discovery);
                }
            }
            default ->
                throw new IllegalArgumentException("kairos.cluster.join must be self, seeds or bootstrap, not " + join);
        }
        var config = ConfigFactory.empty();
        for (var e : values.entrySet())
            config = config.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        return config;
    }

    /**
     * Starts Akka Management (over TLS when {@code tls} is given), the graceful-leave drain and the join; the node is a
     * member once the join completes.
     */
    public static void start(ActorSystem<?> system, Optional<Tls> tls) {
        NodeLifecycle.get(system);
        DaemonKeepAlives.stopBeforeShardingShutdown(system);
        AkkaManagement.get(system)
                .start(settings -> tls.map(t -> settings.withHttpsConnectionContext(t.serverContext()))
                        .orElse(settings));
        var join = system.settings().config().getString("kairos.cluster.join");
        var cluster = Cluster.get(system);
        switch (join) {
            case "self" ->
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            case "seeds" -> {} // akka.cluster.seed-nodes joins by itself
            case "bootstrap" -> ClusterBootstrap.get(system).start();
            default ->
                throw new IllegalArgumentException("kairos.cluster.join must be self, seeds or bootstrap, not " + join);
        }
    }

    private static List<String> hostPorts(String spec, String what) {
        var list = Arrays.stream(spec.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (list.isEmpty()) throw new IllegalArgumentException(what + " is empty; give host:port,host:port");
        for (var hp : list) {
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || !hp.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException(what + ": '" + hp + "' is not host:port");
            }
        }
        return list;
    }
}

package io.kairos.node;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ClusterSharding;
import akka.cluster.sharding.ShardRegion;
import akka.pattern.Patterns;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's own metrics: cluster members by status and unreachable members as this node sees them, and this node's
 * shards and entities per sharded entity type; JVM metrics are registered once per JVM in the default registry.
 * {@link #scrape()} returns them together with the default registry, where the modules keep their business metrics
 * ({@link io.kairos.metrics.KairosMetrics}).
 *
 * <p>Invariants: the node metrics live in a registry of this actor system, so several nodes in one JVM (tests) do not
 * collide; shard counts come from the regions' own {@code GetShardRegionStats}, refreshed every
 * {@code kairos.metrics.sharding-refresh} off the scrape path, so a scrape never waits on an actor.
 */
public final class NodeMetrics implements Extension {
    private static final AtomicBoolean JVM_REGISTERED = new AtomicBoolean();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, int[]> shardStats = new ConcurrentHashMap<>();

    private NodeMetrics(ActorSystem<?> system) {
        if (JVM_REGISTERED.compareAndSet(false, true)) JvmMetrics.builder().register();
        var classic = Adapter.toClassic(system);
        var cluster = akka.cluster.Cluster.get(classic);
        GaugeWithCallback.builder()
                .name("kairos_cluster_members")
                .help("Cluster members as this node sees them, by status")
                .labelNames("status")
                .callback(cb -> {
                    var counts = new EnumMap<Status, Integer>(Status.class);
                    for (var s : Status.values()) counts.put(s, 0);
                    for (Member m : cluster.state().getMembers()) counts.merge(Status.of(m.status()), 1, Integer::sum);
                    counts.forEach((status, n) -> cb.call(n, status.label));
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("kairos_cluster_unreachable_members")
                .help("Members this node's failure detector currently considers unreachable")
                .callback(cb -> cb.call(cluster.state().getUnreachable().size()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("kairos_sharding_shards")
                .help("Shards hosted by this node, by entity type")
                .labelNames("entity_type")
                .callback(cb -> shardStats.forEach((type, s) -> cb.call(s[0], type)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("kairos_sharding_entities")
                .help("Entities running on this node, by entity type")
                .labelNames("entity_type")
                .callback(cb -> shardStats.forEach((type, s) -> cb.call(s[1], type)))
                .register(registry);

        var refresh = system.settings().config().getDuration("kairos.metrics.sharding-refresh");
        var polling = classic.scheduler()
                .scheduleWithFixedDelay(
                        refresh, refresh, () -> refreshShardStats(classic, refresh), classic.dispatcher());
        // Before the regions stop: asking a stopped region is a dead letter in the shutdown log.
        CoordinatedShutdown.get(classic)
                .addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "stop-shard-stats", () -> {
                    polling.cancel();
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
    }

    public static NodeMetrics get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** Everything {@code GET /metrics} serves: the default registry (business and JVM) and this node's metrics. */
    public MetricSnapshots scrape() {
        var all = new ArrayList<io.prometheus.metrics.model.snapshots.MetricSnapshot>();
        PrometheusRegistry.defaultRegistry.scrape().forEach(all::add);
        registry.scrape().forEach(all::add);
        return new MetricSnapshots(all);
    }

    private void refreshShardStats(akka.actor.ActorSystem classic, Duration timeout) {
        var sharding = ClusterSharding.get(classic);
        for (var type : sharding.getShardTypeNames()) {
            Patterns.ask(sharding.shardRegion(type), ShardRegion.getRegionStatsInstance(), timeout)
                    .whenComplete((reply, failure) -> {
                        if (reply instanceof ShardRegion.ShardRegionStats stats) {
                            int entities = 0;
                            for (var n : stats.getStats().values()) entities += ((Number) n).intValue();
                            shardStats.put(type, new int[] {stats.getStats().size(), entities});
                        }
                    });
        }
    }

    /** Member statuses with Prometheus-friendly label values; every status is always reported (0 when absent). */
    private enum Status {
        JOINING("joining"),
        WEAKLY_UP("weakly_up"),
        UP("up"),
        LEAVING("leaving"),
        EXITING("exiting"),
        DOWN("down"),
        REMOVED("removed"),
        PREPARING_FOR_SHUTDOWN("preparing_for_shutdown"),
        READY_FOR_SHUTDOWN("ready_for_shutdown");

        final String label;

        Status(String label) {
            this.label = label;
        }

        static Status of(MemberStatus status) {
            return valueOf(
                    status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
    }

    static final class Id extends ExtensionId<NodeMetrics> {
        static final Id INSTANCE = new Id();

        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
            return new NodeMetrics(system);
        }
    }
}

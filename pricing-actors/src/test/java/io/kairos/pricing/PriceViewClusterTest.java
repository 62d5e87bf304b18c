package io.kairos.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.pricing.SkuConfig.Policy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes in one JVM, each with its own price view: what one node publishes is read at once on that node and
 * eventually on the other, an older version never replaces a newer one, and the sharded entity wired by
 * {@code SkuPricingEntity.init} feeds the view. The waits are generous convergence limits, not the staleness bound: how
 * fast a change propagates is measured by {@code ./kairos bench-pricing} (BENCHMARKS.md, pricing).
 */
class PriceViewClusterTest {

    private static ActorTestKit nodeA;
    private static ActorTestKit nodeB;
    /** How long a change may take to reach the other node before the test gives up (a loaded CI box, GC pauses). */
    private static final Duration CONVERGENCE = Duration.ofSeconds(20);

    private static Config nodeConfig() {
        return ConfigFactory.parseString(
                        """
            akka {
              actor.provider = cluster
              remote.artery.canonical { hostname = 127.0.0.1, port = 0 }
              cluster.jmx.multi-mbeans-in-same-jvm = on
              loglevel = WARNING
            }
            """)
                .withFallback(PersistenceTestKitPlugin.getInstance().config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load());
    }

    @BeforeAll
    static void formCluster() {
        nodeA = ActorTestKit.create("PriceView", nodeConfig());
        nodeB = ActorTestKit.create("PriceView", nodeConfig());
        var a = Cluster.get(nodeA.system());
        a.manager().tell(Join.create(a.selfMember().address()));
        Cluster.get(nodeB.system()).manager().tell(Join.create(a.selfMember().address()));
        for (var node : List.of(nodeA, nodeB)) {
            node.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
                var members = Cluster.get(node.system()).state().getMembers();
                assertThat(members).hasSize(2).allMatch(m -> m.status() == MemberStatus.up());
                return null;
            });
        }
        // The replicators learn of each other through cluster membership: wait (untimed) for a first write to cross.
        PriceView.get(nodeA.system()).publish(quote("warm-up", "1.00", 1));
        awaitOn(nodeB.system(), Duration.ofSeconds(20), () -> PriceView.get(nodeB.system())
                .contains("warm-up"));
    }

    @AfterAll
    static void stop() {
        nodeB.shutdownTestKit();
        nodeA.shutdownTestKit();
    }

    private static PriceQuote quote(String sku, String price, long version) {
        return new PriceQuote(
                sku,
                new BigDecimal(price),
                new BigDecimal("20.00"),
                "EUR",
                Instant.now(),
                new BigDecimal(price),
                Policy.THOMPSON,
                "price:" + sku + ":" + version,
                version,
                new BigDecimal("6.00"),
                new BigDecimal("7.20"));
    }

    /** Waits up to {@code max} for {@code condition}. */
    private static void awaitOn(ActorSystem<?> system, Duration max, Supplier<Boolean> condition) {
        long start = System.nanoTime();
        while (!condition.get()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("waiting on %s", system.name())
                    .isLessThan(max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aChangeIsReadLocallyAtOnceAndReachesTheOtherNode() {
        var views = List.of(PriceView.get(nodeA.system()), PriceView.get(nodeB.system()));
        var systems = List.of(nodeA.system(), nodeB.system());
        for (int i = 1; i <= 20; i++) {
            int from = i % 2;
            int to = 1 - from;
            var q = quote("sku-stale", i + ".00", i);

            views.get(from).publish(q);

            assertThat(views.get(from).price("sku-stale")).contains(q);
            long version = i;
            awaitOn(systems.get(to), CONVERGENCE, () -> views.get(to)
                    .price("sku-stale")
                    .map(x -> x.version() == version)
                    .orElse(false));
        }
    }

    @Test
    void anOlderVersionNeverReplacesANewerOne() {
        var a = PriceView.get(nodeA.system());
        var b = PriceView.get(nodeB.system());
        a.publish(quote("sku-lww", "5.00", 5));
        awaitOn(nodeB.system(), Duration.ofSeconds(10), () -> b.price("sku-lww").isPresent());

        b.publish(quote("sku-lww", "4.00", 4));
        a.publish(quote("sku-lww", "6.00", 6));
        awaitOn(nodeB.system(), Duration.ofSeconds(10), () -> b.price("sku-lww")
                .map(q -> q.version() == 6)
                .orElse(false));
        a.publish(quote("sku-lww", "3.00", 3));

        // give any late notification time to arrive: the newest version must still be there
        nodeA.createTestProbe().expectNoMessage(Duration.ofMillis(500));
        assertThat(a.price("sku-lww"))
                .hasValueSatisfying(q -> assertThat(q.version()).isEqualTo(6));
        assertThat(b.price("sku-lww"))
                .hasValueSatisfying(q -> assertThat(q.version()).isEqualTo(6));
        assertThat(b.prices(List.of("nope", "sku-lww"))).containsOnlyKeys("sku-lww");
    }

    @Test
    void theShardedEntityPublishesItsPriceToEveryNodesView() {
        SkuPricingEntity.init(nodeA.system());
        SkuPricingEntity.init(nodeB.system());
        var ref = ClusterSharding.get(nodeA.system()).entityRefFor(SkuPricingEntity.ENTITY_KEY, "sku-sharded");

        var reply = ref.<SkuCommand.ConfigureReply>ask(
                        r -> new SkuCommand.Configure(Fixtures.config(Policy.FIXED), Instant.now(), "ops-1", r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .join();

        var quote = ((SkuCommand.ConfigAccepted) reply).quote();
        for (var node : List.of(nodeA, nodeB)) {
            awaitOn(node.system(), CONVERGENCE, () -> PriceView.get(node.system())
                    .price("sku-sharded")
                    .map(quote::equals)
                    .orElse(false));
        }
    }

    @Test
    void aSkuNobodyConfiguredIsNotKeptAlive() {
        SkuPricingEntity.init(nodeA.system());
        SkuPricingEntity.init(nodeB.system());
        var ref = ClusterSharding.get(nodeA.system()).entityRefFor(SkuPricingEntity.ENTITY_KEY, "sku-unknown");

        var reply = ref.<SkuCommand.PriceReply>ask(SkuCommand.GetPrice::new, Duration.ofSeconds(10))
                .toCompletableFuture()
                .join();

        assertThat(reply.quote()).isEmpty();
        for (var node : List.of(nodeA, nodeB)) {
            var probe = node.<akka.cluster.sharding.ShardRegion.CurrentShardRegionState>createTestProbe();
            probe.awaitAssert(Duration.ofSeconds(10), () -> {
                ClusterSharding.get(node.system())
                        .shardState()
                        .tell(new GetShardRegionState(SkuPricingEntity.ENTITY_KEY, probe.getRef()));
                var state = probe.receiveMessage();
                assertThat(state.getShards())
                        .allSatisfy(s -> assertThat(s.getEntityIds()).doesNotContain("sku-unknown"));
                return null;
            });
        }
    }
}

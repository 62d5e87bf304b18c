package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Passivation keeps a node's heap bounded under load: with an active-entity limit of {@value #LIMIT} shoppers, ten
 * times as many shoppers pass through the node (as the node configures it: Akka's default strategy, whose main area is
 * least-recently-used), the number in memory never settles above the limit, a shopper in constant use stays in memory,
 * and a passivated shopper comes back from its journal with everything it had. Passivation goes through the shopper's
 * own stop message, as on a node.
 */
class ShopperPassivationTest {
    private static final int LIMIT = 100;
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private static final ActorTestKit testKit = ShopperShards.testKit(
            "passivation",
            """
                akka.cluster.sharding.passivation.strategy = default-strategy
                akka.cluster.sharding.passivation.default-strategy.active-entity-limit = %d
                """
                    .formatted(LIMIT));

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void tenTimesTheLimitPassThroughAndTheActiveShoppersStayWithinIt() throws Exception {
        var system = testKit.system();
        // As a node builds its shoppers: passivated with the shopper's own stop message (ShopperCommand.Passivate).
        var sharding = ShopperShards.start(system, null);

        var hot = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "hot");
        var pending = new ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < LIMIT * 10; i++) {
            pending.add(record(sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "s-" + i), "e-" + i));
            // The hot shopper is used all the time: once every ten other shoppers.
            if (i % 10 == 0) pending.add(record(hot, "hot-" + i));
            if (pending.size() >= 50) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .get(30, TimeUnit.SECONDS);
                pending.clear();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        var probe = testKit.<akka.cluster.sharding.ShardRegion.CurrentShardRegionState>createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            sharding.shardState().tell(new GetShardRegionState(ShopperEntity.ENTITY_KEY, probe.ref()));
            var active = activeIds(probe.receiveMessage());
            assertThat(active.size()).as("shoppers in memory").isLessThanOrEqualTo(LIMIT);
            assertThat(active).as("the shopper in constant use").contains("hot");
            return null;
        });

        // The first shopper was passivated long ago; asked again, it recovers its event from the journal.
        var first = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "s-0");
        var reply = first.<ShopperCommand.ShopperReply>ask(r -> new ShopperCommand.GetShopper(NOW, r), timeout())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(reply).isInstanceOf(ShopperCommand.Found.class);
        assertThat(((ShopperCommand.Found) reply).summary().activity().eventCount())
                .isEqualTo(1);
        var hotReply = hot.<ShopperCommand.ShopperReply>ask(r -> new ShopperCommand.GetShopper(NOW, r), timeout())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(((ShopperCommand.Found) hotReply).summary().activity().eventCount())
                .isEqualTo(LIMIT);
    }

    private static CompletableFuture<ShopperCommand.Recorded> record(EntityRef<ShopperCommand> ref, String eventId) {
        var event = BehaviourEvent.of(eventId, EventType.VIEW, NOW.minusSeconds(60))
                .withCategory("tea")
                .withSku("sku-1", null);
        return ref.<ShopperCommand.Recorded>ask(r -> new ShopperCommand.RecordEvents(List.of(event), NOW, r), timeout())
                .toCompletableFuture();
    }

    private static Duration timeout() {
        return Duration.ofSeconds(20);
    }

    private static Set<String> activeIds(akka.cluster.sharding.ShardRegion.CurrentShardRegionState state) {
        var ids = new HashSet<String>();
        state.getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
        return ids;
    }
}

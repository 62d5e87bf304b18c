package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams on a system shaped like a node's: a cluster provider and a user guardian of its own (which refuses top-level
 * actors created from outside, so a subscription must not need one).
 */
class ClusterShopperStreamsTest {
    private static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(
                Behaviors.empty(),
                "streams",
                ConfigFactory.parseString(
                                """
                akka.actor.provider = cluster
                akka.remote.artery.canonical.hostname = 127.0.0.1
                akka.remote.artery.canonical.port = 0
                akka.cluster.jmx.multi-mbeans-in-same-jvm = on
                """)
                        .withFallback(ConfigFactory.load()));
        var cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> cluster.selfMember().status() == akka.cluster.MemberStatus.up());
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void aSubscriberGetsItsPersonsMessagesUntilItCloses() throws Exception {
        var streams = new ClusterShopperStreams(system);
        var alice = TestProbe.<ShopperStreams.Message>create(system);
        var bob = TestProbe.<ShopperStreams.Message>create(system);
        var subscription = streams.subscribe("alice", alice.getRef());
        streams.subscribe("bob+1@example.com", bob.getRef());

        // the mediator registers the subscription asynchronously: publish until it arrives
        var first = new ShopperStreams.InterestChanged("alice", 1, List.of("sku-1"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            streams.publish("alice", first);
            assertThat(alice.receiveMessage(Duration.ofMillis(300))).isEqualTo(first);
        });
        var second = new ShopperStreams.InterestChanged("alice", 2, List.of("sku-2"));
        streams.publish("alice", second);
        assertThat(drainUntil(alice, second)).isTrue();
        bob.expectNoMessage(Duration.ofMillis(200));

        subscription.close();
        Thread.sleep(300); // the forwarder stops and leaves the topic
        streams.publish("alice", new ShopperStreams.InterestChanged("alice", 3, List.of("sku-3")));
        alice.expectNoMessage(Duration.ofMillis(500));
    }

    private static boolean drainUntil(TestProbe<ShopperStreams.Message> probe, ShopperStreams.Message wanted) {
        for (int i = 0; i < 20; i++)
            if (probe.receiveMessage(Duration.ofSeconds(3)).equals(wanted)) return true;
        return false;
    }
}

package io.kairos.http.audit;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.ActorSystem;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.testkit.javadsl.TestKit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LanesTest {
    private static final ActorSystem system = ActorSystem.create("lanes-test");

    @AfterAll
    static void shutdown() {
        TestKit.shutdownActorSystem(system);
    }

    @Test
    void everyElementGoesThroughExactlyOneLaneAndEachLaneIsACopyOfTheFlow() throws Exception {
        var lane = Flow.<Integer>create().map(i -> i * 2);
        var out = Source.range(1, 10_000)
                .via(Lanes.balanced(2, lane))
                .runWith(Sink.seq(), system)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(out)
                .hasSize(10_000)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 10_000).mapToObj(i -> i * 2).toList());
    }

    @Test
    void aStatefulLaneIsMaterializedOncePerLane() throws Exception {
        // groupedWithin keeps its own buffer in each lane: every group holds elements, none is lost or repeated
        var groups = Source.range(1, 1_000)
                .via(Lanes.balanced(3, Flow.<Integer>create().groupedWithin(64, java.time.Duration.ofMillis(20))))
                .runWith(Sink.seq(), system)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(groups).allSatisfy(g -> assertThat(g).isNotEmpty().hasSizeLessThanOrEqualTo(64));
        assertThat(groups.stream().flatMap(List::stream).toList())
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 1_000).boxed().toList());
        assertThat(Set.copyOf(groups.stream().flatMap(List::stream).toList())).hasSize(1_000);
    }

    @Test
    void oneLaneIsTheFlowItself() throws Exception {
        var out = Source.range(1, 5)
                .via(Lanes.balanced(1, Flow.<Integer>create().map(i -> -i)))
                .runWith(Sink.seq(), system)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(out).containsExactly(-1, -2, -3, -4, -5);
    }
}

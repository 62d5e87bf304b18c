package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GET /ready's own check: false until the API is bound, true while serving, false for good once leaving. */
class NodeLifecycleTest {

    @Test
    void readyOnlyBetweenTheApiBindingAndTheLeave() throws Exception {
        var testKit = ActorTestKit.create(ConfigFactory.parseString(
                        """
                kairos.cluster.shutdown-drain = 0s
                akka.coordinated-shutdown.phases.before-service-unbind.timeout = 5s
                akka.coordinated-shutdown.exit-jvm = off
                akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """)
                .withFallback(ConfigFactory.load()));
        try {
            var system = testKit.system();
            var check = new DrainReadinessCheck(Adapter.toClassic(system));
            assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .as("before the API is bound")
                    .isFalse();
            assertThat(NodeLifecycle.get(system).serving("binding")).isEqualTo("binding");
            assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .as("serving")
                    .isTrue();
            akka.actor.CoordinatedShutdown.get(system)
                    .runAll(akka.actor.CoordinatedShutdown.unknownReason())
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .as("after the leave began")
                    .isFalse();
        } finally {
            testKit.shutdownTestKit();
        }
    }
}

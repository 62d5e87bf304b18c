package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.TestCassandra;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatch tables on a real Cassandra node, created from ops/cassandra/*.cql: response rates move from the
 * configured prior with the messages delivered per channel and the claims that followed them.
 */
class DispatchStoresTest {
    private static ActorTestKit testKit;
    private static String keyspace;

    @BeforeAll
    static void start() {
        keyspace = TestCassandra.shared().createSchema("dispatch").kairosKeyspace();
        testKit = ActorTestKit.create(ConfigFactory.parseString(
                        """
        datastax-java-driver.basic.contact-points = ["%s"]
        datastax-java-driver.basic.load-balancing-policy.local-datacenter = "%s"
        """
                                .formatted(
                                        TestCassandra.shared().contactPointString(),
                                        TestCassandra.shared().localDatacenter()))
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static akka.stream.alpakka.cassandra.javadsl.CassandraSession session() {
        return CassandraSessionRegistry.get(testKit.system()).sessionFor("akka.persistence.cassandra");
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void responseRatesMoveFromThePriorWithDeliveriesAndTheClaimsThatFollowed() throws Exception {
        var rates = new ResponseRates(session(), keyspace, Map.of("sms", 0.05, "push", 0.01), 100);
        assertThat(rates.rate("sms")).isEqualTo(0.05);
        for (int i = 0; i < 100; i++) get(rates.delivered("sms-" + i, "sms"));
        for (int i = 0; i < 100; i++) get(rates.delivered("push-" + i, "push"));
        for (int i = 0; i < 25; i++) get(rates.responded("push-" + i)); // push does far better than its prior
        get(rates.responded("in-app-offer")); // delivered by no channel: counts for none
        get(rates.refresh());
        assertThat(rates.rate("sms")).isCloseTo(5.0 / 200, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rates.rate("push")).isCloseTo((1.0 + 25) / 200, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rates.rate("push")).isGreaterThan(rates.rate("sms"));
    }
}

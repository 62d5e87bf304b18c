package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The JVM-wide test node other modules' tests use. */
class TestCassandraTest {

    @Test
    void everyCallerInTheJvmGetsTheSameNodeEvenWhenAskingConcurrently() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            Callable<TestCassandra> ask = TestCassandra::shared;
            List<Future<TestCassandra>> answers = pool.invokeAll(List.of(ask, ask, ask, ask));
            var first = answers.get(0).get();
            for (var answer : answers) {
                assertThat(answer.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theNodeAnswersCqlOnPortsThatAreNotCassandrasDefaults() {
        var cassandra = TestCassandra.shared();

        assertThat(cassandra.contactPoint().getPort()).isNotIn(9042, 7000, 7199);
        var node = cassandra.node().orElseThrow();
        assertThat(node.startedHere()).isTrue();
        assertThat(List.of(node.settings().storagePort(), node.settings().jmxPort()))
                .doesNotContain(9042, 7000, 7199);
        assertThat(node.dataDir().toString()).contains("target/test-cassandra-");
        assertThat(cassandra.contactPointString())
                .isEqualTo("127.0.0.1:" + cassandra.contactPoint().getPort());
        try (var session = cassandra.openSession()) {
            var local = session.execute("SELECT release_version, data_center FROM system.local")
                    .one();
            assertThat(local.getString("release_version")).isEqualTo("5.0.9");
            assertThat(local.getString("data_center")).isEqualTo(cassandra.localDatacenter());
        }
    }

    @Test
    void createSchemaGivesEachCallerKeyspacesOfItsOwn() {
        var cassandra = TestCassandra.shared();

        var first = cassandra.createSchema("first");
        var second = cassandra.createSchema("second");

        assertThat(first.keyspaces()).doesNotContainAnyElementsOf(second.keyspaces());
        try (var session = cassandra.openSession()) {
            for (var keyspace : List.of(first.journalKeyspace(), second.journalKeyspace())) {
                assertThat(session.execute(
                                        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? "
                                                + "AND table_name = 'messages'",
                                        keyspace)
                                .one())
                        .isNotNull();
            }
        }
    }
}

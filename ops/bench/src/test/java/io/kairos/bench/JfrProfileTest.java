package io.kairos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which component a CPU sample is charged to, by the innermost non-JDK class of its stack. */
class JfrProfileTest {

    /** The component a sample whose innermost non-JDK frame is in {@code className} is charged to. */
    private static String componentOf(String className) {
        return JfrProfile.component(className, List.of());
    }

    @Test
    void namesCassandraSubsystemsByPackage() {
        assertThat(componentOf("org.apache.cassandra.db.commitlog.AbstractCommitLogService"))
                .isEqualTo("cassandra.db.commitlog");
        assertThat(componentOf("org.apache.cassandra.transport.Dispatcher")).isEqualTo("cassandra.transport");
    }

    @Test
    void groupsTheNodesLibraries() {
        assertThat(componentOf("akka.http.impl.engine.parsing.HttpRequestParser"))
                .isEqualTo("Akka HTTP");
        assertThat(componentOf("akka.persistence.cassandra.journal.TagWriter"))
                .startsWith("akka-persistence-cassandra");
        assertThat(componentOf("akka.persistence.typed.internal.Running")).isEqualTo("Akka Persistence");
        assertThat(componentOf("com.datastax.oss.driver.internal.core.cql.CqlRequestHandler"))
                .isEqualTo("DataStax driver");
        assertThat(componentOf("io.netty.channel.epoll.EpollEventLoop")).isEqualTo("Netty");
        assertThat(componentOf("io.kairos.shopper.ShopperState")).isEqualTo("Kairos (io.kairos)");
    }

    @Test
    void chargesJacksonOutsideAkkaSerializationToHttpBodies() {
        assertThat(componentOf("com.fasterxml.jackson.core.json.UTF8StreamJsonParser"))
                .isEqualTo("Jackson JSON (HTTP bodies)");
    }

    @Test
    void namesUnknownLibrariesByTheirFirstTwoPackageSegments() {
        assertThat(componentOf("org.agrona.concurrent.ManyToOneConcurrentArrayQueue"))
                .isEqualTo("org.agrona");
    }
}

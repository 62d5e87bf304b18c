package io.kairos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which component a CPU sample is charged to, by the innermost non-JDK class of its stack. */
class JfrProfileTest {

    @Test
    void namesCassandraSubsystemsByPackage() {
        assertThat(JfrProfile.component("org.apache.cassandra.db.commitlog.AbstractCommitLogService", List.of()))
                .isEqualTo("cassandra.db.commitlog");
        assertThat(JfrProfile.component("org.apache.cassandra.transport.Dispatcher", List.of()))
                .isEqualTo("cassandra.transport");
    }

    @Test
    void groupsTheNodesLibraries() {
        assertThat(JfrProfile.component("akka.http.impl.engine.parsing.HttpRequestParser", List.of()))
                .isEqualTo("Akka HTTP");
        assertThat(JfrProfile.component("akka.persistence.cassandra.journal.TagWriter", List.of()))
                .startsWith("akka-persistence-cassandra");
        assertThat(JfrProfile.component("akka.persistence.typed.internal.Running", List.of()))
                .isEqualTo("Akka Persistence");
        assertThat(JfrProfile.component("com.datastax.oss.driver.internal.core.cql.CqlRequestHandler", List.of()))
                .isEqualTo("DataStax driver");
        assertThat(JfrProfile.component("io.netty.channel.epoll.EpollEventLoop", List.of()))
                .isEqualTo("Netty");
        assertThat(JfrProfile.component("io.kairos.shopper.ShopperState", List.of()))
                .isEqualTo("Kairos (io.kairos)");
    }

    @Test
    void chargesJacksonOutsideAkkaSerializationToHttpBodies() {
        assertThat(JfrProfile.component("com.fasterxml.jackson.core.json.UTF8StreamJsonParser", List.of()))
                .isEqualTo("Jackson JSON (HTTP bodies)");
    }

    @Test
    void namesUnknownLibrariesByTheirFirstTwoPackageSegments() {
        assertThat(JfrProfile.component("org.agrona.concurrent.ManyToOneConcurrentArrayQueue", List.of()))
                .isEqualTo("org.agrona");
    }
}

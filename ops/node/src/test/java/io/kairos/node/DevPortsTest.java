package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a {@code kairos dev} instance finds its place beside others: given ports as given, defaults when free, free ports
 * otherwise; its own data directory per API port; the dev Cassandra's ports recorded for the next start; a CQL port
 * held by another instance's Cassandra refused with a message that says what to do.
 */
class DevPortsTest {
    private final Map<String, String> env = new HashMap<>();

    private Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name));
    }

    /** A machine where {@code taken} ports are in use and free ports are handed out from 30000 up. */
    private static DevPorts.Machine machine(Set<Integer> taken) {
        var next = new AtomicInteger(30_000);
        return new DevPorts.Machine() {
            @Override
            public boolean isFree(int port) {
                return !taken.contains(port);
            }

            @Override
            public int freePort() {
                return next.getAndIncrement();
            }
        };
    }

    @Test
    void aLoneInstanceGetsTheDocumentedPortsAndDirectory(@TempDir Path dir) {
        var machine = machine(Set.of());
        int http = DevPorts.httpPort(this::env, machine);
        assertThat(http).isEqualTo(8080);
        assertThat(DevPorts.dataDir(this::env, http).getFileName()).hasToString(".kairos");
        var cassandra = DevPorts.cassandraPorts(this::env, dir, false, machine);
        assertThat(DevPorts.choose(this::env, http, cassandra, machine))
                .isEqualTo(new DevPorts(8080, 8558, 25520, 9042, 7000, 7199));
        assertThat(cassandra.fresh()).isTrue();
    }

    @Test
    void aSecondInstanceTakesFreePortsAndADirectoryOfItsOwn(@TempDir Path dir) {
        // The first instance holds the defaults; the second gives only its API port.
        var machine = machine(Set.of(8080, 8558, 25520, 9042, 7000, 7199));
        env.put("KAIROS_HTTP_PORT", "8081");
        int http = DevPorts.httpPort(this::env, machine);
        assertThat(DevPorts.dataDir(this::env, http).getFileName()).hasToString(".kairos-8081");
        var cassandra = DevPorts.cassandraPorts(this::env, dir, false, machine);
        var ports = DevPorts.choose(this::env, http, cassandra, machine);
        assertThat(ports.http()).isEqualTo(8081);
        assertThat(Set.of(ports.management(), ports.remote(), ports.cql(), ports.storage(), ports.jmx()))
                .hasSize(5)
                .allSatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(30_000));
    }

    @Test
    void aDefaultCqlPortIsNotTakenWhileAnotherCassandraHoldsItsStoragePort(@TempDir Path dir) {
        // Another dev Cassandra is starting: storage and JMX bound, CQL not yet.
        var cassandra = DevPorts.cassandraPorts(this::env, dir, false, machine(Set.of(7000, 7199)));
        assertThat(cassandra.cql()).isNotEqualTo(9042);
    }

    @Test
    void recordedPortsComeBackAtTheNextStartAndAGivenCqlPortOverridesThem(@TempDir Path dir) {
        var first = DevPorts.cassandraPorts(this::env, dir, false, machine(Set.of(9042)));
        first.record(dir);
        var again = DevPorts.cassandraPorts(this::env, dir, false, machine(Set.of()));
        assertThat(again).isEqualTo(new DevPorts.CassandraPorts(first.cql(), first.storage(), first.jmx(), false));
        env.put("KAIROS_DEV_CASSANDRA_PORT", "19042");
        assertThat(DevPorts.cassandraPorts(this::env, dir, false, machine(Set.of()))
                        .cql())
                .isEqualTo(19042);
    }

    @Test
    void aCqlPortHeldByAnotherInstancesCassandraIsRefused(@TempDir Path dir) {
        env.put("KAIROS_DEV_CASSANDRA_PORT", "9042");
        assertThatThrownBy(() -> DevPorts.cassandraPorts(this::env, dir, false, machine(Set.of(9042))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:9042 is taken")
                .hasMessageContaining("KAIROS_DEV_CASSANDRA_PORT")
                .hasMessageContaining("KAIROS_CASSANDRA_CONTACT_POINTS");
        // This directory's own node, left running by a previous run, is reused instead.
        assertThat(DevPorts.cassandraPorts(this::env, dir, true, machine(Set.of(9042)))
                        .cql())
                .isEqualTo(9042);
    }
}

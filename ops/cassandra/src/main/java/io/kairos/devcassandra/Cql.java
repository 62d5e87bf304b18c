package io.kairos.devcassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver sessions for the dev node, configured in code from the driver's built-in defaults only.
 *
 * <p>Invariant: nothing here reads application.conf. The Kairos node's application.conf configures the driver for Akka
 * (e.g. {@code advanced.reconnect-on-init = true}, which would make a readiness probe against a node that is still
 * booting block forever), so these sessions must not inherit it.
 */
final class Cql {

    /** The data center name SimpleSnitch gives the node; the driver's local-datacenter must match it. */
    static final String LOCAL_DATACENTER = "datacenter1";

    private static final Logger log = LoggerFactory.getLogger(Cql.class);

    private Cql() {}

    /** What a node says about itself in {@code system.local}. */
    record LocalNode(String clusterName, String releaseVersion, int listenPort) {}

    static CqlSession open(InetSocketAddress contactPoint, String sessionName, Duration requestTimeout) {
        return open(contactPoint, sessionName, requestTimeout, CassandraSecurity.NONE);
    }

    static CqlSession open(
            InetSocketAddress contactPoint, String sessionName, Duration requestTimeout, CassandraSecurity security) {
        var options = OptionsMap.driverDefaults();
        security.applyTo(options);
        options.put(TypedDriverOption.SESSION_NAME, sessionName);
        options.put(TypedDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, LOCAL_DATACENTER);
        options.put(TypedDriverOption.REQUEST_TIMEOUT, requestTimeout);
        options.put(TypedDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5));
        options.put(TypedDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10));
        options.put(TypedDriverOption.RECONNECT_ON_INIT, false);
        // One local node that tests stop and restart: reconnect within 2 s of it coming back, not after the driver's
        // default backoff (up to 60 s), which outlasted a slow restart and failed the next query (NoNodeAvailable).
        options.put(TypedDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500));
        options.put(TypedDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2));
        // A single dev node: the token map buys nothing and costs a query at every connect.
        options.put(TypedDriverOption.METADATA_TOKEN_MAP_ENABLED, false);
        return CqlSession.builder()
                .addContactPoint(contactPoint)
                .withLocalDatacenter(LOCAL_DATACENTER)
                .withConfigLoader(DriverConfigLoader.fromMap(options))
                .build();
    }

    /** True when something accepts TCP connections on the address (cheap; says nothing about CQL). */
    static boolean acceptsConnections(InetSocketAddress address) {
        try (var socket = new Socket()) {
            socket.connect(address, 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks the node at the address who it is; empty when it does not answer CQL. */
    static Optional<LocalNode> localNode(InetSocketAddress address) {
        try (var session = open(address, "dev-cassandra-probe", Duration.ofSeconds(10))) {
            // SELECT * so that a node older than 4.0 (no listen_port column) can still be recognised and reused.
            var row = session.execute("SELECT * FROM system.local").one();
            if (row == null) {
                return Optional.empty();
            }
            int listenPort = row.getColumnDefinitions().contains("listen_port") ? row.getInt("listen_port") : -1;
            return Optional.of(
                    new LocalNode(row.getString("cluster_name"), row.getString("release_version"), listenPort));
        } catch (RuntimeException e) {
            log.debug("No CQL answer from {}: {}", address, e.toString());
            return Optional.empty();
        }
    }
}

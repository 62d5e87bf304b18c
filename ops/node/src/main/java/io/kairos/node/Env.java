package io.kairos.node;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** The {@code KAIROS_*} environment, read in one place so commands and tests agree on names and defaults. */
final class Env {
    private Env() {}

    static Optional<String> get(String name) {
        return Optional.ofNullable(System.getenv(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * Chooses the log format of this process before the first logger exists: KAIROS_LOG_FORMAT wins, else the command's
     * default ({@code text} for dev, {@code json} for production). Read by logback.xml.
     */
    static void defaultLogFormat(String format) {
        if (System.getProperty("kairos.log.format") == null) System.setProperty("kairos.log.format", format);
    }

    /** KAIROS_CASSANDRA_CONTACT_POINTS ({@code host:port,host:port}), else the Cassandra on 127.0.0.1:9042. */
    static List<InetSocketAddress> cassandraContactPoints() {
        return KairosNode.contactPoints(get("KAIROS_CASSANDRA_CONTACT_POINTS").orElse("127.0.0.1:9042"));
    }

    static int intValue(String name, int fallback) {
        var value = get(name);
        if (value.isEmpty()) return fallback;
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value.get() + "'");
        }
    }
}

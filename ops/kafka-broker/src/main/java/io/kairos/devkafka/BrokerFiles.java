package io.kairos.devkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The broker's data directory: {@code server.properties} and {@code log4j2.properties} (rewritten at each start),
 * {@code kraft/} (KRaft metadata and topic logs, formatted once: its {@code meta.properties} holds the cluster id for
 * the directory's life), {@code logs/server.log} (the broker's Log4j output), {@code logs/kafka.out} (its JVM's stdout
 * and stderr, and the format tool's), {@code kafka.pid}, {@code start.lock} and {@code kairos-parent-watch.jar}.
 *
 * <p>Invariant: the controller listener, a single static voter, lives only in {@code server.properties}, never in the
 * formatted metadata, so the controller port may change at every start.
 */
final class BrokerFiles {

    static final int NODE_ID = 1;

    private BrokerFiles() {}

    static Path serverProperties(Path dataDir) {
        return dataDir.resolve("server.properties");
    }

    static Path log4jConfig(Path dataDir) {
        return dataDir.resolve("log4j2.properties");
    }

    static Path kraftDir(Path dataDir) {
        return dataDir.resolve("kraft");
    }

    static Path logDir(Path dataDir) {
        return dataDir.resolve("logs");
    }

    static Path serverLog(Path dataDir) {
        return logDir(dataDir).resolve("server.log");
    }

    static Path processOutput(Path dataDir) {
        return logDir(dataDir).resolve("kafka.out");
    }

    static Path pidFile(Path dataDir) {
        return dataDir.resolve("kafka.pid");
    }

    static Path startLock(Path dataDir) {
        return dataDir.resolve("start.lock");
    }

    /** The cluster id the directory was formatted with; empty when it is not formatted yet. */
    static Optional<String> clusterId(Path dataDir) {
        return readProperties(kraftDir(dataDir).resolve("meta.properties")).map(p -> p.getProperty("cluster.id"));
    }

    /** The client port of the last {@code server.properties} written here. */
    static OptionalInt configuredPort(Path dataDir) {
        return readProperties(serverProperties(dataDir))
                .map(p -> p.getProperty("advertised.listeners", ""))
                .filter(listener -> listener.matches("PLAINTEXT://[^,]*:[0-9]+"))
                .map(listener -> OptionalInt.of(Integer.parseInt(listener.substring(listener.lastIndexOf(':') + 1))))
                .orElse(OptionalInt.empty());
    }

    /** Writes the broker's and Log4j's configuration for a start on these ports. */
    static void writeConfig(DevKafkaSettings settings, int port, int controllerPort) throws IOException {
        var dataDir = settings.dataDir();
        Files.createDirectories(logDir(dataDir));
        var server = new LinkedHashMap<String, Object>();
        server.put("process.roles", "broker,controller");
        server.put("node.id", NODE_ID);
        // A static voter set (kraft.version 0): the controller endpoint is not written into the metadata log as
        // `--standalone` would, so a restart on another free controller port needs nothing but this file.
        server.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        server.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        server.put("controller.listener.names", "CONTROLLER");
        server.put("inter.broker.listener.name", "PLAINTEXT");
        server.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        server.put("log.dirs", kraftDir(dataDir));
        server.put("num.partitions", settings.partitions());
        server.put("auto.create.topics.enable", true);
        // One broker: every internal topic has one replica, and a consumer group's first rebalance need not wait for
        // more members (the 3 s default delays every test's first poll).
        server.put("default.replication.factor", 1);
        server.put("min.insync.replicas", 1);
        server.put("offsets.topic.replication.factor", 1);
        server.put("transaction.state.log.replication.factor", 1);
        server.put("transaction.state.log.min.isr", 1);
        server.put("share.coordinator.state.topic.replication.factor", 1);
        server.put("share.coordinator.state.topic.min.isr", 1);
        server.put("group.initial.rebalance.delay.ms", 0);
        // __consumer_offsets and __transaction_state are created with 50 partitions by default: 100 logs to create
        // (and their preallocated indexes) on a 2-core box when the first group or transaction appears.
        server.put("offsets.topic.num.partitions", 4);
        server.put("transaction.state.log.num.partitions", 4);
        write(serverProperties(dataDir), server);

        var log4j = new LinkedHashMap<String, Object>();
        // Kafka's own shutdown hook logs the broker's shutdown; Log4j's hook must not close the file before it ends.
        log4j.put("shutdownHook", "disable");
        log4j.put("appender.server.type", "RollingFile");
        log4j.put("appender.server.name", "server");
        log4j.put("appender.server.fileName", serverLog(dataDir));
        log4j.put("appender.server.filePattern", serverLog(dataDir) + ".%i");
        log4j.put("appender.server.layout.type", "PatternLayout");
        log4j.put("appender.server.layout.pattern", "[%d] %p %m (%c)%n");
        log4j.put("appender.server.policy.type", "SizeBasedTriggeringPolicy");
        log4j.put("appender.server.policy.size", "20MB");
        log4j.put("appender.server.strategy.type", "DefaultRolloverStrategy");
        log4j.put("appender.server.strategy.max", 5);
        log4j.put("rootLogger.level", "info");
        log4j.put("rootLogger.appenderRef.server.ref", "server");
        write(log4jConfig(dataDir), log4j);
    }

    private static void write(Path file, Map<String, Object> properties) throws IOException {
        var text = new StringBuilder("# Written by io.kairos.devkafka at each start; edits are overwritten.\n");
        properties.forEach((key, value) ->
                text.append(key).append('=').append(escape(value.toString())).append('\n'));
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    }

    /** A properties value as Kafka and Log4j read it (Properties.load of ISO-8859-1 bytes). */
    private static String escape(String value) {
        var out = new StringBuilder();
        value.chars().forEach(c -> {
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x80) {
                out.append((char) c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    private static Optional<Properties> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            var properties = new Properties();
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}

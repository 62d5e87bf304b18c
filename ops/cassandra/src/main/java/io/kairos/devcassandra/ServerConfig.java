package io.kairos.devcassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a dev node reads at start, rewritten from {@link DevCassandraSettings} at every start, and the layout of
 * its data directory.
 *
 * <p>Invariants: everything the node writes stays under the data directory; the cluster name, partitioner and token
 * never change between starts of one data directory (Cassandra refuses to start when they do); the seed is the node
 * itself, with its storage port spelled out (a bare address would mean port 7000).
 */
final class ServerConfig {

    private ServerConfig() {}

    static Path yamlFile(Path dataDir) {
        return dataDir.resolve("cassandra.yaml");
    }

    static Path logbackFile(Path dataDir) {
        return dataDir.resolve("logback.xml");
    }

    static Path logDir(Path dataDir) {
        return dataDir.resolve("logs");
    }

    /** Cassandra's own log, rolled by logback. */
    static Path systemLog(Path dataDir) {
        return logDir(dataDir).resolve("system.log");
    }

    /** The JVM's stdout and stderr: JVM warnings and anything printed before logback is up. */
    static Path processOutput(Path dataDir) {
        return logDir(dataDir).resolve("cassandra.out");
    }

    static Path triggersDir(Path dataDir) {
        return dataDir.resolve("triggers");
    }

    static Path pidFile(Path dataDir) {
        return dataDir.resolve("cassandra.pid");
    }

    static void write(DevCassandraSettings settings) {
        var dir = settings.dataDir();
        try {
            for (var sub : new String[] {"data", "commitlog", "saved_caches", "hints", "cdc_raw", "logs", "triggers"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.writeString(yamlFile(dir), yaml(settings));
            Files.writeString(logbackFile(dir), logback(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Cassandra configuration into " + dir, e);
        }
    }

    static String yaml(DevCassandraSettings s) {
        var dir = s.dataDir();
        var memtable = s.memtableSpaceMiB() + "MiB";
        return "# Written by io.kairos.devcassandra.DevCassandra at every start: change its Settings, not this file.\n"
                + "cluster_name: " + quote(s.clusterName()) + "\n"
                + "num_tokens: 1\n"
                + "initial_token: 0\n"
                + "partitioner: org.apache.cassandra.dht.Murmur3Partitioner\n"
                + "# SimpleSnitch puts the node in data center 'datacenter1', the driver's local-datacenter.\n"
                + "endpoint_snitch: SimpleSnitch\n"
                + "seed_provider:\n"
                + "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n"
                + "    parameters:\n"
                + "      - seeds: " + quote(s.host() + ":" + s.storagePort()) + "\n"
                + "listen_address: " + quote(s.host()) + "\n"
                + "rpc_address: " + quote(s.host()) + "\n"
                + "storage_port: " + s.storagePort() + "\n"
                + "native_transport_port: " + s.nativePort() + "\n"
                + "start_native_transport: true\n"
                + "data_file_directories:\n"
                + "  - " + quote(dir.resolve("data").toString()) + "\n"
                + "commitlog_directory: " + quote(dir.resolve("commitlog").toString()) + "\n"
                + "saved_caches_directory: " + quote(dir.resolve("saved_caches").toString()) + "\n"
                + "hints_directory: " + quote(dir.resolve("hints").toString()) + "\n"
                + "cdc_raw_directory: " + quote(dir.resolve("cdc_raw").toString()) + "\n"
                + s.commitLogSync().yaml()
                + "memtable_heap_space: " + memtable + "\n"
                + "memtable_offheap_space: " + memtable + "\n"
                + "concurrent_compactors: 1\n"
                // Cassandra's built-in default is 'ignore'; a dev node with a broken disk should stop, as in
                // production.
                + "disk_failure_policy: stop\n"
                + "commit_failure_policy: stop\n";
    }

    /** Logback 1.5 (Cassandra's) configuration: one rolled file, nothing on the console. */
    static String logback(Path dataDir) {
        var logs = xml(logDir(dataDir).toString());
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
                    <file>%1$s/system.log</file>
                    <rollingPolicy class="ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy">
                      <fileNamePattern>%1$s/system.log.%%d{yyyy-MM-dd}.%%i.gz</fileNamePattern>
                      <maxFileSize>20MB</maxFileSize>
                      <maxHistory>7</maxHistory>
                      <totalSizeCap>200MB</totalSizeCap>
                    </rollingPolicy>
                    <encoder>
                      <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
                    </encoder>
                  </appender>
                  <root level="INFO">
                    <appender-ref ref="FILE"/>
                  </root>
                </configuration>
                """
                .formatted(logs);
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}

package io.kairos.devkafka;

import io.kairos.devcassandra.ChildProcess;
import io.kairos.devcassandra.ParentWatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command lines of the broker's JVM and of the KRaft storage formatter: what bin/kafka-server-start.sh and
 * bin/kafka-storage.sh would run, with a dev-sized heap and GC.
 *
 * <p>Invariants: both run on the current JVM's {@code java} (Kafka 4 needs 17+, which the build enforces) with only the
 * broker's jars on their classpath; the broker JVM carries the {@link ParentWatch} agent, so it stops when this JVM
 * dies without running its shutdown hooks; {@link DevKafkaSettings#extraJvmOptions()} come last and so override the
 * defaults.
 */
final class BrokerCommand {

    static final String SERVER_CLASS = "kafka.Kafka";
    static final String STORAGE_TOOL_CLASS = "kafka.tools.StorageTool";

    /**
     * The serial collector instead of Kafka's G1 (kafka-run-class.sh): a dev broker's heap is small and its pauses do
     * not matter, and on a 2-core box G1's concurrent threads compete with the tests.
     */
    static final List<String> GC_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private BrokerCommand() {}

    /** Formats the data directory's KRaft storage for a new cluster (static quorum: no --standalone). */
    static List<String> format(DevKafkaSettings settings, List<Path> classpath, String clusterId) {
        var command = jvm(settings.dataDir(), classpath, List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"));
        command.add(STORAGE_TOOL_CLASS);
        command.addAll(List.of("format", "--cluster-id", clusterId, "--config"));
        command.add(BrokerFiles.serverProperties(settings.dataDir()).toString());
        return command;
    }

    static List<String> server(DevKafkaSettings settings, List<Path> classpath) {
        var dataDir = settings.dataDir();
        var options = new ArrayList<>(settings.heap().jvmOptions());
        options.add(parentWatchAgent(dataDir));
        options.addAll(settings.extraJvmOptions());
        var command = jvm(dataDir, classpath, options);
        command.add(SERVER_CLASS);
        command.add(BrokerFiles.serverProperties(dataDir).toString());
        return command;
    }

    /** Starts a command in the data directory, its output appended to {@code logs/kafka.out}. */
    static Process start(List<String> command, Path dataDir) throws IOException {
        return ChildProcess.launch(command, dataDir, BrokerFiles.processOutput(dataDir));
    }

    private static List<String> jvm(Path dataDir, List<Path> classpath, List<String> options) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(GC_OPTIONS);
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + BrokerFiles.log4jConfig(dataDir));
        command.addAll(options);
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(":")));
        return command;
    }

    /** The agent that stops the broker when this JVM is gone (ops/cassandra's, as for the dev Cassandra). */
    private static String parentWatchAgent(Path dataDir) {
        return ParentWatch.agentArgument(ParentWatch.writeAgentJar(dataDir));
    }
}

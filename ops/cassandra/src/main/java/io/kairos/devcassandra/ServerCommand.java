package io.kairos.devcassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The command line of a dev node's JVM: what bin/cassandra and conf/jvm17-server.options would give it, minus what only
 * production needs, plus the few system properties that make a one-node start fast.
 *
 * <p>Invariants: the JVM is a Java 11 or 17 (what Cassandra 5.0 supports; 18+ removed the SecurityManager it installs);
 * the server's classpath is only the resolved server jars; options from {@link DevCassandraSettings#extraJvmOptions()}
 * come last, so they override the defaults (HotSpot takes the last occurrence of an option).
 */
final class ServerCommand {

    static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    static final String JAVA_HOME_ENV = "KAIROS_CASSANDRA_JAVA_HOME";

    /**
     * The JPMS and Netty lines of Cassandra's conf/jvm17-server.options (5.0 line: CASSANDRA-18439, plus
     * {@code java.base/java.nio} from CASSANDRA-18848). Cassandra reaches into these JDK internals for direct buffer
     * cleaning, jamm's object sizing, Chronicle (audit log) and JMX; without them it fails at start.
     */
    static final List<String> JVM17_SERVER_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    /**
     * G1 as jvm17-server.options sets it, without {@code -XX:G1HeapRegionSize=16m}, which is sized for multi-GB heaps
     * (a 512 MiB heap would get only 32 regions).
     */
    static final List<String> GC_OPTIONS = List.of(
            "-XX:+UseG1GC",
            "-XX:+ParallelRefProcEnabled",
            "-XX:MaxTenuringThreshold=1",
            "-XX:G1RSetUpdatingPauseTimePercent=5",
            "-XX:MaxGCPauseMillis=300",
            "-XX:InitiatingHeapOccupancyPercent=70");

    /**
     * Cassandra calls mlockall() at start, which makes every committed page resident: with -Xms equal to -Xmx the whole
     * heap is locked in RAM from the first second (measured RSS 0.92 GB at -Xmx512m, against 0.51 GB with this initial
     * heap). The heap still grows to -Xmx when needed.
     */
    static final String INITIAL_HEAP = "-Xms64m";

    private ServerCommand() {}

    static List<String> build(DevCassandraSettings s, List<Path> classpath, Optional<Path> parentWatchJar) {
        var dir = s.dataDir();
        var command = new ArrayList<String>();
        command.add(javaExecutable(s.javaHome()).toString());
        command.add(INITIAL_HEAP);
        command.add("-Xmx" + s.maxHeap());
        command.addAll(GC_OPTIONS);
        // Cassandra's StartupChecks ask for one of these: an OOM'd node must not keep serving half-broken.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(JVM17_SERVER_OPTIONS);
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-javaagent:" + ServerLibrary.jammAgent(classpath));
        parentWatchJar.ifPresent(jar -> command.add(ParentWatch.agentArgument(jar)));
        command.add("-Dcassandra.config=" + ServerConfig.yamlFile(dir).toUri());
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.storagedir=" + dir);
        command.add("-Dcassandra.logdir=" + ServerConfig.logDir(dir));
        command.add("-Dlogback.configurationFile=" + ServerConfig.logbackFile(dir));
        command.add("-Dcassandra.jmx.local.port=" + s.jmxPort());
        // Cassandra looks for trigger jars there and warns at every start when the directory is missing.
        command.add("-Dcassandra.triggers_dir=" + ServerConfig.triggersDir(dir));
        // One node, its own seed: there is no gossip to settle and nobody to tell about a shutdown (saves 2 s each).
        command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        command.add("-Dcassandra.shutdown_announce_in_ms=0");
        command.addAll(s.extraJvmOptions());
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(":")));
        command.add(MAIN_CLASS);
        return command;
    }

    /** The java launcher: the given home, else $KAIROS_CASSANDRA_JAVA_HOME, else the current JVM's. */
    static Path defaultJavaHome() {
        var fromEnv = System.getenv(JAVA_HOME_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("java.home"));
    }

    static Path javaExecutable(Path javaHome) {
        var java = javaHome.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("No java launcher at " + java + "; set $" + JAVA_HOME_ENV);
        }
        int feature = featureVersion(javaHome);
        if (feature != 11 && feature != 17) {
            throw new IllegalStateException("Cassandra 5.0 runs on Java 11 or 17, but " + javaHome + " is Java "
                    + feature + "; set $" + JAVA_HOME_ENV + " to a Java 17 home");
        }
        return java;
    }

    /** The feature version from the JDK's release file, or the current JVM's when that file is missing. */
    private static int featureVersion(Path javaHome) {
        var release = javaHome.resolve("release");
        try {
            if (Files.isRegularFile(release)) {
                for (var line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        var version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        var first = version.split("[.+-]")[0];
                        return Integer.parseInt(first.equals("1") ? version.split("\\.")[1] : first);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + release, e);
        }
        return Runtime.version().feature();
    }
}

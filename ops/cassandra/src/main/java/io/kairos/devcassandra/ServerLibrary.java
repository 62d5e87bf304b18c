package io.kairos.devcassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds the Cassandra server's jars: the directory the build filled (ops/cassandra/target/cassandra-lib) unless the
 * system property {@value #LIB_DIR_PROPERTY} or the environment variable {@value #LIB_DIR_ENV} names another one.
 *
 * <p>Invariant: the classpath it returns is exactly the resolved server classpath when the directory has the build's
 * {@code classpath.txt} (so jars left over from an older server version are never picked up); a directory without it
 * (e.g. a Cassandra distribution's {@code lib/}) contributes all of its jars. Nothing here ever puts those jars on the
 * current JVM's classpath.
 */
final class ServerLibrary {

    static final String LIB_DIR_PROPERTY = "kairos.dev-cassandra.lib-dir";
    static final String LIB_DIR_ENV = "KAIROS_DEV_CASSANDRA_LIB";
    private static final String BUILD_PROPERTIES = "build.properties";
    private static final String CLASSPATH_FILE = "classpath.txt";

    private ServerLibrary() {}

    /** The lib dir to use when the caller names none: property, then environment, then what the build wrote. */
    static Path defaultLibDir() {
        var fromProperty = System.getProperty(LIB_DIR_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty).toAbsolutePath();
        }
        var fromEnv = System.getenv(LIB_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        return Path.of(buildProperties().getProperty("lib.dir"));
    }

    /** The Cassandra version the build resolved (for messages and reports). */
    static String serverVersion() {
        return buildProperties().getProperty("cassandra.version", "unknown");
    }

    /** The server's classpath, in resolution order; fails with what to do when the jars are not there. */
    static List<Path> classpath(Path libDir) {
        if (!Files.isDirectory(libDir)) {
            throw new IllegalStateException("Cassandra server jars not found: " + libDir + " does not exist. Build "
                    + "ops/cassandra (e.g. `mvn -pl ops/cassandra generate-resources` from the repository root), or "
                    + "point -D" + LIB_DIR_PROPERTY + " / $" + LIB_DIR_ENV + " at a directory holding them.");
        }
        var jars = new ArrayList<Path>();
        var listing = libDir.resolve(CLASSPATH_FILE);
        try {
            if (Files.isRegularFile(listing)) {
                for (var entry : Files.readString(listing).trim().split(":")) {
                    var jar = libDir.resolve(entry).normalize();
                    if (!Files.isRegularFile(jar)) {
                        throw new IllegalStateException(
                                listing + " names " + entry + ", which is missing: rebuild ops/cassandra");
                    }
                    jars.add(jar);
                }
            } else {
                try (Stream<Path> files = Files.list(libDir)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                            .sorted()
                            .forEach(jars::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Cassandra server jars in " + libDir, e);
        }
        if (jars.stream().noneMatch(ServerLibrary::isServerJar)) {
            throw new IllegalStateException(libDir + " holds no cassandra-all (or apache-cassandra) jar");
        }
        return List.copyOf(jars);
    }

    /** The jamm jar Cassandra needs as a {@code -javaagent} to measure memtable and cache sizes. */
    static Path jammAgent(List<Path> classpath) {
        return classpath.stream()
                .filter(jar -> jar.getFileName().toString().startsWith("jamm-"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No jamm-*.jar on the Cassandra server classpath"));
    }

    private static boolean isServerJar(Path jar) {
        var name = jar.getFileName().toString();
        return name.startsWith("cassandra-all-") || name.startsWith("apache-cassandra-");
    }

    private static Properties buildProperties() {
        var properties = new Properties();
        try (InputStream in = ServerLibrary.class.getResourceAsStream(BUILD_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("io/kairos/devcassandra/" + BUILD_PROPERTIES + " is missing from the "
                        + "classpath; set -D" + LIB_DIR_PROPERTY + " or $" + LIB_DIR_ENV);
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}

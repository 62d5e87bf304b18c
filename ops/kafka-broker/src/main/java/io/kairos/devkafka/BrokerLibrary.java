package io.kairos.devkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds the broker's jars: the directory the build filled (ops/kafka-broker/target/kafka-lib) unless the system
 * property {@value #LIB_DIR_PROPERTY} or the environment variable {@value #LIB_DIR_ENV} names another one (a Kafka
 * distribution's {@code libs/} works too).
 *
 * <p>Invariant: with the build's {@code classpath.txt} the classpath is exactly the resolved broker classpath, so jars
 * left by an older Kafka version are never picked up; a directory without it contributes all its jars. Nothing here
 * puts them on the current JVM's classpath.
 */
final class BrokerLibrary {

    static final String LIB_DIR_PROPERTY = "kairos.dev-kafka.lib-dir";
    static final String LIB_DIR_ENV = "KAIROS_DEV_KAFKA_LIB";

    private BrokerLibrary() {}

    /** Property, then environment, then what the build wrote into build.properties. */
    static Path defaultLibDir() {
        var fromProperty = System.getProperty(LIB_DIR_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        var fromEnv = System.getenv(LIB_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(buildProperties().getProperty("lib.dir"));
    }

    /** The Kafka version the build resolved, for messages. */
    static String kafkaVersion() {
        return buildProperties().getProperty("kafka.version", "unknown");
    }

    /** The broker's classpath in resolution order; fails with what to do when the jars are not there. */
    static List<Path> classpath(Path libDir) {
        if (!Files.isDirectory(libDir)) {
            throw new IllegalStateException("Kafka broker jars not found: " + libDir + " does not exist. Build "
                    + "ops/kafka-broker (`mvn -pl ops/kafka-broker generate-resources` from the repository root), or "
                    + "point -D" + LIB_DIR_PROPERTY + " / $" + LIB_DIR_ENV + " at a directory holding them.");
        }
        List<Path> jars;
        var listing = libDir.resolve("classpath.txt");
        try {
            if (Files.isRegularFile(listing)) {
                jars = Stream.of(Files.readString(listing).trim().split(":"))
                        .map(entry -> libDir.resolve(entry).normalize())
                        .toList();
            } else {
                try (Stream<Path> files = Files.list(libDir)) {
                    jars = files.filter(f -> f.toString().endsWith(".jar"))
                            .sorted()
                            .toList();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Kafka broker jars in " + libDir, e);
        }
        jars.stream().filter(jar -> !Files.isRegularFile(jar)).findFirst().ifPresent(missing -> {
            throw new IllegalStateException(
                    listing + " names " + missing + ", which is missing: rebuild ops/kafka-broker");
        });
        if (jars.stream().noneMatch(jar -> jar.toString().matches(".*/kafka_2\\.1[0-9]-[^/]*\\.jar"))) {
            throw new IllegalStateException(libDir + " holds no kafka_2.13 jar");
        }
        return jars;
    }

    private static Properties buildProperties() {
        var properties = new Properties();
        try (InputStream in = BrokerLibrary.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/kairos/devkafka/build.properties is missing from the classpath; "
                        + "set -D" + LIB_DIR_PROPERTY + " or $" + LIB_DIR_ENV);
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}

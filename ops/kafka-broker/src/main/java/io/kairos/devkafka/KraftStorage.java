package io.kairos.devkafka;

import io.kairos.devcassandra.LogTail;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The data directory's KRaft storage: formatted once, by Kafka's own {@code kafka.tools.StorageTool} in a child JVM on
 * the broker's classpath (what bin/kafka-storage.sh runs), for a new cluster id.
 *
 * <p>Invariant: a directory is formatted at most once; its cluster id ({@code kraft/meta.properties}) never changes,
 * which is how a broker answering on a port is recognised as this directory's.
 */
final class KraftStorage {

    private KraftStorage() {}

    /** The directory's cluster id, formatting the directory first when it has none. */
    static String clusterIdOrFormat(DevKafkaSettings settings, List<Path> classpath) throws IOException {
        var existing = BrokerFiles.clusterId(settings.dataDir());
        if (existing.isPresent()) {
            return existing.get();
        }
        var clusterId = newClusterId();
        var process = BrokerCommand.start(BrokerCommand.format(settings, classpath, clusterId), settings.dataDir());
        try {
            if (!process.waitFor(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw failure(settings, "did not end within " + settings.startTimeout());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting " + settings.dataDir(), e);
        }
        if (process.exitValue() != 0) {
            throw failure(settings, "failed with status " + process.exitValue());
        }
        return clusterId;
    }

    /**
     * A cluster id as Kafka's {@code Uuid.randomUuid()} makes them: 16 random bytes, URL-safe base64 without padding,
     * never starting with '-' (a command line would read it as an option).
     */
    static String newClusterId() {
        while (true) {
            var uuid = UUID.randomUUID();
            var bytes = ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits())
                    .array();
            var id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static IllegalStateException failure(DevKafkaSettings settings, String what) {
        return new IllegalStateException("Formatting the KRaft storage of " + settings.dataDir() + " " + what + "\n"
                + LogTail.of(BrokerFiles.processOutput(settings.dataDir()), 20));
    }
}

package io.kairos.models.registry;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens a {@link ModelStore} from a spec: a directory path; {@code cassandra://host:port/keyspace}; or just
 * {@code cassandra}, the store the node serves from (first of {@code KAIROS_CASSANDRA_CONTACT_POINTS}, default
 * 127.0.0.1:9042, keyspace {@code KAIROS_KEYSPACE}, default {@code kairos}). The local data center comes from
 * {@code KAIROS_CASSANDRA_DC} (default {@code datacenter1}).
 */
public final class ModelStores {
    private ModelStores() {}

    /** An open store and what to close when done with it. */
    public record Opened(ModelStore store, String description, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            if (resource == null) return;
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the model store " + description, e);
            }
        }
    }

    public static Opened open(String spec) {
        if (spec.equals("cassandra")) {
            var points = System.getenv()
                    .getOrDefault("KAIROS_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042")
                    .split(",")[0]
                    .trim();
            spec = "cassandra://" + (points.contains(":") ? points : points + ":9042") + "/"
                    + System.getenv().getOrDefault("KAIROS_KEYSPACE", "kairos");
        }
        if (!spec.startsWith("cassandra://")) {
            var dir = new DirectoryModelStore(Path.of(spec));
            return new Opened(dir, dir.root().toString(), null);
        }
        var uri = URI.create(spec);
        if (uri.getHost() == null)
            throw new IllegalArgumentException("expected cassandra://host:port/keyspace, got " + spec);
        var keyspace = uri.getPath() == null || uri.getPath().length() <= 1
                ? "kairos"
                : uri.getPath().substring(1);
        var dc = System.getenv().getOrDefault("KAIROS_CASSANDRA_DC", "datacenter1");
        var session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 9042 : uri.getPort()))
                .withLocalDatacenter(dc)
                .build();
        return new Opened(new CassandraModelStore(session, keyspace), spec, session);
    }
}

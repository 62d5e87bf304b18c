package io.kairos.devcassandra;

import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a dev node in the foreground until interrupted (Ctrl-C stops it gracefully), with the schema applied:
 * {@code java -cp <this module's classpath> io.kairos.devcassandra.DevCassandraMain <dataDir> [nativePort storagePort
 * jmxPort]}.
 *
 * <p>Prints one line {@code READY pid=<pid or reused> contact=<host:port>} once the node answers CQL, which is what
 * scripts (and the parent-watch test) wait for.
 */
public final class DevCassandraMain {

    private DevCassandraMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 && args.length != 4) {
            System.err.println("usage: DevCassandraMain <dataDir> [nativePort storagePort jmxPort]");
            System.exit(2);
        }
        var settings = DevCassandraSettings.defaults(Path.of(args[0]));
        if (args.length == 4) {
            settings = settings.with(c -> {
                c.nativePort = Integer.parseInt(args[1]);
                c.storagePort = Integer.parseInt(args[2]);
                c.jmxPort = Integer.parseInt(args[3]);
            });
        }
        var node = DevCassandra.start(settings);
        try (var session = CassandraSchema.openSession(node.contactPoint())) {
            CassandraSchema.apply(session, SchemaSettings.defaults());
        }
        var contact = node.contactPoint();
        System.out.println("READY pid="
                + (node.pid().isPresent() ? Long.toString(node.pid().getAsLong()) : "reused") + " contact="
                + contact.getHostString() + ":" + contact.getPort());
        System.out.flush();
        // The node's shutdown hook stops it when this JVM is interrupted or terminated.
        new CountDownLatch(1).await();
    }
}

package io.kairos.devcassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Java agent loaded into the Cassandra JVM that stops Cassandra when the JVM that launched it is gone, even when that
 * JVM died by {@code kill -9} and its shutdown hook never ran. Without it, a test fork killed by a timeout would leave
 * a 0.5 GB Cassandra running on a shared machine.
 *
 * <p>Invariants: this class uses the JDK only and has no nested or anonymous classes, because it is the only class of
 * the agent jar {@link #writeAgentJar(Path)} builds (the Cassandra JVM must not see the rest of this module). It
 * identifies the parent by pid and start time, so a recycled pid does not keep Cassandra alive. It exits with
 * {@link System#exit(int)}, which runs Cassandra's own shutdown hook (drain: flush memtables, close the commit log).
 */
public final class ParentWatch implements Runnable {

    private static final long POLL_MILLIS = 1_000;

    private final long parentPid;
    private final long parentStartMillis;

    private ParentWatch(long parentPid, long parentStartMillis) {
        this.parentPid = parentPid;
        this.parentStartMillis = parentStartMillis;
    }

    /** Agent entry point; {@code args} is {@code <pid>:<start epoch millis>} of the JVM to follow. */
    public static void premain(String args) {
        var parts = args.split(":");
        var watch = new ParentWatch(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        var thread = new Thread(watch, "kairos-parent-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (parentAlive()) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("kairos-parent-watch: launching JVM " + parentPid + " is gone; stopping this JVM");
        System.exit(0);
    }

    private boolean parentAlive() {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = parent.get().info().startInstant();
        // Start times are derived from clock ticks since boot; allow for rounding between JVM versions.
        return started.isEmpty() || Math.abs(started.get().toEpochMilli() - parentStartMillis) < 1_000;
    }

    /** The {@code -javaagent} argument that makes a child JVM (Cassandra, the dev Kafka broker) follow this JVM. */
    public static String agentArgument(Path agentJar) {
        var self = ProcessHandle.current();
        long startMillis = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return "-javaagent:" + agentJar + "=" + self.pid() + ":" + startMillis;
    }

    /** Writes a jar holding only this class, with the manifest of an agent. */
    public static Path writeAgentJar(Path directory) {
        var jar = directory.resolve("kairos-parent-watch.jar");
        var classFile = ParentWatch.class.getName().replace('.', '/') + ".class";
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
        try {
            var partial = Files.createTempFile(directory, "kairos-parent-watch", ".jar.tmp");
            try (InputStream bytes = ParentWatch.class.getResourceAsStream("/" + classFile);
                    OutputStream file = Files.newOutputStream(partial);
                    JarOutputStream out = new JarOutputStream(file, manifest)) {
                if (bytes == null) {
                    throw new IllegalStateException(classFile + " is not readable from the classpath");
                }
                out.putNextEntry(new JarEntry(classFile));
                bytes.transferTo(out);
                out.closeEntry();
            }
            return Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + jar, e);
        }
    }
}

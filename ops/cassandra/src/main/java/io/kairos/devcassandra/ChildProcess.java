package io.kairos.devcassandra;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/** How the dev launchers (Cassandra, the Kafka broker) start and stop a server JVM. */
public final class ChildProcess {
    private ChildProcess() {}

    /**
     * Starts {@code command} in {@code workDir}, its output (after a line naming the command) appended to
     * {@code output}. Agents meant for this JVM (coverage, profilers: {@code JAVA_TOOL_OPTIONS}) stay out of it.
     */
    public static Process launch(List<String> command, Path workDir, Path output) throws IOException {
        Files.writeString(
                output,
                "=== " + Instant.now() + " launching: " + String.join(" ", command) + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        var builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(output.toFile()));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        return builder.start();
    }

    /**
     * SIGTERM, so the server runs its own shutdown (Cassandra drains, Kafka's controlled shutdown); a kill after
     * {@code timeout}. Logs how long it took under {@code name}; an interrupt kills at once and keeps the flag.
     */
    public static void stop(Process process, Duration timeout, String name, Logger log) {
        try {
            if (!process.isAlive()) return;
            long begun = System.nanoTime();
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} pid {} did not stop within {}; killing it", name, process.pid(), timeout);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            log.info(
                    "{} pid {} stopped in {} ms",
                    name,
                    process.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

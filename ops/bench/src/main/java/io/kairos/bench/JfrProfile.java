package io.kairos.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU goes, per measured interval: one Java Flight Recorder recording per process for the whole run
 * (started with {@code jcmd} before anything is measured, profile settings: a stack sample every 10 ms per running
 * thread), dumped once at the end and cut into the intervals by event time. Starting a recording costs the target a
 * pause (seen here: the first {@code JFR.start} stalled Cassandra long enough for writes to time out), so it is never
 * started inside a measured interval.
 *
 * <p>A sample is charged to the innermost frame outside the JDK and the Scala library, so JSON parsing inside Akka HTTP
 * counts as Jackson, a driver write as the DataStax driver, and so on.
 */
final class JfrProfile {
    private static final String RECORDING = "kairos-bench";

    private JfrProfile() {}

    /** A measured interval. */
    record Window(Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /** Sample counts per component, largest first, and the garbage collector's total pause time. */
    record Summary(long samples, Map<String, Long> byComponent, double gcPauseMs) {
        String top(int n) {
            var text = new StringBuilder();
            byComponent.entrySet().stream()
                    .limit(n)
                    .forEach(e -> text.append(String.format(
                            Locale.ROOT, "%s %.0f%%, ", e.getKey(), 100.0 * e.getValue() / Math.max(1, samples))));
            return text.length() == 0 ? "no samples" : text.substring(0, text.length() - 2);
        }
    }

    /** Starts the run-long recording (at most an hour is kept). */
    static void start(long pid) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=profile", "maxage=1h");
    }

    /** Writes the recording so far to {@code file}; it keeps running until the process ends. */
    static void dump(long pid, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.dump", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
    }

    /** One pass over a recording: a summary per named window (windows may not overlap). */
    static Map<String, Summary> summarize(Path file, Map<String, Window> windows) throws IOException {
        var counts = new HashMap<String, Map<String, Long>>();
        var samples = new HashMap<String, Long>();
        var gcPauseMs = new HashMap<String, Double>();
        try (var recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                var type = event.getEventType().getName();
                boolean sample = type.equals("jdk.ExecutionSample") && event.getStackTrace() != null;
                boolean gc = type.equals("jdk.GarbageCollection");
                if (!sample && !gc) continue;
                for (var w : windows.entrySet()) {
                    if (!w.getValue().contains(event.getStartTime())) continue;
                    if (sample) {
                        samples.merge(w.getKey(), 1L, Long::sum);
                        counts.computeIfAbsent(w.getKey(), k -> new HashMap<>())
                                .merge(component(event.getStackTrace().getFrames()), 1L, Long::sum);
                    } else {
                        gcPauseMs.merge(
                                w.getKey(), event.getDuration("sumOfPauses").toNanos() / 1e6, Double::sum);
                    }
                    break;
                }
            }
        }
        var summaries = new LinkedHashMap<String, Summary>();
        for (var name : windows.keySet()) {
            var sorted = new LinkedHashMap<String, Long>();
            counts.getOrDefault(name, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            summaries.put(name, new Summary(samples.getOrDefault(name, 0L), sorted, gcPauseMs.getOrDefault(name, 0.0)));
        }
        return summaries;
    }

    /** The component a stack's innermost non-JDK, non-Scala frame belongs to (top frame first). */
    static String component(List<RecordedFrame> frames) {
        String innermost = null;
        for (var frame : frames) {
            if (frame.getMethod() == null || frame.getMethod().getType() == null) continue;
            var className = frame.getMethod().getType().getName();
            if (innermost == null) innermost = className;
            if (!isPlatform(className)) return component(className, frames);
        }
        return innermost == null ? "unknown" : "JDK " + packageOf(innermost, 3);
    }

    static String component(String className, List<RecordedFrame> frames) {
        if (className.startsWith("org.apache.cassandra."))
            return "cassandra." + packageOf(className.substring("org.apache.cassandra.".length()), 2);
        if (className.startsWith("com.fasterxml.jackson.") || className.startsWith("akka.serialization.jackson.")) {
            return calls(frames, "akka.serialization.")
                    ? "Jackson CBOR (event/message serialization)"
                    : "Jackson JSON (HTTP bodies)";
        }
        if (className.startsWith("akka.http.")) return "Akka HTTP";
        if (className.startsWith("akka.persistence.cassandra."))
            return "akka-persistence-cassandra (journal, tag writes)";
        if (className.startsWith("akka.stream.alpakka.cassandra."))
            return "akka-persistence-cassandra (journal, tag writes)";
        if (className.startsWith("akka.persistence.")) return "Akka Persistence";
        if (className.startsWith("akka.cluster.sharding.")) return "Akka Cluster Sharding";
        if (className.startsWith("akka.stream.")) return "Akka Streams";
        if (className.startsWith("akka.remote.") || className.startsWith("akka.cluster."))
            return "Akka Cluster/remoting";
        if (className.startsWith("akka.")) return "Akka actors and dispatch";
        if (className.startsWith("com.datastax.")) return "DataStax driver";
        if (className.startsWith("io.netty.")) return "Netty";
        if (className.startsWith("io.kairos.")) return "Kairos (io.kairos)";
        if (className.startsWith("ch.qos.logback.") || className.startsWith("org.slf4j.")) return "logging";
        return packageOf(className, 2);
    }

    private static boolean calls(List<RecordedFrame> frames, String prefix) {
        for (var frame : frames) {
            if (frame.getMethod() != null
                    && frame.getMethod().getType() != null
                    && frame.getMethod().getType().getName().startsWith(prefix)) return true;
        }
        return false;
    }

    private static boolean isPlatform(String className) {
        return className.startsWith("java.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("scala.")
                || className.startsWith("com.sun.");
    }

    private static String packageOf(String className, int segments) {
        var parts = className.split("\\.");
        return String.join(".", Arrays.copyOf(parts, Math.min(segments, Math.max(1, parts.length - 1))));
    }

    private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", args) + " on " + pid + " failed: " + output.trim());
        }
    }
}

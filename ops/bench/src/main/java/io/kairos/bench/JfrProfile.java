package io.kairos.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * Where a JVM's CPU goes during a step: a Java Flight Recorder recording of a running process (started and stopped
 * with {@code jcmd}, profile settings: a stack sample every 10 ms per running thread), summarised as the share of
 * execution samples per component. A sample is charged to the innermost frame outside the JDK and the Scala library,
 * so JSON parsing inside Akka HTTP counts as Jackson, a driver write as the DataStax driver, and so on.
 */
final class JfrProfile {
  private static final String RECORDING = "kairos-bench";

  private JfrProfile() {}

  /** Sample counts per component, largest first, and the garbage collector's total pause time. */
  record Summary(long samples, Map<String, Long> byComponent, double gcPauseMs) {
    String top(int n) {
      var text = new StringBuilder();
      byComponent.entrySet().stream().limit(n).forEach(e -> text.append(String.format(Locale.ROOT, "%s %.0f%%, ",
          e.getKey(), 100.0 * e.getValue() / Math.max(1, samples))));
      return text.length() == 0 ? "no samples" : text.substring(0, text.length() - 2);
    }
  }

  static void start(long pid) throws IOException, InterruptedException {
    jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=profile");
  }

  static void stop(long pid, Path file) throws IOException, InterruptedException {
    jcmd(pid, "JFR.stop", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
  }

  static Summary summarize(Path file) throws IOException {
    var counts = new HashMap<String, Long>();
    long samples = 0;
    double gcPauseMs = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      var type = event.getEventType().getName();
      if (type.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
        samples++;
        counts.merge(component(event.getStackTrace().getFrames()), 1L, Long::sum);
      } else if (type.equals("jdk.GarbageCollection")) {
        gcPauseMs += event.getDuration("sumOfPauses").toNanos() / 1e6;
      }
    }
    var sorted = new LinkedHashMap<String, Long>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return new Summary(samples, sorted, gcPauseMs);
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
    if (className.startsWith("org.apache.cassandra.")) return "cassandra." + packageOf(className.substring("org.apache.cassandra.".length()), 2);
    if (className.startsWith("com.fasterxml.jackson.") || className.startsWith("akka.serialization.jackson.")) {
      return calls(frames, "akka.serialization.") ? "Jackson CBOR (event/message serialization)" : "Jackson JSON (HTTP bodies)";
    }
    if (className.startsWith("akka.http.")) return "Akka HTTP";
    if (className.startsWith("akka.persistence.cassandra.")) return "akka-persistence-cassandra (journal, tag writes)";
    if (className.startsWith("akka.stream.alpakka.cassandra.")) return "akka-persistence-cassandra (journal, tag writes)";
    if (className.startsWith("akka.persistence.")) return "Akka Persistence";
    if (className.startsWith("akka.cluster.sharding.")) return "Akka Cluster Sharding";
    if (className.startsWith("akka.stream.")) return "Akka Streams";
    if (className.startsWith("akka.remote.") || className.startsWith("akka.cluster.")) return "Akka Cluster/remoting";
    if (className.startsWith("akka.")) return "Akka actors and dispatch";
    if (className.startsWith("com.datastax.")) return "DataStax driver";
    if (className.startsWith("io.netty.")) return "Netty";
    if (className.startsWith("io.kairos.")) return "Kairos (io.kairos)";
    if (className.startsWith("ch.qos.logback.") || className.startsWith("org.slf4j.")) return "logging";
    return packageOf(className, 2);
  }

  private static boolean calls(List<RecordedFrame> frames, String prefix) {
    for (var frame : frames) {
      if (frame.getMethod() != null && frame.getMethod().getType() != null && frame.getMethod().getType().getName().startsWith(prefix)) return true;
    }
    return false;
  }

  private static boolean isPlatform(String className) {
    return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
        || className.startsWith("scala.") || className.startsWith("com.sun.");
  }

  private static String packageOf(String className, int segments) {
    var parts = className.split("\\.");
    return String.join(".", Arrays.copyOf(parts, Math.min(segments, Math.max(1, parts.length - 1))));
  }

  private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + String.join(" ", args) + " on " + pid + " failed: " + output.trim());
    }
  }
}

package io.kairos.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Brackets one measured interval: CPU used by each process of the benchmark (and by the rest of the machine) and,
 * when profiling, a flight recording of the node and of Cassandra for exactly that interval.
 *
 * <p>Single use: {@link #start} once, then {@link #end} once.
 */
final class Probe {
  private final Map<String, Long> pids;
  private final Map<String, Long> profiled;
  private final Path profileDir;
  private final String name;
  private final Map<String, JfrProfile.Summary> profiles = new LinkedHashMap<>();
  private CpuMeter.Snapshot startSnapshot;

  /**
   * @param pids       the processes to account CPU to, by label
   * @param profiled   the JVMs to record with JFR, by label (empty: no profiling)
   * @param profileDir where recordings are written
   * @param name       this interval's name, used in recording file names
   */
  Probe(Map<String, Long> pids, Map<String, Long> profiled, Path profileDir, String name) {
    this.pids = new LinkedHashMap<>(pids);
    this.profiled = profiled;
    this.profileDir = profileDir;
    this.name = name;
  }

  /** Adds a process (the load generator, known only once it runs) before {@link #start}. */
  Probe with(String label, long pid) {
    pids.put(label, pid);
    return this;
  }

  void start() {
    for (var pid : profiled.values()) {
      try {
        JfrProfile.start(pid);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("cannot start a flight recording in " + pid + ": " + e.getMessage(), e);
      }
    }
    startSnapshot = CpuMeter.take(pids);
  }

  CpuMeter.Usage end() {
    var usage = CpuMeter.between(startSnapshot, CpuMeter.take(pids));
    profiled.forEach((label, pid) -> {
      var file = profileDir.resolve(name + "-" + label.replaceAll("[^A-Za-z0-9]+", "_") + ".jfr");
      try {
        JfrProfile.stop(pid, file);
        profiles.put(label, JfrProfile.summarize(file));
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("cannot stop or read the flight recording of " + label + ": " + e.getMessage(), e);
      }
    });
    return usage;
  }

  /** The flight recordings' summaries, by label; empty unless profiling. Valid after {@link #end}. */
  Map<String, JfrProfile.Summary> profiles() {
    return profiles;
  }
}

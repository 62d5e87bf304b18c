package io.kairos.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of named processes and of the whole machine, read from Linux's /proc, so a step can say how many cores
 * Cassandra, the node, the load generator and everything else on the box used while it ran.
 *
 * <p>Invariant: figures are differences of two {@link Snapshot}s taken while every named process was alive; a process
 * that is gone at either end is reported as absent, never as zero.
 */
final class CpuMeter {
    // USER_HZ: the unit of /proc/<pid>/stat and /proc/stat times; 100 on every Linux architecture Java runs on.
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuMeter() {}

    /** CPU seconds used so far by each named process, and busy CPU seconds of the machine (all cores). */
    record Snapshot(long nanoTime, Map<String, Double> processSeconds, double machineBusySeconds) {}

    /** Cores used over an interval: per named process, by the machine, and by everything else on it. */
    record Usage(double seconds, Map<String, Double> processCores, double machineCores) {
        double otherCores() {
            return Math.max(
                    0,
                    machineCores
                            - processCores.values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sum());
        }
    }

    static Snapshot take(Map<String, Long> pids) {
        var seconds = new LinkedHashMap<String, Double>();
        pids.forEach((name, pid) -> {
            var cpu = processSeconds(pid);
            if (cpu >= 0) seconds.put(name, cpu);
        });
        return new Snapshot(System.nanoTime(), seconds, machineBusySeconds());
    }

    static Usage between(Snapshot start, Snapshot end) {
        double wall = (end.nanoTime() - start.nanoTime()) / 1e9;
        var cores = new LinkedHashMap<String, Double>();
        start.processSeconds().forEach((name, before) -> {
            var after = end.processSeconds().get(name);
            if (after != null) cores.put(name, (after - before) / wall);
        });
        return new Usage(wall, cores, (end.machineBusySeconds() - start.machineBusySeconds()) / wall);
    }

    /** User + system CPU seconds of a live process; -1 if it is gone. */
    static double processSeconds(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND; // utime, stime
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Busy CPU seconds of all cores since boot: everything in /proc/stat's cpu line but idle and iowait. */
    static double machineBusySeconds() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            var cpu = lines.filter(l -> l.startsWith("cpu "))
                    .findFirst()
                    .orElseThrow()
                    .trim()
                    .split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user/nice]
            for (int i = 1; i <= Math.min(8, cpu.length - 1); i++) {
                if (i != 4 && i != 5) busy += Long.parseLong(cpu[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-, 5- and 15-minute load averages as /proc/loadavg prints them. */
    static String loadAverage() {
        try {
            var parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

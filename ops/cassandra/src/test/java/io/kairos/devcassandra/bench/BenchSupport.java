package io.kairos.devcassandra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** What both benchmarks read from /proc and how they summarise latencies. */
final class BenchSupport {

    private BenchSupport() {}

    /** Resident set size of a process, in MiB. */
    static long rssMiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        throw new IllegalStateException("No VmRSS for pid " + pid);
    }

    /** User + system CPU seconds a process has used so far. */
    static double cpuSeconds(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the command name.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0;
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /** The value at quantile q (0..1) of sorted nanosecond latencies, in microseconds. */
    static long micros(long[] sortedNanos, double q) {
        int index = (int) Math.min(sortedNanos.length - 1, Math.round(q * (sortedNanos.length - 1)));
        return sortedNanos[index] / 1_000;
    }

    static long[] sorted(long[] nanos) {
        var copy = nanos.clone();
        Arrays.sort(copy);
        return copy;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (var path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

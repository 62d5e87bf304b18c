package io.kairos.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Brackets one measured interval: when it began and ended (to cut the flight recordings, see {@link JfrProfile}) and
 * the CPU each process of the benchmark, and the rest of the machine, used meanwhile.
 *
 * <p>Single use: {@link #start} once, then {@link #end} once.
 */
final class Probe {
    private final Map<String, Long> pids;
    private CpuMeter.Snapshot startSnapshot;
    private Instant from;
    private Instant to;

    /** @param pids the processes to account CPU to, by label */
    Probe(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    /** Adds a process (the load generator, known only once it runs) before {@link #start}. */
    Probe with(String label, long pid) {
        pids.put(label, pid);
        return this;
    }

    void start() {
        from = Instant.now();
        startSnapshot = CpuMeter.take(pids);
    }

    CpuMeter.Usage end() {
        var usage = CpuMeter.between(startSnapshot, CpuMeter.take(pids));
        to = Instant.now();
        return usage;
    }

    /** The measured interval; valid after {@link #end}. */
    JfrProfile.Window window() {
        return new JfrProfile.Window(from, to);
    }
}

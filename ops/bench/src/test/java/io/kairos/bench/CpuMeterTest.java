package io.kairos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** CPU accounting from /proc: live processes are measured, gone ones are absent rather than idle. */
class CpuMeterTest {

    @Test
    void measuresThisProcessAndReportsAGoneProcessAsAbsent() throws Exception {
        long self = ProcessHandle.current().pid();
        var gone = new ProcessBuilder("true").start();
        gone.waitFor();

        var snapshot = CpuMeter.take(Map.of("self", self, "gone", gone.pid()));

        assertThat(snapshot.processSeconds()).containsOnlyKeys("self");
        assertThat(snapshot.processSeconds().get("self")).isPositive();
        assertThat(snapshot.machineBusySeconds())
                .isGreaterThanOrEqualTo(snapshot.processSeconds().get("self"));
    }

    @Test
    void dividesCpuTimeByWallTimeAndAttributesTheRestToOtherProcesses() {
        var start = new CpuMeter.Snapshot(0, Map.of("node", 10.0, "cassandra", 20.0), 100.0);
        var end = new CpuMeter.Snapshot(10_000_000_000L, Map.of("node", 15.0, "cassandra", 23.0), 118.0);

        var usage = CpuMeter.between(start, end);

        assertThat(usage.seconds()).isEqualTo(10.0);
        assertThat(usage.processCores()).containsEntry("node", 0.5).containsEntry("cassandra", 0.3);
        assertThat(usage.machineCores()).isCloseTo(1.8, within(1e-9));
        assertThat(usage.otherCores()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void leavesOutAProcessThatEndedDuringTheInterval() {
        var start = new CpuMeter.Snapshot(0, Map.of("node", 10.0, "load generator", 1.0), 100.0);
        var end = new CpuMeter.Snapshot(1_000_000_000L, Map.of("node", 10.5), 101.0);

        assertThat(CpuMeter.between(start, end).processCores()).containsOnlyKeys("node");
    }
}

package io.kairos.bench;

import static io.kairos.bench.IngestBenchmark.fmt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What one ingest benchmark run is given and what it measures (see {@link IngestBenchmark}). */
final class IngestRun {
    private IngestRun() {}

    record Settings(
            int shoppers,
            String distribution,
            double zipfExponent,
            int batch,
            int stepSeconds,
            double startRate,
            double rateFactor,
            int maxSteps,
            int refineSteps,
            List<Double> rates,
            double p99LimitMs,
            double capacityP99Ms,
            int warmupSeconds,
            double primeRate,
            int rawSeconds,
            int rawWarmupSeconds,
            List<Integer> rawConcurrency,
            String journalKeyspace,
            boolean profile,
            List<String> generatorJvmOptions) {}

    /**
     * One load step: the offered rate, what Gatling saw, and what the processes used meanwhile. Acknowledged events/s
     * are the OK requests' events over the injection window: a step without errors answered every request, so it
     * acknowledged what was offered.
     */
    record Step(
            String name,
            double offeredEventsPerSecond,
            int seconds,
            int batch,
            boolean measured,
            GatlingSummary summary,
            CpuMeter.Usage cpu,
            JfrProfile.Window window,
            double p99LimitMs,
            double capacityP99Ms) {
        double acknowledgedEventsPerSecond() {
            return (double) summary.ok() * batch / seconds;
        }

        /** Meets the target: no error and p99 within the limit. */
        boolean sustained() {
            return withinCapacity() && summary.percentile(99) <= p99LimitMs;
        }

        /** Keeps up: no error and p99 within the (looser) capacity bound. */
        boolean withinCapacity() {
            return measured && summary.ko() == 0 && summary.percentile(99) <= capacityP99Ms;
        }

        String verdict() {
            if (!measured) return "unmeasured";
            if (sustained()) return "holds";
            if (withinCapacity()) return "keeps up, p99 " + fmt(summary.percentile(99)) + " ms > " + fmt(p99LimitMs);
            var why = new ArrayList<String>();
            if (summary.ko() > 0) why.add(summary.ko() + " errors");
            if (summary.percentile(99) > capacityP99Ms)
                why.add("p99 " + fmt(summary.percentile(99)) + " ms > " + fmt(capacityP99Ms));
            return "overloaded: " + String.join(", ", why);
        }
    }

    /**
     * A finished run. {@code profiles}: for each measured interval (step name, or {@code raw-before-32} …), the flight
     * recording summary of each profiled process (empty unless profiling).
     */
    record Result(
            Settings settings,
            Instant startedAt,
            String loadBefore,
            String loadAfter,
            int cpus,
            RawInsertReference.Sample sample,
            List<RawInsertReference.Result> rawBefore,
            List<RawInsertReference.Result> rawAfter,
            Step prime,
            Step warmup,
            List<Step> steps,
            Map<String, Map<String, JfrProfile.Summary>> profiles) {

        /** The highest rate meeting the target (p99 within the limit, no error). */
        Optional<Step> best() {
            return steps.stream()
                    .filter(Step::sustained)
                    .max(Comparator.comparingDouble(Step::acknowledgedEventsPerSecond));
        }

        /** The highest rate the node kept up with (no error, p99 within the capacity bound). */
        Optional<Step> capacity() {
            return steps.stream()
                    .filter(Step::withinCapacity)
                    .max(Comparator.comparingDouble(Step::acknowledgedEventsPerSecond));
        }

        double rawInsertsPerSecond() {
            return Stream.concat(rawBefore.stream(), rawAfter.stream())
                    .mapToDouble(RawInsertReference.Result::insertsPerSecond)
                    .max()
                    .orElse(Double.NaN);
        }
    }
}

package io.kairos.bench;

import static io.kairos.bench.IngestBenchmark.fmt;

import io.kairos.bench.IngestRun.Result;
import io.kairos.bench.IngestRun.Step;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Formats the ingest benchmark's progress lines, its final report and the Markdown rows for BENCHMARKS.md. */
final class IngestReport {
    private IngestReport() {}

    static String stepLine(Step s) {
        var g = s.summary();
        return String.format(
                Locale.ROOT,
                "%-7s offered %s ev/s (%s req/s x %d) -> acknowledged %s ev/s; latency p50 %s / p95 %s / p99 %s / p99.9 %s / max %s ms"
                        + " (p99 acknowledged %s, refused or failed %s ms); requests %,d, errors %,d%s; cores: %s -- %s",
                s.name(),
                fmt(s.offeredEventsPerSecond()),
                fmt(s.offeredEventsPerSecond() / s.batch()),
                s.batch(),
                fmt(s.acknowledgedEventsPerSecond()),
                fmt(g.percentile(50)),
                fmt(g.percentile(95)),
                fmt(g.percentile(99)),
                fmt(g.percentile(99.9)),
                fmt(g.maxMs()),
                Double.isNaN(g.okP99Ms()) ? "-" : fmt(g.okP99Ms()),
                Double.isNaN(g.koP99Ms()) ? "-" : fmt(g.koP99Ms()),
                g.requests(),
                g.ko(),
                errors(g.errors()),
                cores(s.cpu()),
                s.verdict());
    }

    static String rawLine(String name, RawInsertReference.Result r) {
        return String.format(
                Locale.ROOT,
                "%s, %d in flight: %s inserts/s over %.1f s, p50 %.2f / p99 %.2f ms, errors %,d; cores: %s",
                name,
                r.concurrency(),
                fmt(r.insertsPerSecond()),
                r.seconds(),
                r.p50Ms(),
                r.p99Ms(),
                r.errors(),
                cores(r.cpu()));
    }

    static String cores(CpuMeter.Usage usage) {
        if (usage == null) return "n/a";
        var parts = usage.processCores().entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "%s, other processes %.2f (machine %.2f of %d)",
                parts,
                usage.otherCores(),
                usage.machineCores(),
                Runtime.getRuntime().availableProcessors());
    }

    /** CPU milliseconds per acknowledged event (or per insert), per process: what one event costs each component. */
    static String cpuPerEvent(CpuMeter.Usage usage, double eventsPerSecond) {
        if (usage == null || !(eventsPerSecond > 0)) return "n/a";
        return usage.processCores().entrySet().stream()
                        .map(e -> e.getKey() + " "
                                + String.format(Locale.ROOT, "%.3f", 1000 * e.getValue() / eventsPerSecond))
                        .collect(Collectors.joining(", "))
                + " ms";
    }

    private static String errors(Map<String, Long> errors) {
        if (errors.isEmpty()) return "";
        return errors.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3)
                .map(e -> e.getValue() + "x " + e.getKey())
                .collect(Collectors.joining("; ", " (", ")"));
    }

    static String text(Result r) {
        var s = r.settings();
        var text = new StringBuilder();
        text.append("\n==== Kairos ingest benchmark ====\n");
        text.append(String.format(
                Locale.ROOT,
                "started %s; nproc %d; load average before %s, after %s%n",
                r.startedAt(),
                r.cpus(),
                r.loadBefore(),
                r.loadAfter()));
        text.append(String.format(
                Locale.ROOT,
                "load: %,d shoppers (%s%s), %d events per request, steps of %d s; target p99 <= %s ms, no errors; "
                        + "capacity bound p99 <= %s ms%n",
                s.shoppers(),
                s.distribution(),
                s.distribution().equalsIgnoreCase("zipf") ? " s=" + s.zipfExponent() : "",
                s.batch(),
                s.stepSeconds(),
                fmt(s.p99LimitMs()),
                fmt(s.capacityP99Ms())));
        text.append(String.format(
                Locale.ROOT,
                "journal rows copied by the reference: BehaviourRecorded, event blob %.0f B, row payload %.0f B (sample of %,d rows: %s)%n",
                r.sample().meanEventBytes(),
                r.sample().meanPayloadBytes(),
                r.sample().rowsRead(),
                r.sample().manifests()));
        text.append("steps:\n");
        for (var step : r.steps()) text.append("  ").append(stepLine(step)).append('\n');
        text.append("raw inserts:\n");
        r.rawBefore()
                .forEach(x -> text.append("  ").append(rawLine("before", x)).append('\n'));
        r.rawAfter().forEach(x -> text.append("  ").append(rawLine("after", x)).append('\n'));
        double raw = r.rawInsertsPerSecond();
        text.append(String.format(Locale.ROOT, "raw inserts (best of before/after): %s rows/s%n", fmt(raw)));
        var best = r.best();
        if (best.isPresent()) {
            var b = best.get();
            text.append(String.format(
                    Locale.ROOT,
                    "best rate meeting the target: %s events/s acknowledged with p99 %s ms, p50 %s ms%n",
                    fmt(b.acknowledgedEventsPerSecond()),
                    fmt(b.summary().percentile(99)),
                    fmt(b.summary().percentile(50))));
            text.append(String.format(
                    Locale.ROOT,
                    "RATIO at p99 <= %s ms: Kairos events/s / raw inserts/s = %.3f  (goal >= 0.5)%n",
                    fmt(s.p99LimitMs()),
                    b.acknowledgedEventsPerSecond() / raw));
            text.append("CPU per acknowledged event there: ")
                    .append(cpuPerEvent(b.cpu(), b.acknowledgedEventsPerSecond()))
                    .append('\n');
        } else {
            text.append("no step met the target (p99 <= " + fmt(s.p99LimitMs())
                    + " ms, no errors): RATIO at the target undefined\n");
        }
        var capacity = r.capacity();
        if (capacity.isPresent()) {
            var c = capacity.get();
            text.append(String.format(
                    Locale.ROOT,
                    "capacity (highest rate kept up with: no error, p99 <= %s ms): %s events/s, p99 %s ms, p50 %s ms; "
                            + "ratio to raw inserts %.3f%n",
                    fmt(s.capacityP99Ms()),
                    fmt(c.acknowledgedEventsPerSecond()),
                    fmt(c.summary().percentile(99)),
                    fmt(c.summary().percentile(50)),
                    c.acknowledgedEventsPerSecond() / raw));
            text.append("CPU per acknowledged event at capacity: ")
                    .append(cpuPerEvent(c.cpu(), c.acknowledgedEventsPerSecond()))
                    .append('\n');
        } else {
            text.append("no step was within capacity (no errors, p99 <= " + fmt(s.capacityP99Ms()) + " ms)\n");
        }
        var bestRaw = Stream.concat(r.rawBefore().stream(), r.rawAfter().stream())
                .max(Comparator.comparingDouble(RawInsertReference.Result::insertsPerSecond));
        bestRaw.ifPresent(x -> text.append("CPU per raw insert at the best reference run: ")
                .append(cpuPerEvent(x.cpu(), x.insertsPerSecond()))
                .append('\n'));
        if (!r.profiles().isEmpty()) {
            text.append("where CPU went (flight recordings; share of execution samples by component):\n");
            r.profiles()
                    .forEach((interval, byProcess) -> byProcess.forEach((process, p) -> text.append(String.format(
                            Locale.ROOT,
                            "  %-14s %-9s %,6d samples, GC pauses %,.0f ms: %s%n",
                            interval,
                            process,
                            p.samples(),
                            p.gcPauseMs(),
                            p.top(8)))));
        }
        return text.toString();
    }

    /** Rows for BENCHMARKS.md: one per step, then the reference runs. */
    static String markdown(Result r) {
        var md = new StringBuilder();
        md.append(
                "| step | offered ev/s | acknowledged ev/s | p50 ms | p95 ms | p99 ms | p99.9 ms | errors | cores: Cassandra / node / load gen / others | verdict |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (var step : r.steps()) {
            var g = step.summary();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %,d | %s | %s |%n",
                    step.name(),
                    fmt(step.offeredEventsPerSecond()),
                    fmt(step.acknowledgedEventsPerSecond()),
                    fmt(g.percentile(50)),
                    fmt(g.percentile(95)),
                    fmt(g.percentile(99)),
                    fmt(g.percentile(99.9)),
                    g.ko(),
                    coreColumns(step.cpu(), "load generator"),
                    step.verdict()));
        }
        md.append(
                "\n| raw inserts | in flight | rows/s | p50 ms | p99 ms | errors | cores: Cassandra / node / bench client / others |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|\n");
        r.rawBefore().forEach(x -> md.append(rawRow("before", x)));
        r.rawAfter().forEach(x -> md.append(rawRow("after", x)));
        return md.toString();
    }

    private static String rawRow(String when, RawInsertReference.Result x) {
        return String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.2f | %.2f | %,d | %s |%n",
                when,
                x.concurrency(),
                fmt(x.insertsPerSecond()),
                x.p50Ms(),
                x.p99Ms(),
                x.errors(),
                coreColumns(x.cpu(), "bench"));
    }

    private static String coreColumns(CpuMeter.Usage u, String client) {
        if (u == null) return "n/a";
        var c = u.processCores();
        return String.format(
                Locale.ROOT,
                "%s / %s / %s / %.2f",
                core(c, "cassandra"),
                core(c, "node"),
                core(c, client),
                u.otherCores());
    }

    private static String core(Map<String, Double> cores, String name) {
        var v = cores.get(name);
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}

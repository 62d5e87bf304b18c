package io.kairos.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * What one Gatling run measured, read from the "Global Information" and "Errors" blocks Gatling prints when it has
 * generated its reports (Gatling 3.14 writes its statistics only into that console summary and the HTML report).
 * Latencies are in milliseconds, Gatling's own resolution; percentiles are those configured by {@link GatlingRunner}.
 *
 * @param requests requests sent (OK + KO)
 * @param ok requests that passed every check (202 and all events accepted)
 * @param ko requests that failed (status, check, timeout or connection error)
 * @param okPerSecond mean OK requests per second over the run, as Gatling computes it
 * @param percentilesMs percentile (50, 95, 99, 99.9) of all requests' response time
 * @param okP99Ms 99th percentile of the OK requests' response time (NaN: none)
 * @param koP99Ms 99th percentile of the failed requests' response time, refusals included (NaN: none)
 * @param meanMs mean response time of all requests
 * @param maxMs slowest request
 * @param errors error message to count, as Gatling groups them
 */
record GatlingSummary(
        long requests,
        long ok,
        long ko,
        double okPerSecond,
        Map<Double, Double> percentilesMs,
        double okP99Ms,
        double koP99Ms,
        double meanMs,
        double maxMs,
        Map<String, Long> errors) {

    private static final Pattern ROW =
            Pattern.compile("^> (.+?)\\s+\\|\\s*([-\\d,.]+)\\s*\\|\\s*([-\\d,.]+)\\s*\\|\\s*([-\\d,.]+)\\s*$");
    private static final Pattern PERCENTILE = Pattern.compile("response time ([\\d.]+)th percentile \\(ms\\)");
    // Counts carry thousands separators ("1,732"); the message itself may end in digits ("after 10000 ms").
    private static final Pattern ERROR =
            Pattern.compile("^> (.+?)\\s+(\\d{1,3}(?:,\\d{3})*)\\s+\\(\\s*[\\d.]+%\\)\\s*$");

    double percentile(double p) {
        var value = percentilesMs.get(p);
        if (value == null)
            throw new IllegalArgumentException(
                    "Gatling reported no " + p + "th percentile; it has " + percentilesMs.keySet());
        return value;
    }

    /** Parses the last summary in a Gatling console log; throws if there is none (the run crashed or was cut short). */
    static GatlingSummary parse(List<String> lines) {
        int start = -1;
        for (int i = lines.size() - 1; i >= 0 && start < 0; i--) {
            if (lines.get(i).startsWith("---- Global Information")) start = i;
        }
        if (start < 0) throw new IllegalStateException("no '---- Global Information' summary in Gatling's output");
        var total = new LinkedHashMap<String, Double>();
        var okColumn = new LinkedHashMap<String, Double>();
        var koColumn = new LinkedHashMap<String, Double>();
        var errors = new LinkedHashMap<String, Long>();
        boolean inErrors = false;
        for (int i = start + 1; i < lines.size(); i++) {
            var line = lines.get(i);
            if (line.startsWith("====")) break;
            if (line.startsWith("---- ")) {
                inErrors = line.startsWith("---- Errors");
                continue;
            }
            if (inErrors) {
                var m = ERROR.matcher(line);
                if (m.matches())
                    errors.merge(m.group(1).trim(), Long.parseLong(m.group(2).replace(",", "")), Long::sum);
                continue;
            }
            var m = ROW.matcher(line);
            if (m.matches()) {
                number(m.group(2)).ifPresent(v -> total.put(m.group(1).trim(), v));
                number(m.group(3)).ifPresent(v -> okColumn.put(m.group(1).trim(), v));
                number(m.group(4)).ifPresent(v -> koColumn.put(m.group(1).trim(), v));
            }
        }
        var percentiles = new LinkedHashMap<Double, Double>();
        total.forEach((label, value) -> {
            var m = PERCENTILE.matcher(label);
            if (m.matches()) percentiles.put(Double.parseDouble(m.group(1)), value);
        });
        long requests = required(total, "request count").longValue();
        return new GatlingSummary(
                requests,
                okColumn.getOrDefault("request count", 0.0).longValue(),
                koColumn.getOrDefault("request count", 0.0).longValue(),
                okColumn.getOrDefault("mean throughput (rps)", 0.0),
                Map.copyOf(percentiles),
                okColumn.getOrDefault("response time 99th percentile (ms)", Double.NaN),
                koColumn.getOrDefault("response time 99th percentile (ms)", Double.NaN),
                required(total, "mean response time (ms)"),
                required(total, "max response time (ms)"),
                Map.copyOf(errors));
    }

    private static Double required(Map<String, Double> row, String label) {
        var value = row.get(label);
        if (value == null) throw new IllegalStateException("Gatling's summary has no '" + label + "' row");
        return value;
    }

    private static OptionalDouble number(String cell) {
        var text = cell.replace(",", "").trim();
        return text.equals("-") || text.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(Double.parseDouble(text));
    }
}

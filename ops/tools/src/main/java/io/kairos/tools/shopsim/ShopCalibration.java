package io.kairos.tools.shopsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.models.data.CsvTable;
import io.kairos.models.demand.ElasticityFitter;
import io.kairos.models.lifecycle.BgNbdFitter;
import io.kairos.models.lifecycle.BgNbdModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * The shop simulator's population, fitted to the public data sets in {@code ../shared/data} at every run (read from
 * there, never copied). Each behaviour comes from one data set:
 *
 * <ul>
 *   <li><b>visit and purchase rhythm</b> (CDNOW): BG/NBD by maximum likelihood on the customers' (frequency, recency,
 *       T) summary, in weeks: a shopper buys at a Gamma(r, α) rate and drops out after a purchase with a Beta(a, b)
 *       probability; order values are log-normal, fitted to the dollar value of every CDNOW transaction;
 *   <li><b>baseline response and uplift to a coupon</b> (Hillstrom): the conversion of the no-e-mail control, and the
 *       ratio of the e-mailed groups' conversion to it, the average lift of a promotion on buying within two weeks; how
 *       that lift varies between customers, as the lifts of groups of customers (history segment × newbie × channel,
 *       each shrunk towards the average), a shopper drawing her group by its size;
 *   <li><b>response by offer type and spend</b> (Starbucks rewards app): how an offer's completion rate grows with its
 *       value relative to the spend it asks for (reward ÷ difficulty), as the slope of log completion on log value over
 *       the portfolio's discount and buy-one-get-one offers;
 *   <li><b>price elasticity</b> (Dominick's orange juice): log sales on log price with brand intercepts.
 * </ul>
 */
record ShopCalibration(
        BgNbdModel rhythm,
        double orderValueLogMean,
        double orderValueLogSd,
        double controlConversion,
        double promotionLift,
        List<double[]> groupLifts,
        double valueSlope,
        double elasticity,
        double elasticitySe) {

    static ShopCalibration fit(Path data) throws IOException {
        var rhythm = new BgNbdFitter()
                .fit(BgNbdFitter.readSummary(data.resolve("lifecycle/cdnow_customers_summary.csv")))
                .model();
        // CDNOW_master.txt: customer, date, CDs, dollar value (whitespace separated)
        double sum = 0, sumSq = 0;
        int n = 0;
        for (var line : Files.readAllLines(data.resolve("lifecycle/CDNOW_master.txt"))) {
            var f = line.trim().split("\\s+");
            if (f.length < 4) continue;
            double value;
            try {
                value = Double.parseDouble(f[3]);
            } catch (NumberFormatException e) {
                continue; // the header
            }
            if (value <= 0) continue;
            double l = Math.log(value);
            sum += l;
            sumSq += l * l;
            n++;
        }
        double logMean = sum / n;
        double logSd = Math.sqrt(sumSq / n - logMean * logMean);

        var hillstrom = CsvTable.read(data.resolve("uplift/hillstrom.csv"));
        int segment = hillstrom.column("segment");
        int conversion = hillstrom.column("conversion");
        int[] groupColumns = {
            hillstrom.column("history_segment"), hillstrom.column("newbie"), hillstrom.column("channel")
        };
        double controlN = 0, control = 0, treatedN = 0, treated = 0;
        // per group of customers (history segment × newbie × channel): {control n, control buyers, treated n, buyers}
        var groups = new java.util.TreeMap<String, double[]>();
        for (int i = 0; i < hillstrom.size(); i++) {
            var s = hillstrom.get(i, segment);
            boolean isControl = s.equals("No E-Mail");
            if (!isControl && !s.endsWith("E-Mail")) continue;
            double c = Double.parseDouble(hillstrom.get(i, conversion));
            var key = new StringBuilder();
            for (int col : groupColumns) key.append(hillstrom.get(i, col)).append('|');
            var g = groups.computeIfAbsent(key.toString(), k -> new double[4]);
            if (isControl) {
                controlN++;
                control += c;
                g[0]++;
                g[1] += c;
            } else {
                treatedN++;
                treated += c;
                g[2]++;
                g[3] += c;
            }
        }
        double controlRate = control / controlN;
        double lift = (treated / treatedN) / controlRate;
        // each group's lift, shrunk towards the overall one (half a control buyer's worth of prior), weighted by size
        var groupLifts = new ArrayList<double[]>();
        for (var g : groups.values()) {
            if (g[0] < 50 || g[2] < 50) continue;
            double prior = 0.5 / controlRate; // pseudo-customers carrying half a buyer at the overall rates
            double c = (g[1] + 0.5) / (g[0] + prior);
            double t = (g[3] + 0.5 * lift) / (g[2] + prior);
            groupLifts.add(new double[] {t / c, g[0] + g[2]});
        }

        double slope = starbucksValueSlope(data.resolve("offers"));

        var oj = new ElasticityFitter()
                .fit(CsvTable.read(data.resolve("pricing/dominicks_oj.csv")), "price", "sales", "brand");
        return new ShopCalibration(
                rhythm,
                logMean,
                logSd,
                controlRate,
                lift,
                List.copyOf(groupLifts),
                slope,
                oj.model().elasticity(),
                oj.elasticityStdError());
    }

    /**
     * Starbucks: per offer of the portfolio that asks for a spend, its completion rate (completions ÷ receipts) against
     * reward ÷ difficulty; the least-squares slope of log completion on log(reward ÷ difficulty).
     */
    static double starbucksValueSlope(Path offers) throws IOException {
        var json = new ObjectMapper();
        var ratio = new HashMap<String, Double>();
        for (var line : Files.readAllLines(offers.resolve("starbucks_portfolio.json"))) {
            if (line.isBlank()) continue;
            var o = json.readTree(line);
            if (o.get("difficulty").asDouble() > 0)
                ratio.put(
                        o.get("id").asText(),
                        o.get("reward").asDouble() / o.get("difficulty").asDouble());
        }
        var received = new HashMap<String, Integer>();
        var completed = new HashMap<String, Integer>();
        try (var lines = Files.lines(offers.resolve("starbucks_transcript.json"))) {
            lines.forEach(line -> {
                boolean receipt = line.contains("\"offer received\"");
                boolean completion = line.contains("\"offer completed\"");
                if (!receipt && !completion) return;
                try {
                    var v = json.readTree(line).get("value");
                    var id = v.has("offer id")
                            ? v.get("offer id").asText()
                            : v.get("offer_id").asText();
                    (receipt ? received : completed).merge(id, 1, Integer::sum);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        var xs = new ArrayList<Double>();
        var ys = new ArrayList<Double>();
        ratio.forEach((id, r) -> {
            int got = received.getOrDefault(id, 0);
            int done = completed.getOrDefault(id, 0);
            if (got > 0 && done > 0) {
                xs.add(Math.log(r));
                ys.add(Math.log((double) done / got));
            }
        });
        return slope(xs, ys);
    }

    private static double slope(List<Double> xs, List<Double> ys) {
        double mx = xs.stream().mapToDouble(d -> d).average().orElseThrow();
        double my = ys.stream().mapToDouble(d -> d).average().orElseThrow();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < xs.size(); i++) {
            sxy += (xs.get(i) - mx) * (ys.get(i) - my);
            sxx += (xs.get(i) - mx) * (xs.get(i) - mx);
        }
        return sxy / sxx;
    }

    /** One line per parameter and where it came from (printed with every run). */
    List<String> describe() {
        return List.of(
                String.format(
                        Locale.ROOT,
                        "rhythm (CDNOW, BG/NBD, weeks): r %.3f, alpha %.3f, a %.3f, b %.3f",
                        rhythm.r(),
                        rhythm.alpha(),
                        rhythm.a(),
                        rhythm.b()),
                String.format(
                        Locale.ROOT,
                        "order value (CDNOW transactions): log-normal, mean of log %.3f, sd %.3f (median %.2f)",
                        orderValueLogMean,
                        orderValueLogSd,
                        Math.exp(orderValueLogMean)),
                String.format(
                        Locale.ROOT,
                        "coupon response (Hillstrom): control conversion %.4f, promotion lift x%.2f; by group of"
                                + " customers (history x newbie x channel, %d groups) x%.2f to x%.2f",
                        controlConversion,
                        promotionLift,
                        groupLifts.size(),
                        groupLifts.stream().mapToDouble(g -> g[0]).min().orElse(1),
                        groupLifts.stream().mapToDouble(g -> g[0]).max().orElse(1)),
                String.format(
                        Locale.ROOT,
                        "response by value (Starbucks): completion ~ (reward/difficulty)^%.3f",
                        valueSlope),
                String.format(
                        Locale.ROOT, "price elasticity (Dominick's OJ): %.3f (se %.3f)", elasticity, elasticitySe));
    }
}

package io.kairos.tools.shopsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.http.Role;
import io.kairos.tools.Tool;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shop-sim}: a closed-loop shop over simulated days. One population, calibrated on the public data sets
 * ({@link ShopCalibration}), plays each policy on its own copy with the same random streams: no coupons, a blanket
 * coupon (each value of the grid, the best reported), RFM layers, the oracle, and Kairos through its HTTP API on a dev
 * node's simulated clock. Prints each policy's books, its incremental profit against no coupons with a 95 % interval
 * (paired by shopper), and draws cumulative profit by day.
 */
@Command(
        name = "shop-sim",
        description = {
            "Simulates a shop's shoppers over days against several coupon policies, Kairos among them (through the HTTP"
                    + " API of a dev node started with KAIROS_CLOCK=simulated), and reports each policy's profit.",
            "Keys come from KAIROS_API_KEYS in the node's format (an admin key; default: the dev node's dev-admin)."
        })
public final class ShopSimCommand extends Tool implements Callable<Integer> {

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            description = "Kairos's API (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--shoppers", defaultValue = "20000", description = "shoppers (default ${DEFAULT-VALUE})")
    int shoppers;

    @Option(names = "--days", defaultValue = "28", description = "simulated days (default ${DEFAULT-VALUE})")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "seed of the population and its streams (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--skus", defaultValue = "200", description = "catalogue SKUs (default ${DEFAULT-VALUE})")
    int skus;

    @Option(
            names = "--budget",
            description = "the discount budget of every policy that sends coupons (default: 0.50 per shopper)")
    Double budget;

    @Option(
            names = "--overbooking",
            description = "how many times its budget every one of Kairos's campaigns may reserve (the campaign field"
                    + " overbooking; 1: every issued coupon can be honoured). Default: per campaign, as the API"
                    + " reference tells an operator, its coupon's maximum discount ÷ what it takes off the catalogue's"
                    + " median price ÷ a redemption rate of one half, between 1 and 20")
    Double overbooking;

    @Option(
            names = "--policies",
            split = ",",
            defaultValue = "none,blanket,rfm,oracle,kairos",
            description = "policies to run (default ${DEFAULT-VALUE}); none always runs")
    List<String> policies;

    @Option(names = "--start", description = "the first simulated day (ISO-8601 instant; default: the node's clock)")
    Instant start;

    @Option(
            names = "--chart",
            description = "where to draw cumulative profit by day (PNG; default .kairos/shop-sim/shop-sim-<seed>.png)")
    Path chart;

    @Option(names = "--data", description = "the public data sets (default: ../shared/data, or -Dkairos.shared.data)")
    Path data;

    @Option(names = "--json", description = "print the result as JSON only")
    boolean json;

    @Option(
            names = "--forecast-day",
            description = "check the campaign forecast (kairos): Kairos runs one campaign, of --forecast-coupon, and"
                    + " pauses it 7 days before this day; on it, the same coupon is forecast to the last day (POST"
                    + " /v1/campaigns/simulate) and launched alone; the report sets the forecast's 90 %% interval against"
                    + " the profit its coupons realised on those days (each visit with a coupon also played without it"
                    + " on the same random draw), less its messages")
    Integer forecastDay;

    @Option(
            names = "--forecast-coupon",
            defaultValue = "off5",
            description = "with --forecast-day: the grid coupon checked (default ${DEFAULT-VALUE})")
    String forecastCoupon;

    @Option(names = "--api-key", description = "an admin key (default: the first admin key of KAIROS_API_KEYS)")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        var dataDir = data != null ? data : Path.of(System.getProperty("kairos.shared.data", "../shared/data"));
        var calibration = ShopCalibration.fit(dataDir);
        var world = new ShopWorld(calibration, shoppers, skus, seed);
        double spend = budget != null ? budget : 0.5 * shoppers;
        if (!json) calibration.describe().forEach(line -> out().println("calibration: " + line));

        var shops = new ArrayList<ShopSimulator.Shop>();
        shops.add(LocalShops.none());
        if (policies.contains("blanket")) for (var c : LocalShops.GRID) shops.add(LocalShops.blanket(c, spend));
        if (policies.contains("rfm")) shops.add(LocalShops.rfm(spend));
        if (policies.contains("oracle")) shops.add(LocalShops.oracle(spend));
        KairosShop kairos = null;
        if (policies.contains("kairos")) {
            kairos = new KairosShop(
                    url,
                    apiKey != null ? apiKey : apiKey(Set.of(Role.ADMIN), "dev-admin"),
                    spend,
                    start == null ? Instant.EPOCH : start,
                    seed,
                    days,
                    overbooking);
            if (forecastDay != null) {
                if (forecastDay < 1 || forecastDay >= days)
                    throw new IllegalArgumentException(
                            "--forecast-day must be within the run's days (1 to " + (days - 1) + ")");
                kairos.forecastOn(forecastDay, forecastCoupon);
            }
            shops.add(kairos);
        }
        var books = ShopSimulator.run(world, shops, days, line -> err().println(line));
        var none = books.get("none");
        // blanket: the grid value with the largest incremental profit
        ShopSimulator.Books blanket = null;
        for (var b : books.values())
            if (b.policy.startsWith("blanket-") && (blanket == null || b.profit() > blanket.profit())) blanket = b;

        var report = new LinkedHashMap<String, Object>();
        var byPolicy = new LinkedHashMap<String, Object>();
        var chosen = new LinkedHashMap<String, ShopSimulator.Books>();
        chosen.put("none", none);
        if (blanket != null) chosen.put("blanket", blanket);
        for (var name : List.of("rfm", "kairos", "oracle"))
            if (books.containsKey(name)) chosen.put(name, books.get(name));
        for (var e : chosen.entrySet()) {
            var b = e.getValue();
            var incremental = ShopSimulator.incremental(b, none);
            var p = new LinkedHashMap<String, Object>();
            p.put("revenue", round(b.revenue));
            p.put("couponCost", round(b.couponCost));
            p.put("messageCost", round(b.messageCost()));
            p.put("grossMargin", round(b.grossMargin()));
            p.put("incrementalProfit", round(incremental[0]));
            p.put("incrementalProfitLow", round(incremental[1]));
            p.put("incrementalProfitHigh", round(incremental[2]));
            p.put("issued", b.issued);
            p.put("redeemed", b.redeemed);
            p.put("budgetUsed", round(b.budgetUsed));
            p.put("budget", e.getKey().equals("none") ? 0 : round(spend));
            p.put("waitedShare", b.purchases == 0 ? 0 : round4((double) b.waited / b.purchases));
            p.put("purchases", b.purchases);
            p.put("cancelled", b.cancelled);
            if (e.getKey().equals("blanket")) p.put("coupon", b.policy.substring("blanket-".length()));
            byPolicy.put(e.getKey(), p);
        }
        if (kairos != null) {
            double spent = kairos.spent();
            ((Map<String, Object>) byPolicy.get("kairos")).put("budgetUsedByNode", round(spent));
            if (spent > spend + 0.005)
                err().printf(Locale.ROOT, "BUDGET EXCEEDED: the node spent %.2f of %.2f%n", spent, spend);
        }
        if (kairos != null && forecastDay != null) {
            var check = kairos.forecastReport();
            // the grid's coupons lapsed before the forecast day: every coupon shown since is the forecast campaign's
            double realized = -ShopSimulator.MESSAGE_COST * (Long) check.get("issued");
            var effect = books.get("kairos").couponEffectByDay;
            for (int day = forecastDay; day < days; day++) realized += effect[day];
            var profit = (Map<?, ?>) ((Map<?, ?>) check.get("forecast")).get("incrementalProfit");
            double low = ((Number) profit.get("low")).doubleValue();
            double high = ((Number) profit.get("high")).doubleValue();
            check.put("realizedIncrementalProfit", round(realized));
            check.put("covered", low <= realized && realized <= high);
            // the same days as a whole: Kairos's shop against no coupons, so also what coupons do to visits without
            // one (strategic shoppers waiting), but with the noise of two shops whose paths parted long before
            var k = books.get("kairos").cumulativeProfitByDay;
            var n = none.cumulativeProfitByDay;
            check.put("shopDifference", round((k[days - 1] - k[forecastDay - 1]) - (n[days - 1] - n[forecastDay - 1])));
            report.put("forecastCheck", check);
            if (!json)
                out().printf(
                                Locale.ROOT,
                                "forecast of %s from day %d (%s): incremental profit %.2f, 90 %% interval %.2f to %.2f;"
                                        + " realised %.2f (%s); issued %s forecast, %d realised%n",
                                check.get("coupon"),
                                forecastDay,
                                check.get("method"),
                                ((Number) profit.get("estimate")).doubleValue(),
                                low,
                                high,
                                realized,
                                low <= realized && realized <= high ? "covered" : "NOT covered",
                                ((Map<?, ?>) check.get("forecast")).get("issued"),
                                (Long) check.get("issued"));
        }
        report.put("policies", byPolicy);
        report.put("days", days);
        report.put("shoppers", shoppers);
        report.put("seed", seed);

        var file = chart != null ? chart : Path.of(".kairos", "shop-sim", "shop-sim-" + seed + ".png");
        if (file.toAbsolutePath().getParent() != null)
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        draw(chosen, file);
        if (json) {
            out().println(new ObjectMapper().writeValueAsString(report));
        } else {
            print(byPolicy);
            out().println("chart: " + file.toAbsolutePath());
            if (kairos != null) {
                out().printf(
                                Locale.ROOT,
                                "Kairos's campaigns spent %.2f of %.2f (the node's count, refunds given back)%n",
                                ((Map<?, ?>) byPolicy.get("kairos")).get("budgetUsedByNode"),
                                spend);
                out().println("requests to Kairos: " + kairos.requests());
            }
        }
        out().flush();
        return 0;
    }

    private void print(Map<String, Object> byPolicy) {
        out().printf(
                        Locale.ROOT,
                        "%n%-8s %12s %10s %9s %12s %26s %8s %8s %10s %7s%n",
                        "policy",
                        "revenue",
                        "coupons",
                        "messages",
                        "margin",
                        "incremental profit (95 %)",
                        "issued",
                        "redeemed",
                        "budget",
                        "waited");
        byPolicy.forEach((name, value) -> {
            @SuppressWarnings("unchecked")
            var p = (Map<String, Object>) value;
            out().printf(
                            Locale.ROOT,
                            "%-8s %12.2f %10.2f %9.2f %12.2f %10.2f [%6.0f, %6.0f] %8d %8d %10.2f %7.4f%s%n",
                            name,
                            p.get("revenue"),
                            p.get("couponCost"),
                            p.get("messageCost"),
                            p.get("grossMargin"),
                            p.get("incrementalProfit"),
                            p.get("incrementalProfitLow"),
                            p.get("incrementalProfitHigh"),
                            p.get("issued"),
                            p.get("redeemed"),
                            p.get("budgetUsed"),
                            p.get("waitedShare"),
                            p.containsKey("coupon") ? "  (" + p.get("coupon") + ")" : "");
        });
    }

    private void draw(Map<String, ShopSimulator.Books> books, Path file) throws java.io.IOException {
        var series = new XYSeriesCollection();
        books.forEach((name, b) -> {
            var s = new XYSeries(name);
            for (int d = 0; d < b.cumulativeProfitByDay.length; d++) s.add(d + 1, b.cumulativeProfitByDay[d]);
            series.addSeries(s);
        });
        var chart = ChartFactory.createXYLineChart(
                "Cumulative profit by simulated day (seed " + seed + ", " + shoppers + " shoppers)",
                "day",
                "gross margin less message cost",
                series,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        ChartUtils.saveChartAsPNG(new File(file.toString()), chart, 900, 500);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

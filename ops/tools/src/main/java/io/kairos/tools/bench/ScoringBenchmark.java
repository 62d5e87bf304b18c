package io.kairos.tools.bench;

import io.kairos.models.trees.Booster;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.Score;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftExample;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftTrainer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Single-shopper decision latency: one call scoring 20 candidate offers, through the serving path
 * ({@link UpliftModel#score}, plain-Java tree walk including feature encoding) and through XGBoost itself (the raw
 * engine, xgboost4j {@code Booster.predict} on a DMatrix of the same pre-encoded 20 + 1 rows, plus the value model), on
 * the same trained model in the same run. Prints p50/p99/p99.9 and the ratio, and checks the two paths agree.
 *
 * <p>Not a test: figures depend on the machine. Run with {@code ./kairos bench-scoring} (the launcher sets the thread
 * caps).
 */
@picocli.CommandLine.Command(
        name = "bench-scoring",
        mixinStandardHelpOptions = true,
        description = "Time the uplift model's scoring of a 20-candidate decision against the raw XGBoost engine "
                + "(prints figures; asserts nothing).")
public final class ScoringBenchmark implements Runnable {
    private static final int CANDIDATES = 20;

    /** Benchmark settings: training rows, timed iterations per path, warm-up iterations. */
    public record Settings(int trainRows, int iterations, int warmup) {}

    /** Latencies in microseconds. */
    public record Latency(double p50, double p99, double p999, double mean) {}

    /** All figures of one run. */
    public record Result(int trees, Latency serving, Latency servingPreEncoded, Latency rawEngine, double maxAbsDiff) {}

    @picocli.CommandLine.Option(
            names = "--iterations",
            defaultValue = "20000",
            description = "Timed iterations per path (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public void run() {
        var settings = new Settings(50_000, iterations, 10_000);
        System.out.printf(
                "nproc %d, load average %.2f, java %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"));
        Result r = run(settings);
        System.out.printf(
                "model: %d trees (depth 3) + value model; batch of %d candidate offers per call%n",
                r.trees(), CANDIDATES);
        print("UpliftModel.score (encode + tree walk)", r.serving());
        print("tree walk only: conversion model, 21 encoded rows", r.servingPreEncoded());
        print("raw XGBoost (xgboost4j predict, 21+20 rows)", r.rawEngine());
        System.out.printf(
                "ratio raw engine / serving: p50 %.1fx, p99 %.1fx%n",
                r.rawEngine().p50() / r.serving().p50(),
                r.rawEngine().p99() / r.serving().p99());
        System.out.printf("max |serving - XGBoost| over all benchmark rows: %.3g%n", r.maxAbsDiff());
    }

    private static void print(String what, Latency l) {
        System.out.printf(
                "%-50s p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  mean %8.1f us%n",
                what, l.p50(), l.p99(), l.p999(), l.mean());
    }

    public static Result run(Settings settings) {
        var rnd = new Random(42);
        List<UpliftExample> examples = syntheticOffers(settings.trainRows(), rnd);
        var trainerSettings = UpliftTrainer.Settings.of(
                        List.of("recency", "frequency", "monetary", "segment", "channel", "region", "member", "age"),
                        List.of("type", "value", "minSpend", "offerChannel"))
                .withParams(BoostingParams.defaults());
        UpliftModel model = new UpliftTrainer(System.err::println).train(examples, trainerSettings, "bench", "1");

        var shoppers = new ArrayList<ShopperFeatures>();
        var candidates = new ArrayList<List<OfferFeatures>>();
        for (int i = 0; i < 256; i++) {
            shoppers.add(ShopperFeatures.of(shopper(rnd)));
            var offers = new ArrayList<OfferFeatures>();
            for (int j = 0; j < CANDIDATES; j++) {
                offers.add(OfferFeatures.of("o" + j, offer(rnd)));
            }
            candidates.add(offers);
        }
        int w = model.inputWidth();
        int cw = model.controlWidth();
        int valueWidth = model.shopperSchema().width() + model.offerSchema().width();
        var encoded = new float[shoppers.size()][];
        var encodedValue = new float[shoppers.size()][];
        for (int i = 0; i < shoppers.size(); i++) {
            // Rows 0..19: treated rows; row 20: the control row (single-model design: same width).
            var m = new float[(CANDIDATES + 1) * w];
            var v = new float[CANDIDATES * valueWidth];
            for (int j = 0; j < CANDIDATES; j++) {
                float[] row = model.encodeTreated(
                        shoppers.get(i).values(), candidates.get(i).get(j).values());
                System.arraycopy(row, 0, m, j * w, w);
                System.arraycopy(row, 0, v, j * valueWidth, valueWidth);
            }
            System.arraycopy(model.encodeControl(shoppers.get(i).values()), 0, m, CANDIDATES * w, cw);
            encoded[i] = m;
            encodedValue[i] = v;
        }

        var control = io.kairos.models.trees.TreeEnsemble.fromXgboostJson(model.controlJson());
        var nativeModel = Booster.load(model.controlJson());
        var nativeValue = Booster.load(model.valueJson());
        double maxDiff = 0;
        try {
            for (int i = 0; i < shoppers.size(); i++) {
                float[] p = Booster.predict(nativeModel, encoded[i], CANDIDATES + 1, w);
                List<Score> s = model.score(shoppers.get(i), candidates.get(i));
                for (int j = 0; j < CANDIDATES; j++) {
                    maxDiff = Math.max(maxDiff, Math.abs(p[j] - s.get(j).pWithOffer()));
                }
                maxDiff = Math.max(maxDiff, Math.abs(p[CANDIDATES] - s.get(0).pWithoutOffer()));
            }
            int n = shoppers.size();
            Latency serving = time(settings, k -> model.score(shoppers.get(k % n), candidates.get(k % n))
                    .size());
            Latency preEncoded = time(settings, k -> {
                float[] m = encoded[k % n];
                float sum = 0;
                for (int j = 0; j <= CANDIDATES; j++) {
                    sum += control.predict(m, j * w);
                }
                return (int) sum;
            });
            Latency raw = time(
                    settings,
                    k -> Booster.predict(nativeModel, encoded[k % n], CANDIDATES + 1, w).length
                            + Booster.predict(nativeValue, encodedValue[k % n], CANDIDATES, valueWidth).length);
            return new Result(control.numTrees(), serving, preEncoded, raw, maxDiff);
        } finally {
            nativeModel.dispose();
            nativeValue.dispose();
        }
    }

    private static Latency time(Settings settings, java.util.function.IntUnaryOperator call) {
        long sink = 0;
        for (int i = 0; i < settings.warmup(); i++) {
            sink += call.applyAsInt(i);
        }
        var nanos = new long[settings.iterations()];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            sink += call.applyAsInt(i);
            nanos[i] = System.nanoTime() - t0;
        }
        if (sink == Long.MIN_VALUE) {
            System.out.println(sink);
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e3;
        return new Latency(pct(nanos, 0.50), pct(nanos, 0.99), pct(nanos, 0.999), mean);
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e3;
    }

    private static Map<String, Object> shopper(Random rnd) {
        String[] segments = {"new", "active", "repeat", "declining", "dormant"};
        String[] channels = {"web", "app", "store"};
        String[] regions = {"north", "south", "east", "west", "center"};
        return Map.of(
                "recency",
                rnd.nextInt(365),
                "frequency",
                rnd.nextInt(30),
                "monetary",
                rnd.nextDouble() * 500,
                "segment",
                segments[rnd.nextInt(segments.length)],
                "channel",
                channels[rnd.nextInt(channels.length)],
                "region",
                regions[rnd.nextInt(regions.length)],
                "member",
                rnd.nextBoolean() ? "yes" : "no",
                "age",
                18 + rnd.nextInt(60));
    }

    private static Map<String, Object> offer(Random rnd) {
        String[] types = {"bogo", "discount", "percent", "shipping"};
        String[] channels = {"email", "push", "sms", "web"};
        return Map.of(
                "type",
                types[rnd.nextInt(types.length)],
                "value",
                5 * (1 + rnd.nextInt(6)),
                "minSpend",
                10 * rnd.nextInt(10),
                "offerChannel",
                channels[rnd.nextInt(channels.length)]);
    }

    /** A randomised offer experiment whose response depends on shopper and offer features. */
    private static List<UpliftExample> syntheticOffers(int n, Random rnd) {
        var out = new ArrayList<UpliftExample>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> s = shopper(rnd);
            boolean treated = rnd.nextDouble() < 0.8;
            Map<String, Object> o = treated ? offer(rnd) : Map.of();
            double base = 0.05 + 0.1 * Math.exp(-((Integer) s.get("recency")) / 90.0);
            double lift = treated
                    ? ((Integer) o.get("value")) / 300.0 * ("dormant".equals(s.get("segment")) ? 2 : 1)
                            - ((Integer) o.get("minSpend")) / 2000.0
                    : 0;
            boolean converted = rnd.nextDouble() < Math.max(0, base + lift);
            out.add(new UpliftExample(
                    s,
                    o,
                    treated,
                    treated ? 0.8 : 0.2,
                    converted ? 1 : 0,
                    converted ? 20 + rnd.nextDouble() * 80 : Double.NaN));
        }
        return out;
    }
}

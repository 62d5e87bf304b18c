package io.kairos.tools.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.OnnxUpliftScorer;
import io.kairos.models.uplift.Score;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftExample;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftTrainer;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Single-shopper decision latency: one call scoring 20 candidate offers plus the no-offer row, through the serving path
 * ({@link OnnxUpliftScorer#score}: feature encoding, DJL's translator and predictor, ONNX Runtime), through the DJL
 * predictor alone on pre-encoded rows, and through the raw engine (ONNX Runtime's own Java API: one
 * {@code OrtSession.run} on the same graph and the same pre-encoded rows, with the same one-thread session options), in
 * the same run. Prints p50/p99/p99.9, the DJL ÷ raw ratio, and checks that DJL, the raw engine and the trees agree.
 *
 * <p>Not a test: figures depend on the machine. Run with {@code ./kairos bench-scoring} (the launcher sets the thread
 * caps).
 */
@picocli.CommandLine.Command(
        name = "bench-scoring",
        mixinStandardHelpOptions = true,
        description = "Time the uplift model served through DJL (ONNX Runtime) on a 20-candidate decision against the"
                + " raw ONNX Runtime engine (prints figures; asserts nothing).")
public final class ScoringBenchmark implements Runnable {
    private static final int CANDIDATES = 20;

    /** Benchmark settings: training rows, timed iterations per path, warm-up iterations. */
    public record Settings(int trainRows, int iterations, int warmup) {}

    /** Latencies in microseconds. */
    public record Latency(double p50, double p99, double p999, double mean) {}

    /** All figures of one run. */
    public record Result(
            int trees,
            Latency serving,
            Latency djlPredictor,
            Latency rawEngine,
            Latency javaTrees,
            double maxDiffRaw,
            double maxDiffTrees) {}

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
                "model: %d trees (depth 3) + value model as one ONNX graph; %d candidate offers + the no-offer row per"
                        + " call%n",
                r.trees(), CANDIDATES);
        print("serving: OnnxUpliftScorer.score (encode + DJL)", r.serving());
        print("DJL predictor, 21 pre-encoded rows", r.djlPredictor());
        print("raw ONNX Runtime (OrtSession.run), same rows", r.rawEngine());
        print("for scale: Java tree walk (training only)", r.javaTrees());
        System.out.printf(
                "ratio DJL predictor / raw engine: p50 %.2fx, p99 %.2fx%n",
                r.djlPredictor().p50() / r.rawEngine().p50(),
                r.djlPredictor().p99() / r.rawEngine().p99());
        System.out.printf(
                "max |DJL - raw ONNX Runtime| %.3g, max |DJL - Java trees| %.3g over all benchmark rows%n",
                r.maxDiffRaw(), r.maxDiffTrees());
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
        int n = shoppers.size();
        byte[] graph = model.toOnnx();
        try (var served = model.serve();
                var env = OrtEnvironment.getEnvironment();
                var options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            try (var session = env.createSession(graph, options)) {
                var encoded = new OnnxUpliftScorer.Rows[n];
                double maxRaw = 0;
                double maxTrees = 0;
                for (int i = 0; i < n; i++) {
                    encoded[i] = served.encode(shoppers.get(i), candidates.get(i));
                    float[] djl = served.predict(encoded[i]).response();
                    float[] raw = raw(env, session, encoded[i], served);
                    List<Score> trees = model.score(shoppers.get(i), candidates.get(i));
                    for (int j = 0; j < djl.length; j++) maxRaw = Math.max(maxRaw, Math.abs(djl[j] - raw[j]));
                    maxTrees = Math.max(maxTrees, Math.abs(djl[0] - trees.get(0).pWithoutOffer()));
                    for (int j = 0; j < CANDIDATES; j++) {
                        maxTrees = Math.max(
                                maxTrees, Math.abs(djl[j + 1] - trees.get(j).pWithOffer()));
                    }
                }
                Latency serving = time(settings, k -> served.score(shoppers.get(k % n), candidates.get(k % n))
                        .size());
                Latency djl = time(settings, k -> served.predict(encoded[k % n]).response().length);
                Latency rawEngine = time(settings, k -> raw(env, session, encoded[k % n], served).length);
                Latency trees = time(settings, k -> model.score(shoppers.get(k % n), candidates.get(k % n))
                        .size());
                var control = io.kairos.models.trees.TreeEnsemble.fromXgboostJson(model.controlJson());
                return new Result(control.numTrees(), serving, djl, rawEngine, trees, maxRaw, maxTrees);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One raw ONNX Runtime call: a tensor over the rows, run, both outputs copied out (what DJL's translator does). */
    private static float[] raw(
            OrtEnvironment env, OrtSession session, OnnxUpliftScorer.Rows rows, OnnxUpliftScorer served) {
        int width = rows.data().length / rows.count();
        try (var input = OnnxTensor.createTensor(env, FloatBuffer.wrap(rows.data()), new long[] {rows.count(), width});
                var result = session.run(Map.of(OnnxUpliftScorer.INPUT, input))) {
            var response = (OnnxTensor) result.get(served.outputs().response()).orElseThrow();
            var value = (OnnxTensor) result.get(served.outputs().value()).orElseThrow();
            float[] out = new float[rows.count()];
            response.getFloatBuffer().get(out);
            value.getFloatBuffer().get(new float[rows.count()]);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(e);
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

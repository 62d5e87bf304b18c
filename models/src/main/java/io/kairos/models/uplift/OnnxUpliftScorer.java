package io.kairos.models.uplift;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtEnvironment;
import io.kairos.models.features.FeatureSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An uplift model served through DJL: an ONNX graph loaded with DJL {@link Criteria} into a {@link ZooModel} on DJL's
 * ONNX Runtime engine, and called through a {@link Predictor} with a translator from Kairos's features. One call per
 * decision scores every candidate and the no-offer row in one batch.
 *
 * <p>The graph's contract (what Kairos writes for its own trees, and what an imported model must follow): one float
 * input {@code [N, W]} whose row is the shopper schema's slots, then the offer schema's slots, then a treated flag
 * ({@code 1} for a row with an offer, {@code 0} for the no-offer row, whose offer slots are encoded from no values); an
 * output giving P(convert) per row ({@code [N]}, {@code [N, 1]}, or a class-probability matrix whose column
 * {@link Outputs#responseColumn} is the positive class); optionally an output giving the expected order value per row.
 *
 * <p>Thread-safe: the {@link ZooModel} is shared and a {@code Predictor}, which is not thread-safe, is taken from a
 * pool for each call. ONNX Runtime runs with one intra-op and one inter-op thread (the box it runs on has two cores and
 * the calls already run in parallel on the scoring dispatcher). {@link #close} frees the native session.
 */
public final class OnnxUpliftScorer implements UpliftScorer, AutoCloseable {
    /** DJL's name for its ONNX Runtime engine. */
    public static final String ENGINE = "OnnxRuntime";

    /** The input of the graphs Kairos writes. */
    public static final String INPUT = "rows";

    /**
     * Which outputs of the graph hold what.
     *
     * @param response the output with P(convert) per row
     * @param responseColumn the column of {@code response} to read when it has more than one (the positive class)
     * @param value the output with the expected order value per row; null when the model has none
     */
    public record Outputs(String response, int responseColumn, String value) {
        public static final Outputs KAIROS = new Outputs("response", 0, null);

        public Outputs withValue(String valueOutput) {
            return new Outputs(response, responseColumn, valueOutput);
        }
    }

    private final String name;
    private final String version;
    private final FeatureSchema shopperSchema;
    private final FeatureSchema offerSchema;
    private final int width;
    private final Outputs outputs;
    private final String engine;
    private final ZooModel<Rows, Predictions> model;
    private final ConcurrentLinkedQueue<Predictor<Rows, Predictions>> predictors = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private OnnxUpliftScorer(
            String name,
            String version,
            FeatureSchema shopperSchema,
            FeatureSchema offerSchema,
            Outputs outputs,
            ZooModel<Rows, Predictions> model) {
        this.name = name;
        this.version = version;
        this.shopperSchema = shopperSchema;
        this.offerSchema = offerSchema;
        this.width = rowWidth(shopperSchema, offerSchema);
        this.outputs = outputs;
        this.model = model;
        // DJL's engine reports the ONNX Runtime it was built against; the session runs the one on the classpath.
        this.engine =
                ENGINE + " " + OrtEnvironment.getEnvironment().getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }

    /** The width of a row: shopper slots, offer slots and the treated flag. */
    public static int rowWidth(FeatureSchema shopperSchema, FeatureSchema offerSchema) {
        return shopperSchema.width() + offerSchema.width() + 1;
    }

    /**
     * Loads an ONNX graph through DJL.
     *
     * @throws IllegalArgumentException if ONNX Runtime cannot load the bytes
     */
    public static OnnxUpliftScorer load(
            String name,
            String version,
            byte[] onnx,
            FeatureSchema shopperSchema,
            FeatureSchema offerSchema,
            Outputs outputs) {
        Path dir = null;
        try {
            // Criteria loads from a path; ONNX Runtime reads the file once, when the session is created.
            dir = Files.createTempDirectory("kairos-onnx-");
            Files.write(dir.resolve("model.onnx"), onnx);
            var criteria = Criteria.builder()
                    .setTypes(Rows.class, Predictions.class)
                    .optEngine(ENGINE)
                    .optModelPath(dir)
                    .optModelName("model")
                    .optTranslator(new RowsTranslator(rowWidth(shopperSchema, offerSchema), outputs))
                    .optOption("interOpNumThreads", "1")
                    .optOption("intraOpNumThreads", "1")
                    .optOption("executionMode", "SEQUENTIAL")
                    .build();
            var scorer = new OnnxUpliftScorer(name, version, shopperSchema, offerSchema, outputs, criteria.loadModel());
            scorer.warmUp();
            return scorer;
        } catch (MalformedModelException | ModelNotFoundException e) {
            throw new IllegalArgumentException(
                    "model " + name + "/" + version + " cannot be loaded by ONNX Runtime: " + rootMessage(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Runs one no-offer row and one offer row of zeros through a pooled predictor, so that ONNX Runtime's first-run
     * work (kernel set-up, the first allocations) happens here and not inside a decision's time budget.
     */
    private void warmUp() {
        try {
            predict(new Rows(new float[2 * width], 2));
        } catch (RuntimeException e) {
            close();
            throw new IllegalArgumentException(
                    "model " + name + "/" + version + " cannot score rows of width " + width + ": " + e.getMessage(),
                    e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind costs a few bytes; the model is loaded either way
        }
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public String modelVersion() {
        return version;
    }

    @Override
    public String engine() {
        return engine;
    }

    public FeatureSchema shopperSchema() {
        return shopperSchema;
    }

    public FeatureSchema offerSchema() {
        return offerSchema;
    }

    public Outputs outputs() {
        return outputs;
    }

    @Override
    public List<Score> score(ShopperFeatures shopper, List<OfferFeatures> candidates) {
        Predictions p = predict(encode(shopper, candidates));
        double pWithout = p.response()[0];
        var out = new ArrayList<Score>(candidates.size());
        for (int i = 1; i <= candidates.size(); i++) {
            double pWith = p.response()[i];
            double orderValue = p.value() == null ? Double.NaN : p.value()[i];
            out.add(new Score(
                    candidates.get(i - 1).offerId(), pWith, pWithout, pWith - pWithout, orderValue, name, version));
        }
        return out;
    }

    /**
     * The rows of one decision: row 0 the no-offer row (no offer values, treated flag 0), then one row per candidate
     * (flag 1).
     */
    public Rows encode(ShopperFeatures shopper, List<OfferFeatures> candidates) {
        int sw = shopperSchema.width();
        int n = candidates.size() + 1;
        var data = new float[n * width];
        shopperSchema.encode(shopper.values(), data, 0);
        offerSchema.encode(Map.of(), data, sw);
        for (int i = 1; i < n; i++) {
            int at = i * width;
            System.arraycopy(data, 0, data, at, sw);
            offerSchema.encode(candidates.get(i - 1).values(), data, at + sw);
            data[at + width - 1] = 1f;
        }
        return new Rows(data, n);
    }

    /** Runs encoded rows ({@code rows × W} floats) through the model: what {@link #score} does after encoding. */
    public Predictions predict(Rows rows) {
        if (closed) throw new IllegalStateException("model " + name + "/" + version + " is closed");
        var predictor = predictors.poll();
        if (predictor == null) predictor = model.newPredictor();
        try {
            return predictor.predict(rows);
        } catch (TranslateException e) {
            throw new IllegalStateException("model " + name + "/" + version + " failed: " + rootMessage(e), e);
        } finally {
            if (closed) predictor.close();
            else predictors.offer(predictor);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Predictor<Rows, Predictions> p; (p = predictors.poll()) != null; ) p.close();
        model.close();
    }

    /** Encoded input rows: {@code count} rows of the scorer's width, one after the other. */
    public record Rows(float[] data, int count) {}

    /** What the model says per row: P(convert), and the order value when the model has a value output. */
    public record Predictions(float[] response, float[] value) {}

    /** From {@link Rows} to one {@code [N, W]} tensor, and from the named outputs to {@link Predictions}. */
    private record RowsTranslator(int width, Outputs outputs) implements NoBatchifyTranslator<Rows, Predictions> {
        @Override
        public NDList processInput(TranslatorContext ctx, Rows rows) {
            return new NDList(ctx.getNDManager().create(rows.data(), new Shape(rows.count(), width)));
        }

        @Override
        public Predictions processOutput(TranslatorContext ctx, NDList list) {
            float[] response = column(find(list, outputs.response()), outputs.responseColumn());
            float[] value = outputs.value() == null ? null : column(find(list, outputs.value()), 0);
            return new Predictions(response, value);
        }

        private static NDArray find(NDList list, String output) {
            for (NDArray a : list) if (output.equals(a.getName())) return a;
            throw new IllegalStateException("the model has no output " + output);
        }

        private static float[] column(NDArray a, int column) {
            float[] all = a.toType(DataType.FLOAT32, false).toFloatArray();
            Shape shape = a.getShape();
            long rows = shape.get(0);
            int stride = shape.dimension() == 1 ? 1 : (int) (all.length / rows);
            if (column >= stride) throw new IllegalStateException("output has " + stride + " columns, not " + column);
            var out = new float[(int) rows];
            for (int i = 0; i < out.length; i++) out[i] = all[i * stride + column];
            return out;
        }
    }
}

package io.kairos.models.uplift;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kairos.models.features.Feature;
import io.kairos.models.features.FeatureSchema;
import io.kairos.models.registry.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Brings in an uplift model trained outside Kairos (scikit-learn, LightGBM, XGBoost or PyTorch exported to ONNX): reads
 * the schema file that says how Kairos's features map onto the model's input, loads the graph through DJL, and scores a
 * sample before the model may be stored, so a model that does not load, reads the wrong width or answers something
 * other than probabilities never reaches the registry.
 */
public final class UpliftImport {
    /** Sample rows scored before a model is accepted. */
    public static final int SAMPLE_ROWS = 256;

    private UpliftImport() {}

    /**
     * The schema file: the shopper and offer feature schemas (the input row is their slots, then the treated flag), the
     * output holding P(convert), its column when it has several (1: the positive class of a two-class probability
     * matrix), and the optional order-value output.
     */
    public record SchemaFile(
            @JsonProperty("shopper") FeatureSchema shopper,
            @JsonProperty("offer") FeatureSchema offer,
            @JsonProperty("response") String response,
            @JsonProperty("responseColumn") Integer responseColumn,
            @JsonProperty("value") String value) {
        public SchemaFile {
            shopper = shopper == null ? FeatureSchema.empty() : shopper;
            offer = offer == null ? FeatureSchema.empty() : offer;
            response = response == null ? OnnxUpliftScorer.Outputs.KAIROS.response() : response;
            responseColumn = responseColumn == null ? Integer.valueOf(0) : responseColumn;
        }

        public static SchemaFile parse(byte[] json) {
            try {
                return Json.mapper().readValue(json, SchemaFile.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a model schema file: " + e.getMessage(), e);
            }
        }

        public OnnxUpliftScorer.Outputs outputs() {
            return new OnnxUpliftScorer.Outputs(response, responseColumn, value);
        }

        public byte[] toJson() {
            try {
                return Json.mapper().writeValueAsBytes(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What scoring the sample showed. */
    public record Report(int rows, double minResponse, double meanResponse, double maxResponse, Double meanValue) {
        public Map<String, Double> metrics() {
            var m = new HashMap<String, Double>();
            m.put("sampleMinResponse", minResponse);
            m.put("sampleMeanResponse", meanResponse);
            m.put("sampleMaxResponse", maxResponse);
            if (meanValue != null) m.put("sampleMeanValue", meanValue);
            return m;
        }
    }

    /**
     * Loads {@code onnx} through DJL and scores {@link #SAMPLE_ROWS} rows drawn from the schema (every category, unseen
     * and missing values, numbers over several magnitudes, with and without an offer).
     *
     * @throws IllegalArgumentException naming what is wrong: the graph does not load, its input is not the schema's
     *     width, an output is missing, or a response is not a probability
     */
    public static Report validate(byte[] onnx, SchemaFile schema, long seed) {
        try (var scorer =
                OnnxUpliftScorer.load("import", "check", onnx, schema.shopper(), schema.offer(), schema.outputs())) {
            var random = new Random(seed);
            int width = OnnxUpliftScorer.rowWidth(schema.shopper(), schema.offer());
            var data = new float[SAMPLE_ROWS * width];
            for (int r = 0; r < SAMPLE_ROWS; r++) {
                int at = r * width;
                schema.shopper().encode(sampleValues(schema.shopper(), random), data, at);
                schema.offer()
                        .encode(
                                sampleValues(schema.offer(), random),
                                data,
                                at + schema.shopper().width());
                data[at + width - 1] = r % 2;
            }
            OnnxUpliftScorer.Predictions p;
            try {
                p = scorer.predict(new OnnxUpliftScorer.Rows(data, SAMPLE_ROWS));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "the model does not score rows of the schema's width " + width + ": " + e.getMessage(), e);
            }
            if (p.response().length != SAMPLE_ROWS) {
                throw new IllegalArgumentException(
                        "the model answered " + p.response().length + " responses for " + SAMPLE_ROWS + " rows");
            }
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : p.response()) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("output " + schema.response() + " is not a probability: " + v
                            + " (export the positive class's probability, or name its column)");
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            Double meanValue = null;
            if (p.value() != null) {
                double s = 0;
                for (float v : p.value()) {
                    if (!Float.isFinite(v)) throw new IllegalArgumentException("output " + schema.value() + ": " + v);
                    s += v;
                }
                meanValue = s / SAMPLE_ROWS;
            }
            return new Report(SAMPLE_ROWS, min, sum / SAMPLE_ROWS, max, meanValue);
        }
    }

    private static Map<String, Object> sampleValues(FeatureSchema schema, Random random) {
        var values = new HashMap<String, Object>();
        for (Feature f : schema.features()) {
            int pick = random.nextInt(10);
            if (pick == 0) continue; // missing
            if (f.kind() == Feature.Kind.NUMERIC) {
                values.put(f.name(), random.nextGaussian() * Math.pow(10, random.nextInt(4)));
            } else {
                var options = new ArrayList<>(f.categories());
                options.add("unseen-category");
                values.put(f.name(), options.get(random.nextInt(options.size())));
            }
        }
        return values;
    }
}

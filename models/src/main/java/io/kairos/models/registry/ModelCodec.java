package io.kairos.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.models.demand.DemandModel;
import io.kairos.models.features.FeatureSchema;
import io.kairos.models.lifecycle.BgNbdModel;
import io.kairos.models.uplift.OnnxUpliftScorer;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns trained models into {@link ModelArtifact}s and back. The files of each kind:
 *
 * <ul>
 *   <li>UPLIFT: {@code uplift.json} (design and output names), {@code model.onnx} (what a node serves through DJL's
 *       ONNX Runtime engine) and, for models Kairos trained, {@code control.json}, optional {@code treated.json} and
 *       {@code value.json} (XGBoost JSON models, loadable by XGBoost itself, from which {@code model.onnx} was
 *       converted); schemas {@code shopper} and {@code offer} in the metadata, the engine in the properties. Artifacts
 *       stored before ONNX serving have no {@code model.onnx}: their trees are converted when they are loaded.
 *   <li>LIFECYCLE: {@code bgnbd.json} ({@code r, alpha, a, b}).
 *   <li>DEMAND: {@code demand.json} (elasticity, intercepts, default intercept, smearing).
 * </ul>
 *
 * Decoding checks the kind and rebuilds a ready-to-serve object named after the metadata.
 */
public final class ModelCodec {
    /** The design recorded for an ONNX model trained outside Kairos. */
    public static final String IMPORTED = "IMPORTED";

    /** The property naming the engine that serves the model. */
    public static final String ENGINE = "engine";

    private ModelCodec() {}

    public static ModelArtifact uplift(
            UpliftModel model,
            Instant createdAt,
            TrainingWindow training,
            Map<String, Double> metrics,
            Map<String, String> properties) {
        var files = new HashMap<String, byte[]>();
        files.put("uplift.json", bytes(head(model.design().name(), model.onnxOutputs())));
        files.put("model.onnx", model.toOnnx());
        files.put("control.json", model.controlJson());
        if (model.treatedJson() != null) {
            files.put("treated.json", model.treatedJson());
        }
        if (model.valueJson() != null) {
            files.put("value.json", model.valueJson());
        }
        var schema = Map.of("shopper", model.shopperSchema(), "offer", model.offerSchema());
        var meta = new ModelMetadata(
                model.modelName(),
                model.modelVersion(),
                ModelKind.UPLIFT,
                createdAt,
                training,
                metrics,
                schema,
                withEngine(properties));
        return new ModelArtifact(meta, files);
    }

    /**
     * An uplift model trained elsewhere, as an ONNX graph following {@link OnnxUpliftScorer}'s contract. Callers
     * validate it first ({@code UpliftImport}).
     */
    public static ModelArtifact importedUplift(
            String name,
            String version,
            byte[] onnx,
            FeatureSchema shopper,
            FeatureSchema offer,
            OnnxUpliftScorer.Outputs outputs,
            Instant createdAt,
            TrainingWindow training,
            Map<String, Double> metrics,
            Map<String, String> properties) {
        var files = Map.of("uplift.json", bytes(head(IMPORTED, outputs)), "model.onnx", onnx);
        var meta = new ModelMetadata(
                name,
                version,
                ModelKind.UPLIFT,
                createdAt,
                training,
                metrics,
                Map.of("shopper", shopper, "offer", offer),
                withEngine(properties));
        return new ModelArtifact(meta, files);
    }

    private static ObjectNode head(String design, OnnxUpliftScorer.Outputs outputs) {
        var head = Json.mapper().createObjectNode().put("design", design);
        head.put("response", outputs.response()).put("responseColumn", outputs.responseColumn());
        if (outputs.value() != null) head.put("value", outputs.value());
        return head;
    }

    private static Map<String, String> withEngine(Map<String, String> properties) {
        var out = new HashMap<>(properties);
        out.put(ENGINE, OnnxUpliftScorer.ENGINE);
        return out;
    }
    /**
     * {@code timeUnitDays}: the length of one time unit of the training summary (frequency, recency and T), in days.
     */
    public static ModelArtifact lifecycle(
            String name,
            String version,
            BgNbdModel model,
            Instant createdAt,
            TrainingWindow training,
            Map<String, Double> metrics,
            double timeUnitDays) {
        var files = Map.of("bgnbd.json", bytes(Json.mapper().valueToTree(model)));
        var meta = new ModelMetadata(
                name,
                version,
                ModelKind.LIFECYCLE,
                createdAt,
                training,
                metrics,
                Map.of(),
                Map.of("timeUnitDays", Double.toString(timeUnitDays)));
        return new ModelArtifact(meta, files);
    }

    public static ModelArtifact demand(
            String name,
            String version,
            DemandModel model,
            Instant createdAt,
            TrainingWindow training,
            Map<String, Double> metrics,
            Map<String, String> properties) {
        var files = Map.of("demand.json", bytes(Json.mapper().valueToTree(model)));
        var meta =
                new ModelMetadata(name, version, ModelKind.DEMAND, createdAt, training, metrics, Map.of(), properties);
        return new ModelArtifact(meta, files);
    }

    /**
     * The serving object: an {@link OnnxUpliftScorer} (a native ONNX Runtime session: close it when it is no longer
     * served), a {@link BgNbdModel} or a {@link DemandModel}.
     */
    public static Object decode(ModelArtifact artifact) {
        ModelMetadata m = artifact.metadata();
        try {
            return switch (m.kind()) {
                case UPLIFT -> {
                    byte[] onnx = artifact.files().get("model.onnx");
                    if (onnx == null) yield upliftTrees(artifact).serve();
                    JsonNode head = Json.mapper().readTree(artifact.file("uplift.json"));
                    var outputs = new OnnxUpliftScorer.Outputs(
                            head.path("response").asText("response"),
                            head.path("responseColumn").asInt(0),
                            head.hasNonNull("value") ? head.get("value").asText() : null);
                    yield OnnxUpliftScorer.load(
                            m.name(), m.version(), onnx, schema(m, "shopper"), schema(m, "offer"), outputs);
                }
                case LIFECYCLE -> Json.mapper().readValue(artifact.file("bgnbd.json"), BgNbdModel.class);
                case DEMAND -> Json.mapper().readValue(artifact.file("demand.json"), DemandModel.class);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt artifact " + m.name() + "/" + m.version(), e);
        }
    }

    /** The trees of an uplift model Kairos trained (for evaluation and re-verification; serving uses ONNX). */
    public static UpliftModel upliftTrees(ModelArtifact artifact) {
        ModelMetadata m = artifact.metadata();
        try {
            JsonNode head = Json.mapper().readTree(artifact.file("uplift.json"));
            String design = head.path("design").asText();
            if (IMPORTED.equals(design)) {
                throw new IllegalArgumentException(
                        m.name() + "/" + m.version() + " is an imported ONNX model, not trees");
            }
            return new UpliftModel(
                    m.name(),
                    m.version(),
                    UpliftDesign.valueOf(design),
                    schema(m, "shopper"),
                    schema(m, "offer"),
                    artifact.file("control.json"),
                    artifact.files().get("treated.json"),
                    artifact.files().get("value.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt artifact " + m.name() + "/" + m.version(), e);
        }
    }

    private static FeatureSchema schema(ModelMetadata m, String role) {
        return m.featureSchema().getOrDefault(role, FeatureSchema.empty());
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

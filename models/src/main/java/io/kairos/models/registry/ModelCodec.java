package io.kairos.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.models.demand.DemandModel;
import io.kairos.models.features.FeatureSchema;
import io.kairos.models.lifecycle.BgNbdModel;
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
 *   <li>UPLIFT: {@code uplift.json} (design), {@code control.json}, optional {@code treated.json} and
 *       {@code value.json} (XGBoost JSON models, loadable by XGBoost itself); schemas {@code shopper} and {@code offer}
 *       in the metadata.
 *   <li>LIFECYCLE: {@code bgnbd.json} ({@code r, alpha, a, b}).
 *   <li>DEMAND: {@code demand.json} (elasticity, intercepts, default intercept, smearing).
 * </ul>
 *
 * Decoding checks the kind and rebuilds a ready-to-serve object named after the metadata.
 */
public final class ModelCodec {
    private ModelCodec() {}

    public static ModelArtifact uplift(
            UpliftModel model,
            Instant createdAt,
            TrainingWindow training,
            Map<String, Double> metrics,
            Map<String, String> properties) {
        var files = new HashMap<String, byte[]>();
        ObjectNode head =
                Json.mapper().createObjectNode().put("design", model.design().name());
        files.put("uplift.json", bytes(head));
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
                properties);
        return new ModelArtifact(meta, files);
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

    /** The serving object: an {@link UpliftModel}, a {@link BgNbdModel} or a {@link DemandModel}. */
    public static Object decode(ModelArtifact artifact) {
        ModelMetadata m = artifact.metadata();
        try {
            return switch (m.kind()) {
                case UPLIFT -> {
                    JsonNode head = Json.mapper().readTree(artifact.file("uplift.json"));
                    FeatureSchema shopper = m.featureSchema().getOrDefault("shopper", FeatureSchema.empty());
                    FeatureSchema offer = m.featureSchema().getOrDefault("offer", FeatureSchema.empty());
                    yield new UpliftModel(
                            m.name(),
                            m.version(),
                            UpliftDesign.valueOf(head.path("design").asText()),
                            shopper,
                            offer,
                            artifact.file("control.json"),
                            artifact.files().get("treated.json"),
                            artifact.files().get("value.json"));
                }
                case LIFECYCLE -> Json.mapper().readValue(artifact.file("bgnbd.json"), BgNbdModel.class);
                case DEMAND -> Json.mapper().readValue(artifact.file("demand.json"), DemandModel.class);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt artifact " + m.name() + "/" + m.version(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

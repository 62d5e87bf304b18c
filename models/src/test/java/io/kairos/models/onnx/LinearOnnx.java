package io.kairos.models.onnx;

import io.kairos.models.features.Feature;
import io.kairos.models.features.FeatureSchema;
import io.kairos.models.uplift.OnnxUpliftScorer;
import io.kairos.models.uplift.UpliftImport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A linear response model as an ONNX graph, the kind a data scientist exports (an imputer, then a linear model):
 * P(convert) = sigmoid(bias + weights · the row's offer slots, missing values as 0), over no shopper features and the
 * given offer schema.
 */
public record LinearOnnx(FeatureSchema offerSchema, byte[] graph) {
    public static final float BIAS = -2f;

    /**
     * Weights by campaign over a schema that one-hot encodes {@code campaignId}; with {@code sigmoid = false} the graph
     * answers margins, not probabilities.
     */
    public static LinearOnnx of(Map<String, Float> weightByCampaign, boolean sigmoid) {
        var campaigns = weightByCampaign.keySet().stream().sorted().toList();
        var weights = new float[campaigns.size()];
        for (int i = 0; i < campaigns.size(); i++) weights[i] = weightByCampaign.get(campaigns.get(i));
        return of(new FeatureSchema(List.of(Feature.categorical("campaignId", campaigns))), weights, sigmoid);
    }

    /** {@code weights} over the slots of {@code offer} (the treated flag weighs 0). */
    public static LinearOnnx of(FeatureSchema offer, float[] weights, boolean sigmoid) {
        int width = OnnxUpliftScorer.rowWidth(FeatureSchema.empty(), offer);
        var w = java.util.Arrays.copyOf(weights, width);
        var graph = new OnnxGraph("linear")
                .input(OnnxUpliftScorer.INPUT, width)
                .output("response", 1)
                .constant("w", new long[] {width, 1}, w)
                .constant("b", new long[0], BIAS)
                .constant("zero", new long[0], 0f)
                .node("IsNaN", "", List.of(OnnxUpliftScorer.INPUT), List.of("missing"))
                .node("Where", "", List.of("missing", "zero", OnnxUpliftScorer.INPUT), List.of("imputed"))
                .node("MatMul", "", List.of("imputed", "w"), List.of("xw"))
                .node("Add", "", List.of("xw", "b"), List.of(sigmoid ? "margin" : "response"));
        if (sigmoid) graph.node("Sigmoid", "", List.of("margin"), List.of("response"));
        return new LinearOnnx(offer, graph.toBytes());
    }

    /** Served through DJL under {@code name}/{@code version}. */
    public OnnxUpliftScorer serve(String name, String version) {
        return OnnxUpliftScorer.load(
                name, version, graph, FeatureSchema.empty(), offerSchema, OnnxUpliftScorer.Outputs.KAIROS);
    }

    /** The schema file {@code models import} reads for this graph. */
    public String schemaJson() {
        var file = new UpliftImport.SchemaFile(FeatureSchema.empty(), offerSchema, "response", 0, null);
        return new String(file.toJson(), StandardCharsets.UTF_8);
    }
}

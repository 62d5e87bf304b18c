package io.kairos.models.onnx;

import io.kairos.models.features.Feature;
import io.kairos.models.features.FeatureSchema;
import io.kairos.models.uplift.OnnxUpliftScorer;
import java.util.List;
import java.util.Map;

/**
 * A linear response model as an ONNX graph, the kind a data scientist exports: P(convert) = sigmoid(bias + the weight
 * of the offer's {@code campaignId}), over an offer schema that one-hot encodes {@code campaignId} and no shopper
 * features.
 */
public record LinearOnnx(List<String> campaigns, byte[] graph) {
    public static final float BIAS = -2f;

    /** The graph for {@code weightByCampaign}; with {@code sigmoid = false} it answers margins, not probabilities. */
    public static LinearOnnx of(Map<String, Float> weightByCampaign, boolean sigmoid) {
        var campaigns = weightByCampaign.keySet().stream().sorted().toList();
        int width = OnnxUpliftScorer.rowWidth(FeatureSchema.empty(), offerSchema(campaigns));
        var weights = new float[width];
        for (int i = 0; i < campaigns.size(); i++) weights[i] = weightByCampaign.get(campaigns.get(i));
        var graph = new OnnxGraph("linear")
                .input(OnnxUpliftScorer.INPUT, width)
                .output("response", 1)
                .constant("w", new long[] {width, 1}, weights)
                .constant("b", new long[0], BIAS)
                .node("MatMul", "", List.of(OnnxUpliftScorer.INPUT, "w"), List.of("xw"))
                .node("Add", "", List.of("xw", "b"), List.of(sigmoid ? "margin" : "response"));
        if (sigmoid) graph.node("Sigmoid", "", List.of("margin"), List.of("response"));
        return new LinearOnnx(campaigns, graph.toBytes());
    }

    public static FeatureSchema offerSchema(List<String> campaigns) {
        return new FeatureSchema(List.of(Feature.categorical("campaignId", campaigns)));
    }

    public FeatureSchema offerSchema() {
        return offerSchema(campaigns);
    }

    /** Served through DJL under {@code name}/{@code version}. */
    public OnnxUpliftScorer serve(String name, String version) {
        return OnnxUpliftScorer.load(
                name, version, graph, FeatureSchema.empty(), offerSchema(), OnnxUpliftScorer.Outputs.KAIROS);
    }

    /** The schema file {@code models import} reads for this graph. */
    public String schemaJson() {
        var quoted = campaigns.stream().map(c -> "\"" + c + "\"").toList();
        return "{\"shopper\":{\"features\":[]},\"offer\":{\"features\":[{\"name\":\"campaignId\","
                + "\"kind\":\"CATEGORICAL\",\"categories\":" + quoted + "}]},\"response\":\"response\"}";
    }
}

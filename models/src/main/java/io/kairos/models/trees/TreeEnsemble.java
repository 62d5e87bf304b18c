package io.kairos.models.trees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.models.onnx.OnnxGraph;
import io.kairos.models.onnx.OnnxGraph.Attribute;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained XGBoost tree ensemble evaluated by walking its trees in plain Java: no native code, no allocation per
 * prediction, safe to call from any number of threads at once (immutable after construction).
 *
 * <p>Built from XGBoost's JSON model format. It reproduces XGBoost's own arithmetic so scores equal what training
 * measured: features are floats, a numeric split sends {@code value < threshold} left and a missing ({@code NaN}) value
 * the tree's default way, leaf values are summed in float onto the base margin, and {@code binary:logistic} maps the
 * margin through a sigmoid. Only numerical splits are supported (the feature pipeline one-hot encodes categories, so
 * XGBoost never builds categorical splits for us); a model with others is rejected at load.
 *
 * <p>Serving does not walk these trees: {@link #addTo} writes them into an ONNX graph as an ONNX-ML
 * {@code TreeEnsembleRegressor} with the same arithmetic ({@code BRANCH_LT}, missing values tracking XGBoost's default
 * direction, the base margin as base value, a {@code Sigmoid} for the logistic link), and ONNX Runtime runs that. The
 * walker stays as the reference the conversion is tested against, and for training-time evaluation.
 */
public final class TreeEnsemble {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean logistic;
    private final float baseMargin;
    private final int numFeatures;
    // Trees flattened into parallel arrays, one int offset per tree: node i of tree t is at roots[t] + i.
    private final int[] roots;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] threshold;
    private final boolean[] defaultLeft;

    private TreeEnsemble(
            boolean logistic,
            float baseMargin,
            int numFeatures,
            int[] roots,
            int[] left,
            int[] right,
            int[] feature,
            float[] threshold,
            boolean[] defaultLeft) {
        this.logistic = logistic;
        this.baseMargin = baseMargin;
        this.numFeatures = numFeatures;
        this.roots = roots;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.threshold = threshold;
        this.defaultLeft = defaultLeft;
    }

    /** Parses an XGBoost JSON model ({@code Booster.toByteArray("json")} / {@code save_model("x.json")}). */
    public static TreeEnsemble fromXgboostJson(byte[] json) {
        try {
            return parse(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model: " + e.getMessage(), e);
        }
    }

    private static TreeEnsemble parse(JsonNode root) {
        JsonNode learner = root.path("learner");
        String objective = learner.path("objective").path("name").asText();
        boolean logistic =
                switch (objective) {
                    case "binary:logistic" -> true;
                    case "reg:squarederror" -> false;
                    default -> throw new IllegalArgumentException("unsupported XGBoost objective: " + objective);
                };
        JsonNode param = learner.path("learner_model_param");
        if (param.path("num_target").asInt(1) != 1 || param.path("num_class").asInt(0) > 1) {
            throw new IllegalArgumentException("only single-output models are supported");
        }
        // XGBoost 3 writes a vector "[4E-1]", older versions a scalar "4E-1".
        String bs = param.path("base_score").asText().replace("[", "").replace("]", "");
        float baseScore = Float.parseFloat(bs);
        // XGBoost's ProbToMargin for the logistic link, in float like the C++ code.
        float baseMargin = logistic ? (float) -Math.log(1.0f / baseScore - 1.0f) : baseScore;
        int numFeatures = param.path("num_feature").asInt();
        JsonNode model = learner.path("gradient_booster").path("model");
        if (!"gbtree".equals(learner.path("gradient_booster").path("name").asText())) {
            throw new IllegalArgumentException("only gbtree boosters are supported");
        }
        JsonNode trees = model.path("trees");
        int total = 0;
        for (JsonNode t : trees) {
            total += t.path("left_children").size();
        }
        var roots = new int[trees.size()];
        var left = new int[total];
        var right = new int[total];
        var feature = new int[total];
        var threshold = new float[total];
        var defaultLeft = new boolean[total];
        int at = 0;
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            for (JsonNode st : tree.path("split_type")) {
                if (st.asInt() != 0) {
                    throw new IllegalArgumentException("categorical splits are not supported");
                }
            }
            roots[t] = at;
            int n = tree.path("left_children").size();
            for (int i = 0; i < n; i++) {
                int l = tree.path("left_children").get(i).asInt();
                left[at + i] = l < 0 ? -1 : at + l;
                int r = tree.path("right_children").get(i).asInt();
                right[at + i] = r < 0 ? -1 : at + r;
                feature[at + i] = tree.path("split_indices").get(i).asInt();
                threshold[at + i] = (float) tree.path("split_conditions").get(i).asDouble();
                JsonNode dl = tree.path("default_left").get(i);
                defaultLeft[at + i] = dl.isBoolean() ? dl.asBoolean() : dl.asInt() != 0;
                if (l >= 0 && feature[at + i] >= numFeatures) {
                    throw new IllegalArgumentException("split on feature " + feature[at + i] + " of " + numFeatures);
                }
            }
            at += n;
        }
        return new TreeEnsemble(logistic, baseMargin, numFeatures, roots, left, right, feature, threshold, defaultLeft);
    }

    /** Number of input slots the model was trained on. */
    public int numFeatures() {
        return numFeatures;
    }

    public int numTrees() {
        return roots.length;
    }

    /** The prediction for the row starting at {@code x[offset]}: a probability for logistic models, else the mean. */
    public float predict(float[] x, int offset) {
        float margin = baseMargin;
        for (int root : roots) {
            int node = root;
            while (left[node] >= 0) {
                float v = x[offset + feature[node]];
                if (Float.isNaN(v)) {
                    node = defaultLeft[node] ? left[node] : right[node];
                } else {
                    node = v < threshold[node] ? left[node] : right[node];
                }
            }
            margin += threshold[node];
        }
        return logistic ? (float) (1.0 / (1.0 + Math.exp(-margin))) : margin;
    }

    public float predict(float[] x) {
        return predict(x, 0);
    }

    /**
     * Adds this ensemble to {@code graph}: a {@code TreeEnsembleRegressor} from {@code input} (float {@code [N, F]},
     * {@code F >= numFeatures()}) to {@code output} ({@code [N, 1]}), through a {@code Sigmoid} for logistic models.
     */
    public void addTo(OnnxGraph graph, String input, String output) {
        int n = left.length;
        var treeIds = new long[n];
        var nodeIds = new long[n];
        var featureIds = new long[n];
        var values = new float[n];
        var modes = new ArrayList<String>(n);
        var trueIds = new long[n];
        var falseIds = new long[n];
        var missingTrue = new long[n];
        List<long[]> leaves = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            int end = t + 1 < roots.length ? roots[t + 1] : n;
            for (int i = root; i < end; i++) {
                treeIds[i] = t;
                nodeIds[i] = i - root;
                if (left[i] < 0) {
                    modes.add("LEAF");
                    leaves.add(new long[] {t, i - root});
                    weights.add(threshold[i]);
                } else {
                    modes.add("BRANCH_LT");
                    featureIds[i] = feature[i];
                    values[i] = threshold[i];
                    trueIds[i] = left[i] - root;
                    falseIds[i] = right[i] - root;
                    missingTrue[i] = defaultLeft[i] ? 1 : 0;
                }
            }
        }
        var targetTrees = new long[leaves.size()];
        var targetNodes = new long[leaves.size()];
        var targetWeights = new float[leaves.size()];
        for (int i = 0; i < targetTrees.length; i++) {
            targetTrees[i] = leaves.get(i)[0];
            targetNodes[i] = leaves.get(i)[1];
            targetWeights[i] = weights.get(i);
        }
        String margin = logistic ? output + "_margin" : output;
        graph.node(
                "TreeEnsembleRegressor",
                OnnxGraph.ML,
                List.of(input),
                List.of(margin),
                Attribute.of("n_targets", 1),
                Attribute.of("aggregate_function", "SUM"),
                Attribute.of("post_transform", "NONE"),
                Attribute.floats("base_values", new float[] {baseMargin}),
                Attribute.ints("nodes_treeids", treeIds),
                Attribute.ints("nodes_nodeids", nodeIds),
                Attribute.ints("nodes_featureids", featureIds),
                Attribute.floats("nodes_values", values),
                Attribute.strings("nodes_modes", modes),
                Attribute.ints("nodes_truenodeids", trueIds),
                Attribute.ints("nodes_falsenodeids", falseIds),
                Attribute.ints("nodes_missing_value_tracks_true", missingTrue),
                Attribute.ints("target_treeids", targetTrees),
                Attribute.ints("target_nodeids", targetNodes),
                Attribute.ints("target_ids", new long[targetTrees.length]),
                Attribute.floats("target_weights", targetWeights));
        if (logistic) graph.node("Sigmoid", "", List.of(margin), List.of(output));
    }

    /** Predictions for {@code rows} consecutive rows of width {@link #numFeatures()}. */
    public float[] predictRows(float[] x, int rows) {
        var out = new float[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = predict(x, i * numFeatures);
        }
        return out;
    }
}

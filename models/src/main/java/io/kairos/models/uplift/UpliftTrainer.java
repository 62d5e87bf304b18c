package io.kairos.models.uplift;

import io.kairos.models.features.FeatureSchema;
import io.kairos.models.features.SchemaInference;
import io.kairos.models.trees.Booster;
import io.kairos.models.trees.BoostingParams;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains an {@link UpliftModel} with gradient-boosted trees from {@link UpliftExample}s, whichever source produced
 * them: one feature pipeline (schema inference, encoding) for experiment CSVs and the decision log alike.
 *
 * <p>Rows are weighted by inverse propensity, normalised to mean 1 within each arm, so a logging policy that offered
 * more to some shoppers than others does not bias either arm's model (for a randomised experiment the weights are all
 * 1). The order-value model is fitted on converting rows with a known order value, when there are any.
 */
public final class UpliftTrainer {
    /**
     * @param shopperFeatures names of shopper features to use
     * @param offerFeatures names of offer features (empty for a single-treatment experiment)
     * @param design two-model or single-model
     * @param params boosting hyper-parameters of the conversion model(s)
     * @param maxCategories one-hot cap per categorical feature
     */
    public record Settings(
            List<String> shopperFeatures,
            List<String> offerFeatures,
            UpliftDesign design,
            BoostingParams params,
            int maxCategories) {
        public Settings {
            shopperFeatures = List.copyOf(shopperFeatures);
            offerFeatures = List.copyOf(offerFeatures);
        }

        public static Settings of(List<String> shopperFeatures, List<String> offerFeatures) {
            return new Settings(
                    shopperFeatures,
                    offerFeatures,
                    UpliftDesign.SINGLE_MODEL,
                    BoostingParams.defaults(),
                    SchemaInference.DEFAULT_MAX_CATEGORIES);
        }

        public Settings withDesign(UpliftDesign d) {
            return new Settings(shopperFeatures, offerFeatures, d, params, maxCategories);
        }

        public Settings withParams(BoostingParams p) {
            return new Settings(shopperFeatures, offerFeatures, design, p, maxCategories);
        }
    }

    private final Consumer<String> progress;

    /** @param progress receives one line per training stage (the CLI prints them to stderr) */
    public UpliftTrainer(Consumer<String> progress) {
        this.progress = progress;
    }

    public UpliftTrainer() {
        this(s -> {});
    }

    public UpliftModel train(List<UpliftExample> examples, Settings settings, String name, String version) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training rows");
        }
        var treatedRows = examples.stream().filter(UpliftExample::treated).toList();
        var controlRows = examples.stream().filter(e -> !e.treated()).toList();
        if (treatedRows.isEmpty() || controlRows.isEmpty()) {
            throw new IllegalArgumentException("training needs both treated and control rows (treated="
                    + treatedRows.size() + ", control=" + controlRows.size() + ")");
        }
        var inference = new SchemaInference(settings.maxCategories());
        FeatureSchema shopperSchema = inference.infer(
                settings.shopperFeatures(),
                examples.stream().map(UpliftExample::shopper).toList());
        FeatureSchema offerSchema = inference.infer(
                settings.offerFeatures(),
                treatedRows.stream().map(UpliftExample::offer).toList());
        progress.accept("features: " + shopperSchema.width() + " shopper slots, " + offerSchema.width()
                + " offer slots; " + treatedRows.size() + " treated, " + controlRows.size() + " control rows");

        byte[] controlJson;
        byte[] treatedJson = null;
        int sw = shopperSchema.width();
        int ow = offerSchema.width();
        if (settings.design() == UpliftDesign.TWO_MODEL) {
            progress.accept("training control model (" + settings.params().rounds() + " rounds)");
            controlJson = fit(controlRows, shopperSchema, null, false, settings.params());
            progress.accept("training treated model (" + settings.params().rounds() + " rounds)");
            treatedJson = fit(treatedRows, shopperSchema, offerSchema, false, settings.params());
        } else {
            progress.accept("training single model (" + settings.params().rounds() + " rounds)");
            controlJson = fit(examples, shopperSchema, offerSchema, true, settings.params());
        }
        var valued = examples.stream()
                .filter(e -> e.outcome() > 0 && Double.isFinite(e.orderValue()))
                .toList();
        byte[] valueJson = null;
        if (!valued.isEmpty()) {
            progress.accept("training order-value model on " + valued.size() + " converting rows");
            valueJson = fitValue(valued, shopperSchema, offerSchema, settings.params());
        }
        if (sw == 0 && ow == 0) {
            progress.accept("warning: no features; the model predicts the arm means");
        }
        return new UpliftModel(
                name, version, settings.design(), shopperSchema, offerSchema, controlJson, treatedJson, valueJson);
    }

    /** Fits a conversion model; the offer schema is null for the control model of the two-model design. */
    private static byte[] fit(
            List<UpliftExample> rows,
            FeatureSchema shopper,
            FeatureSchema offer,
            boolean treatedFlag,
            BoostingParams params) {
        int sw = shopper.width();
        int ow = offer == null ? 0 : offer.width();
        int cols = sw + ow + (treatedFlag ? 1 : 0);
        var x = new float[rows.size() * cols];
        var y = new float[rows.size()];
        var w = new float[rows.size()];
        double[] armWeight = new double[2];
        int[] armCount = new int[2];
        for (UpliftExample e : rows) {
            int arm = e.treated() ? 1 : 0;
            armWeight[arm] += 1 / e.propensity();
            armCount[arm]++;
        }
        for (int i = 0; i < rows.size(); i++) {
            UpliftExample e = rows.get(i);
            int at = i * cols;
            shopper.encode(e.shopper(), x, at);
            if (offer != null) {
                offer.encode(e.offer(), x, at + sw);
            }
            if (treatedFlag) {
                x[at + sw + ow] = e.treated() ? 1f : 0f;
            }
            y[i] = (float) e.outcome();
            int arm = e.treated() ? 1 : 0;
            w[i] = (float) ((1 / e.propensity()) / (armWeight[arm] / armCount[arm]));
        }
        boolean binary = rows.stream().allMatch(e -> e.outcome() == 0 || e.outcome() == 1);
        return Booster.train(
                x, rows.size(), cols, y, w, binary ? Booster.Task.BINARY : Booster.Task.REGRESSION, params);
    }

    private static byte[] fitValue(
            List<UpliftExample> rows, FeatureSchema shopper, FeatureSchema offer, BoostingParams params) {
        int sw = shopper.width();
        int cols = sw + offer.width();
        var x = new float[rows.size() * cols];
        var y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            UpliftExample e = rows.get(i);
            shopper.encode(e.shopper(), x, i * cols);
            offer.encode(e.offer(), x, i * cols + sw);
            y[i] = (float) e.orderValue();
        }
        // Few converting rows: shallow, strongly regularised trees so the value model stays near the mean.
        var valueParams = new BoostingParams(
                Math.min(params.rounds(), 100),
                2,
                params.eta(),
                Math.max(params.minChildWeight(), 20),
                params.subsample(),
                Math.max(params.lambda(), 10),
                params.seed());
        return Booster.train(x, rows.size(), cols, y, null, Booster.Task.REGRESSION, valueParams);
    }
}

package io.kairos.models.uplift;

import io.kairos.models.features.FeatureSchema;
import io.kairos.models.onnx.OnnxGraph;
import io.kairos.models.onnx.OnnxGraph.Attribute;
import io.kairos.models.trees.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trained uplift model: the feature schemas it expects, its tree ensembles walked in plain Java, and the XGBoost JSON
 * they were built from (kept so the artifact can be stored and re-verified against XGBoost). Training and evaluation
 * score with it; a node serves {@link #toOnnx()} through DJL ({@link OnnxUpliftScorer}).
 *
 * <p>Input layout: shopper slots, then offer slots, then (single-model design only) one treated flag. For the two-model
 * design the control ensemble sees only the shopper slots. The value ensemble, when present, sees shopper and offer
 * slots and predicts the order value given a conversion. Immutable and thread-safe: {@link #score} allocates one small
 * buffer per call and shares nothing mutable.
 */
public final class UpliftModel implements UpliftScorer {
    private final String name;
    private final String version;
    private final UpliftDesign design;
    private final FeatureSchema shopperSchema;
    private final FeatureSchema offerSchema;
    private final byte[] controlJson;
    private final byte[] treatedJson;
    private final byte[] valueJson;
    private final TreeEnsemble control;
    private final TreeEnsemble treated;
    private final TreeEnsemble value;

    /**
     * @param controlJson XGBoost JSON of P(convert | no offer) (two-model) or of the single model
     * @param treatedJson XGBoost JSON of P(convert | offer); {@code null} for the single-model design
     * @param valueJson XGBoost JSON of E[order value | conversion]; {@code null} when trained without order values
     */
    public UpliftModel(
            String name,
            String version,
            UpliftDesign design,
            FeatureSchema shopperSchema,
            FeatureSchema offerSchema,
            byte[] controlJson,
            byte[] treatedJson,
            byte[] valueJson) {
        this.name = name;
        this.version = version;
        this.design = design;
        this.shopperSchema = shopperSchema;
        this.offerSchema = offerSchema;
        this.controlJson = controlJson.clone();
        this.treatedJson = treatedJson == null ? null : treatedJson.clone();
        this.valueJson = valueJson == null ? null : valueJson.clone();
        this.control = TreeEnsemble.fromXgboostJson(controlJson);
        this.treated = treatedJson == null ? null : TreeEnsemble.fromXgboostJson(treatedJson);
        this.value = valueJson == null ? null : TreeEnsemble.fromXgboostJson(valueJson);
        int sw = shopperSchema.width();
        int ow = offerSchema.width();
        if (design == UpliftDesign.TWO_MODEL) {
            if (treated == null) {
                throw new IllegalArgumentException("the two-model design needs a treated model");
            }
            requireWidth(control, sw, "control");
            requireWidth(treated, sw + ow, "treated");
        } else {
            requireWidth(control, sw + ow + 1, "single");
        }
        if (value != null) {
            requireWidth(value, sw + ow, "value");
        }
    }

    private static void requireWidth(TreeEnsemble e, int width, String which) {
        // XGBoost records the matrix width it saw; a mismatch means the schema and the trees do not belong together.
        if (e.numFeatures() != width) {
            throw new IllegalArgumentException(
                    which + " model expects " + e.numFeatures() + " inputs, schema gives " + width);
        }
    }

    /** The same trees and schemas under another name and version (e.g. to publish a copy into another registry). */
    public UpliftModel withIdentity(String newName, String newVersion) {
        return new UpliftModel(
                newName, newVersion, design, shopperSchema, offerSchema, controlJson, treatedJson, valueJson);
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public String modelVersion() {
        return version;
    }

    /** The trees walked in plain Java: training-time evaluation only, never a node's decisions. */
    @Override
    public String engine() {
        return "kairos-java-trees";
    }

    /**
     * This model as one ONNX graph in the serving layout of {@link OnnxUpliftScorer}: input {@code rows} (shopper
     * slots, offer slots, treated flag), output {@code response} = P(convert) for the row's arm and, when trained with
     * order values, {@code value}. The two-model design picks the treated or the control ensemble by the flag.
     */
    public byte[] toOnnx() {
        int w = OnnxUpliftScorer.rowWidth(shopperSchema, offerSchema);
        var g = new OnnxGraph(name).input(OnnxUpliftScorer.INPUT, w).output("response", 1);
        if (design == UpliftDesign.SINGLE_MODEL) {
            control.addTo(g, OnnxUpliftScorer.INPUT, "response");
        } else {
            control.addTo(g, OnnxUpliftScorer.INPUT, "p_control");
            treated.addTo(g, OnnxUpliftScorer.INPUT, "p_treated");
            g.constant("flag_index", new long[] {1}, new long[] {w - 1});
            g.constant("half", new long[0], 0.5f);
            g.node(
                    "Gather",
                    "",
                    List.of(OnnxUpliftScorer.INPUT, "flag_index"),
                    List.of("flag"),
                    Attribute.of("axis", 1));
            g.node("Greater", "", List.of("flag", "half"), List.of("treated"));
            g.node("Where", "", List.of("treated", "p_treated", "p_control"), List.of("response"));
        }
        if (value != null) {
            value.addTo(g, OnnxUpliftScorer.INPUT, "value");
            g.output("value", 1);
        }
        return g.toBytes();
    }

    /** The outputs {@link #toOnnx()} writes. */
    public OnnxUpliftScorer.Outputs onnxOutputs() {
        return value == null ? OnnxUpliftScorer.Outputs.KAIROS : OnnxUpliftScorer.Outputs.KAIROS.withValue("value");
    }

    /** This model's graph loaded through DJL: what a node serves. */
    public OnnxUpliftScorer serve() {
        return OnnxUpliftScorer.load(name, version, toOnnx(), shopperSchema, offerSchema, onnxOutputs());
    }

    public UpliftDesign design() {
        return design;
    }

    public FeatureSchema shopperSchema() {
        return shopperSchema;
    }

    public FeatureSchema offerSchema() {
        return offerSchema;
    }

    public byte[] controlJson() {
        return controlJson.clone();
    }

    public byte[] treatedJson() {
        return treatedJson == null ? null : treatedJson.clone();
    }

    public byte[] valueJson() {
        return valueJson == null ? null : valueJson.clone();
    }

    public boolean hasValueModel() {
        return value != null;
    }

    /** The same model under another name/version (a registry copy keeps its trees). */
    public UpliftModel renamed(String newName, String newVersion) {
        return new UpliftModel(
                newName, newVersion, design, shopperSchema, offerSchema, controlJson, treatedJson, valueJson);
    }

    /** Width of the input rows {@link #encodeTreated}/{@link #encodeControl} produce. */
    public int inputWidth() {
        int w = shopperSchema.width() + offerSchema.width();
        return design == UpliftDesign.SINGLE_MODEL ? w + 1 : w;
    }

    @Override
    public List<Score> score(ShopperFeatures shopper, List<OfferFeatures> candidates) {
        int sw = shopperSchema.width();
        int ow = offerSchema.width();
        var row = new float[sw + ow + 1];
        shopperSchema.encode(shopper.values(), row, 0);
        double pWithout;
        if (design == UpliftDesign.TWO_MODEL) {
            pWithout = control.predict(row, 0);
        } else {
            offerSchema.encode(Map.of(), row, sw);
            row[sw + ow] = 0f;
            pWithout = control.predict(row, 0);
            row[sw + ow] = 1f;
        }
        var out = new ArrayList<Score>(candidates.size());
        for (OfferFeatures offer : candidates) {
            offerSchema.encode(offer.values(), row, sw);
            double pWith = design == UpliftDesign.TWO_MODEL ? treated.predict(row, 0) : control.predict(row, 0);
            double orderValue = value == null ? Double.NaN : value.predict(row, 0);
            out.add(new Score(offer.offerId(), pWith, pWithout, pWith - pWithout, orderValue, name, version));
        }
        return out;
    }

    /** Encodes a shopper + offer as the treated-arm input row (training and verification use the same layout). */
    public float[] encodeTreated(Map<String, ?> shopper, Map<String, ?> offer) {
        var row = new float[inputWidth()];
        shopperSchema.encode(shopper, row, 0);
        offerSchema.encode(offer, row, shopperSchema.width());
        if (design == UpliftDesign.SINGLE_MODEL) {
            row[row.length - 1] = 1f;
        }
        return row;
    }

    /** Encodes a shopper as the control-arm input row. */
    public float[] encodeControl(Map<String, ?> shopper) {
        if (design == UpliftDesign.TWO_MODEL) {
            return shopperSchema.encode(shopper);
        }
        var row = new float[inputWidth()];
        shopperSchema.encode(shopper, row, 0);
        offerSchema.encode(Map.of(), row, shopperSchema.width());
        return row;
    }

    /** Width of control-arm rows. */
    public int controlWidth() {
        return design == UpliftDesign.TWO_MODEL ? shopperSchema.width() : inputWidth();
    }
}

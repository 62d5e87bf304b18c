package io.kairos.models.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered list of features a model expects and the one encoding from raw values to a dense float vector, used both
 * at training and at serving time so the two can never disagree.
 *
 * <p>Invariants: feature names are unique; slot offsets follow the feature order; {@link #width()} is the sum of the
 * features' widths. Raw values may be {@link Number}s or text (text is parsed for numeric features, so CSV cells and
 * actor-supplied numbers encode identically); {@code null}, absent or unparseable numeric values encode as {@code NaN},
 * which the tree learner treats as missing. Immutable and thread-safe.
 */
public final class FeatureSchema {
    private final List<Feature> features;
    private final int[] offsets;
    private final List<Map<String, Integer>> categoryIndex;
    private final int width;

    @JsonCreator
    public FeatureSchema(@JsonProperty("features") List<Feature> features) {
        this.features = List.copyOf(features);
        this.offsets = new int[features.size()];
        var names = new java.util.HashSet<String>();
        var index = new ArrayList<Map<String, Integer>>();
        int w = 0;
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("duplicate feature " + f.name());
            }
            offsets[i] = w;
            w += f.width();
            var m = new HashMap<String, Integer>();
            for (int c = 0; c < f.categories().size(); c++) {
                m.put(f.categories().get(c), c);
            }
            index.add(Map.copyOf(m));
        }
        this.categoryIndex = List.copyOf(index);
        this.width = w;
    }

    public static FeatureSchema empty() {
        return new FeatureSchema(List.of());
    }

    @JsonProperty("features")
    public List<Feature> features() {
        return features;
    }

    @JsonIgnore
    public int width() {
        return width;
    }

    @JsonIgnore
    public boolean isEmpty() {
        return features.isEmpty();
    }

    /** Human-readable name of every encoded slot, e.g. {@code channel=Web}. */
    public List<String> slotNames() {
        var out = new ArrayList<String>(width);
        for (Feature f : features) {
            if (f.kind() == Feature.Kind.NUMERIC) {
                out.add(f.name());
            } else {
                for (String c : f.categories()) {
                    out.add(f.name() + "=" + c);
                }
            }
        }
        return out;
    }

    /**
     * Encodes {@code values} into {@code out[offset .. offset + width())}. Overwrites every slot of the range, so a
     * reused buffer needs no clearing.
     */
    public void encode(Map<String, ?> values, float[] out, int offset) {
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            Object v = values.get(f.name());
            int at = offset + offsets[i];
            if (f.kind() == Feature.Kind.NUMERIC) {
                out[at] = toFloat(v);
            } else {
                java.util.Arrays.fill(out, at, at + f.width(), 0f);
                if (v != null) {
                    Integer c = categoryIndex.get(i).get(categoryText(v));
                    if (c != null) {
                        out[at + c] = 1f;
                    }
                }
            }
        }
    }

    /** Encodes into a fresh array. */
    public float[] encode(Map<String, ?> values) {
        var out = new float[width];
        encode(values, out, 0);
        return out;
    }

    static float toFloat(Object v) {
        if (v == null) {
            return Float.NaN;
        }
        if (v instanceof Number n) {
            return n.floatValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1f : 0f;
        }
        Double d = parseNumber(v.toString());
        return d == null ? Float.NaN : d.floatValue();
    }

    /** Text of a categorical value: whole-number doubles print without ".0" so 3 and 3.0 are one category. */
    static String categoryText(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        if (v instanceof Float f && f == Math.rint(f) && !f.isInfinite()) {
            return Long.toString(f.longValue());
        }
        return v.toString().trim();
    }

    /** A finite number parsed from text, or {@code null}. */
    public static Double parseNumber(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.isEmpty()) {
            return null;
        }
        char c = t.charAt(0);
        // Fast reject before the exception path: most categorical text does not start like a number.
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
            return null;
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema other && other.features.equals(features);
    }

    @Override
    public int hashCode() {
        return features.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureSchema" + features;
    }
}

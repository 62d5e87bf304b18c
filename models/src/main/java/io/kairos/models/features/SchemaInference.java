package io.kairos.models.features;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides from training values whether each feature is numeric or categorical and which categories it keeps.
 *
 * <p>Rule: a feature is numeric when every present value is a {@link Number} or text that parses as a finite number;
 * otherwise it is categorical (so "2) $100 - $200" or "Web" make a column categorical, while "3", "3.5" and blanks stay
 * numeric). Categorical features keep at most {@code maxCategories} most frequent values (ties broken by text, so the
 * result is deterministic); rarer values encode like unseen ones.
 */
public final class SchemaInference {
    /** Default cap on one-hot slots per categorical feature. */
    public static final int DEFAULT_MAX_CATEGORIES = 64;

    private final int maxCategories;

    public SchemaInference(int maxCategories) {
        if (maxCategories < 1) {
            throw new IllegalArgumentException("maxCategories must be >= 1");
        }
        this.maxCategories = maxCategories;
    }

    public SchemaInference() {
        this(DEFAULT_MAX_CATEGORIES);
    }

    /**
     * Infers a schema for the named features from rows of raw values (a missing key means a missing value).
     *
     * @param names feature names, in the order the schema will keep
     * @param rows the training rows
     */
    public FeatureSchema infer(List<String> names, Iterable<? extends Map<String, ?>> rows) {
        int n = names.size();
        var numeric = new boolean[n];
        java.util.Arrays.fill(numeric, true);
        var counts = new ArrayList<Map<String, Integer>>();
        for (int i = 0; i < n; i++) {
            counts.add(new HashMap<>());
        }
        for (Map<String, ?> row : rows) {
            for (int i = 0; i < n; i++) {
                Object v = row.get(names.get(i));
                if (v == null) {
                    continue;
                }
                if (numeric[i]
                        && !(v instanceof Number)
                        && !(v instanceof Boolean)
                        && FeatureSchema.parseNumber(v.toString()) == null) {
                    numeric[i] = false;
                }
                counts.get(i).merge(FeatureSchema.categoryText(v), 1, Integer::sum);
            }
        }
        var features = new ArrayList<Feature>(n);
        for (int i = 0; i < n; i++) {
            if (numeric[i]) {
                features.add(Feature.numeric(names.get(i)));
            } else {
                List<String> kept = counts.get(i).entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                        .limit(maxCategories)
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList();
                features.add(Feature.categorical(names.get(i), kept));
            }
        }
        return new FeatureSchema(features);
    }
}

package io.kairos.models.features;

import java.util.List;

/**
 * One input column of a model and how it is encoded.
 *
 * <p>A {@link Kind#NUMERIC} feature takes one slot holding its value ({@code NaN} when missing). A
 * {@link Kind#CATEGORICAL} feature takes one slot per known category (one-hot); a missing or unseen category encodes as
 * all zeros, so a model never fails on a value it did not see in training.
 *
 * @param name column / attribute name
 * @param kind how the value is encoded
 * @param categories the known categories in slot order (empty for numeric features)
 */
public record Feature(String name, Kind kind, List<String> categories) {
    /** The encoding of a feature. */
    public enum Kind {
        NUMERIC,
        CATEGORICAL
    }

    public Feature {
        categories = List.copyOf(categories);
        if (kind == Kind.NUMERIC && !categories.isEmpty()) {
            throw new IllegalArgumentException("numeric feature " + name + " cannot have categories");
        }
    }

    public static Feature numeric(String name) {
        return new Feature(name, Kind.NUMERIC, List.of());
    }

    public static Feature categorical(String name, List<String> categories) {
        return new Feature(name, Kind.CATEGORICAL, categories);
    }

    /** Number of encoded slots this feature takes. */
    public int width() {
        return kind == Kind.NUMERIC ? 1 : categories.size();
    }
}

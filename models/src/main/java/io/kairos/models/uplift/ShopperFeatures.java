package io.kairos.models.uplift;

import java.util.Map;

/**
 * What the scoring call knows about one shopper: raw feature values by the names in the model's feature schema (numbers
 * or text; absent = missing, which the model handles).
 */
public record ShopperFeatures(Map<String, ?> values) {
    public ShopperFeatures {
        values = Map.copyOf(values);
    }

    public static ShopperFeatures of(Map<String, ?> values) {
        return new ShopperFeatures(values);
    }
}

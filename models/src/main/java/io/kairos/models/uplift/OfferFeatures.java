package io.kairos.models.uplift;

import java.util.Map;

/**
 * One candidate offer to score: its id (echoed in the {@link Score}) and its raw feature values, e.g. coupon type,
 * value, minimum spend, channel, named as in the model's offer schema.
 */
public record OfferFeatures(String offerId, Map<String, ?> values) {
    public OfferFeatures {
        java.util.Objects.requireNonNull(offerId, "offerId");
        values = Map.copyOf(values);
    }

    public static OfferFeatures of(String offerId, Map<String, ?> values) {
        return new OfferFeatures(offerId, values);
    }
}

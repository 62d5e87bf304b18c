package io.kairos.offer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw model inputs as a decision saw them: numbers and categories by feature name. Kept as two typed maps (not a map of
 * objects) so they survive serialization exactly, and the decision record reproduces them byte for byte.
 */
public record FeatureValues(Map<String, Double> numbers, Map<String, String> categories) {
    public static final FeatureValues EMPTY = new FeatureValues(Map.of(), Map.of());

    public FeatureValues {
        numbers = numbers == null ? Map.of() : Map.copyOf(numbers);
        categories = categories == null ? Map.of() : Map.copyOf(categories);
    }

    /** Both maps as one, for the model ({@code UpliftScorer} takes raw values by name). */
    public Map<String, Object> asMap() {
        var out = new TreeMap<String, Object>(numbers);
        out.putAll(categories);
        return out;
    }

    /** The first 16 hex digits of SHA-256 over the sorted {@code name=value} pairs: identifies the inputs in logs. */
    public String hash() {
        var sb = new StringBuilder();
        asMap().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            var digest =
                    MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}

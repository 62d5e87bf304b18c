package io.kairos.models.registry;

import io.kairos.models.features.FeatureSchema;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a stored model says about itself: identity, kind, when and on what it was trained, its evaluation metrics
 * and the feature schema(s) it expects. A (name, version) pair is immutable once stored.
 *
 * @param name model name, e.g. {@code offer-uplift}; {@code [A-Za-z0-9._-]{1,64}}
 * @param version version within the name; same alphabet
 * @param kind what it predicts
 * @param createdAt when the artifact was produced
 * @param training the training data window
 * @param metrics evaluation figures by name (e.g. {@code upliftAt30}, {@code logLikelihood})
 * @param featureSchema input schemas by role (e.g. {@code shopper}, {@code offer}); empty for models without encoded
 *     features
 * @param properties free-form facts (e.g. hyper-parameters)
 */
public record ModelMetadata(
        String name,
        String version,
        ModelKind kind,
        Instant createdAt,
        TrainingWindow training,
        Map<String, Double> metrics,
        Map<String, FeatureSchema> featureSchema,
        Map<String, String> properties) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** How stores list models: by name, then oldest first, then by version. */
    public static final Comparator<ModelMetadata> LISTING_ORDER = Comparator.comparing(ModelMetadata::name)
            .thenComparing(ModelMetadata::createdAt)
            .thenComparing(ModelMetadata::version);

    public ModelMetadata {
        requireId(name, "name");
        requireId(version, "version");
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(createdAt, "createdAt");
        java.util.Objects.requireNonNull(training, "training");
        metrics = Map.copyOf(metrics);
        featureSchema = Map.copyOf(featureSchema);
        properties = Map.copyOf(properties);
    }

    /** Rejects names that are not safe as one path segment or CQL key ("." and ".." included). */
    public static String requireId(String id, String what) {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(
                    "invalid model " + what + ": '" + id + "' (allowed: [A-Za-z0-9._-]{1,64})");
        }
        return id;
    }
}

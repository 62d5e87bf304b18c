package io.kairos.models.registry;

import java.util.Map;
import java.util.TreeMap;

/**
 * A stored model: its metadata plus named binary files (e.g. XGBoost JSON trees, fitted parameters as JSON). What the
 * files mean is up to the {@link ModelCodec} of its kind; stores treat them as opaque bytes.
 */
public record ModelArtifact(ModelMetadata metadata, Map<String, byte[]> files) {
    private static final java.util.regex.Pattern FILE = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ModelArtifact {
        java.util.Objects.requireNonNull(metadata, "metadata");
        var copy = new TreeMap<String, byte[]>();
        files.forEach((k, v) -> {
            if (!FILE.matcher(k).matches() || k.startsWith(".")) {
                throw new IllegalArgumentException("invalid artifact file name: " + k);
            }
            copy.put(k, v.clone());
        });
        files = java.util.Collections.unmodifiableMap(copy);
    }

    public byte[] file(String name) {
        byte[] b = files.get(name);
        if (b == null) {
            throw new IllegalArgumentException(metadata.name() + "/" + metadata.version() + " has no file " + name);
        }
        return b.clone();
    }
}

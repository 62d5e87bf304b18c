package io.kairos.models;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real data sets through the {@code kairos.shared.data} system property (set by surefire). */
public final class SharedData {
    private SharedData() {}

    public static Path file(String relative) {
        String root = System.getProperty("kairos.shared.data");
        if (root == null) {
            throw new IllegalStateException("system property kairos.shared.data is not set (surefire sets it)");
        }
        Path p = Path.of(root).resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared data file missing: " + p);
        }
        return p;
    }
}

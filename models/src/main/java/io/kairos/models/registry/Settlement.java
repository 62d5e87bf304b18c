package io.kairos.models.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What settling a watched promotion ({@link ModelStore#settle}) does to a store's promotion pointer: the version then
 * promoted, the history before it, and the change to record. Shared by the stores, which differ only in how they write.
 */
record Settlement(String current, List<String> history, ModelChange change) {
    /**
     * @param current the promoted version now (null: none)
     * @param history the versions promoted before it, newest last
     * @param changes the recorded changes, newest first
     * @return the settlement, or null when {@code version} is not the promoted one
     */
    static Settlement of(
            String current,
            List<String> history,
            List<ModelChange> changes,
            String version,
            boolean keep,
            String actor,
            Instant at) {
        if (!Objects.equals(current, version)) return null;
        String replaced = changes.stream()
                .filter(c -> ModelChange.PROMOTE.equals(c.action()) && version.equals(c.version()))
                .findFirst()
                .map(ModelChange::previous)
                .orElse(null);
        if (keep)
            return new Settlement(current, history, new ModelChange(at, ModelChange.CONFIRM, version, replaced, actor));
        var before = new ArrayList<>(history);
        if (replaced != null && !before.isEmpty() && replaced.equals(before.get(before.size() - 1)))
            before.remove(before.size() - 1);
        return new Settlement(
                replaced, List.copyOf(before), new ModelChange(at, ModelChange.ROLLBACK, replaced, version, actor));
    }

    /** {@code history} with {@code current} appended when there is one (none is promoted after a settled rollback). */
    static List<String> pushed(List<String> history, String current) {
        var out = new ArrayList<>(history);
        if (current != null) out.add(current);
        return out;
    }
}

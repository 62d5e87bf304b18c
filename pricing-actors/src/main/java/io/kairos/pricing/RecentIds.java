package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The source event ids recorded most recently, to drop the duplicates an at-least-once feed redelivers, in bounded
 * memory: ids are kept in generations of {@code generationSize}; when a generation fills a new one starts and the
 * oldest beyond {@code generations} is forgotten. So at least {@code (generations - 1) * generationSize} of the latest
 * ids are always remembered, and never more than {@code generations * generationSize}.
 *
 * <p>A redelivery replays what followed the feed's last committed offset, so remembering a few thousand ids per SKU is
 * plenty; a duplicate older than that is counted again (see pricing-actors/README.md). Adding copies one generation
 * only.
 */
public record RecentIds(List<Set<String>> generations, int generationSize, int maxGenerations)
        implements CborSerializable {

    public RecentIds {
        generations = generations.stream().map(Set::copyOf).toList();
    }

    public static RecentIds empty(int generationSize, int maxGenerations) {
        return new RecentIds(List.of(), generationSize, maxGenerations);
    }

    public boolean contains(String id) {
        for (var g : generations) if (g.contains(id)) return true;
        return false;
    }

    public RecentIds withAll(Collection<String> ids) {
        var gens = new ArrayList<Set<String>>(generations);
        var current = gens.isEmpty() ? new HashSet<String>() : new HashSet<>(gens.remove(gens.size() - 1));
        for (var id : ids) {
            if (current.size() >= generationSize) {
                gens.add(current);
                current = new HashSet<>();
            }
            current.add(id);
        }
        gens.add(current);
        while (gens.size() > maxGenerations) gens.remove(0);
        return new RecentIds(gens, generationSize, maxGenerations);
    }

    /** Ids among {@code ids} not seen before, in order, each once. */
    public List<String> unseen(Collection<String> ids) {
        var fresh = new LinkedHashSet<String>();
        for (var id : ids) if (!contains(id)) fresh.add(id);
        return List.copyOf(fresh);
    }
}

package io.kairos.shopper;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A node's one instance of each immutable value that many shoppers hold equal copies of (a recording policy, a set of
 * score keys, a consent map), so that a million active shoppers hold it once rather than once each, whether they built
 * it from their events or read it back from a snapshot. Bounded: once {@code max} values are known, a new value is
 * answered as it is (held by whoever holds it), so values that do not repeat cannot grow the table without limit.
 *
 * @param <K> what equal values are recognised by
 * @param <V> the value held
 */
final class Canonical<K, V> {
    private final ConcurrentMap<K, V> known = new ConcurrentHashMap<>();
    private final int max;

    Canonical(int max) {
        this.max = max;
    }

    /** The node's instance of {@code value}, recognised by {@code key} (which the table keeps). */
    V of(K key, V value) {
        var held = known.get(key);
        if (held != null) return held;
        if (known.size() >= max) return value;
        var before = known.putIfAbsent(key, value);
        return before == null ? value : before;
    }
}

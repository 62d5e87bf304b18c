package io.kairos.shopper;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A node's one instance of each immutable value that many shoppers hold equal copies of (a recording policy, a set of
 * score keys, a consent map), so that a million active shoppers hold it once rather than once each, whether they built
 * it from their events or read it back from a snapshot. Bounded, and kept by use (Caffeine's frequency-based eviction):
 * at most {@code max} values, the ones asked for most, so values that do not repeat (a rare mix of categories) neither
 * grow the table nor crowd out the ones that do. A value not in the table is answered as it is.
 *
 * @param <K> what equal values are recognised by
 * @param <V> the value held
 */
final class Canonical<K, V> {
    private final Cache<K, V> known;

    Canonical(int max) {
        // maintenance on the calling thread: no pool task per insert, and a bound that holds without one
        known = Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
    }

    /** The node's instance of {@code value}, recognised by {@code key} (which the table keeps). */
    V of(K key, V value) {
        return known.get(key, k -> value);
    }

    /** How many values the table holds (at most its bound). */
    long size() {
        return known.estimatedSize();
    }
}

package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exponentially time-decayed scores by key, evaluated lazily: each key stores its value as of its last update, and
 * {@link #valuesAt} decays it to any later instant, so no timer runs per shopper.
 *
 * <p>With half-life h, a weight w added at time t contributes {@code w * 2^-((T - t) / h)} at time T. Adding an event
 * older than a key's {@code asOf} (out-of-order arrival) decays the weight to {@code asOf} instead, which gives the
 * same result as if the events had arrived in time order. At most {@code maxKeys} keys are kept: a new key beyond that
 * evicts the key with the lowest current value, so memory per shopper stays bounded.
 *
 * <p>Compact, because every active shopper holds three of these: the keys sorted (interned, and the array itself shared
 * by every set of scores with the same keys: event types, categories and coupon types repeat across shoppers, so a node
 * holds each key set once, the {@value #SHARED_KEY_SETS} most used), and one {@code long[]} with each key's value (its
 * bits) and the microsecond it is as of. A shopper with 5 keys holds about 120 bytes here, where a map of {@code Score}
 * records and {@code Instant}s held 380 ({@code ShopperHeapBenchmark}). Times are kept to the microsecond (clamped to
 * the range of a {@code long} of microseconds, ±292,000 years). Serialized as parallel arrays: {@code keys},
 * {@code values}, {@code asOfMicros}. Immutable.
 */
public final class DecayedScores {

    public static final DecayedScores EMPTY = new DecayedScores(new String[0], new long[0]);

    /**
     * How many distinct key sets a node shares, the most used ones (a set that few shoppers hold, such as a rare mix of
     * categories, is held by its scores alone).
     */
    static final int SHARED_KEY_SETS = 10_000;

    private static final Canonical<List<String>, String[]> KEY_SETS = new Canonical<>(SHARED_KEY_SETS);

    /** A value as of an instant: one key's score, as {@link #score} answers it. */
    public record Score(double value, Instant asOf) {}

    private final String[] keys; // sorted, interned, shared with other scores of the same keys: never written

    @JsonIgnore // serialized as values and asOfMicros
    private final long[] packed; // key i: its value's bits at 2i, the microsecond it is as of at 2i + 1

    private DecayedScores(String[] keys, long[] packed) {
        this.keys = keys;
        this.packed = packed;
    }

    private static DecayedScores of(String[] keys, double[] values, long[] asOfMicros) {
        var packed = new long[2 * keys.length];
        for (int i = 0; i < keys.length; i++) {
            packed[2 * i] = Double.doubleToRawLongBits(values[i]);
            packed[2 * i + 1] = asOfMicros[i];
        }
        return new DecayedScores(shared(keys), packed);
    }

    /** The node's one array of these keys (sorted and interned), if it is among the sets the node shares. */
    private static String[] shared(String[] keys) {
        return KEY_SETS.of(Arrays.asList(keys), keys);
    }

    /** These scores holding the node's array of their keys (a set made on the way, by {@link #with}, is not shared). */
    private DecayedScores withSharedKeys() {
        var k = shared(keys);
        return k == keys ? this : new DecayedScores(k, packed);
    }

    private double value(int i) {
        return Double.longBitsToDouble(packed[2 * i]);
    }

    private long asOf(int i) {
        return packed[2 * i + 1];
    }

    @JsonCreator
    static DecayedScores fromJson(
            @JsonProperty("keys") String[] keys,
            @JsonProperty("values") double[] values,
            @JsonProperty("asOfMicros") long[] asOfMicros) {
        if (keys == null || keys.length == 0) return EMPTY;
        if (values == null || asOfMicros == null || values.length != keys.length || asOfMicros.length != keys.length)
            throw new IllegalArgumentException("keys, values and asOfMicros must have the same length");
        var byKey = new TreeMap<String, Integer>();
        for (int i = 0; i < keys.length; i++) byKey.put(keys[i], i);
        var k = new String[byKey.size()];
        var v = new double[k.length];
        var t = new long[k.length];
        int j = 0;
        for (var e : byKey.entrySet()) {
            k[j] = e.getKey().intern();
            v[j] = values[e.getValue()];
            t[j++] = asOfMicros[e.getValue()];
        }
        return of(k, v, t);
    }

    /** The scores of a map (as the second version of the shopper state held them); for migrations and tests. */
    public static DecayedScores of(Map<String, Score> scores) {
        var out = EMPTY;
        for (var e : new TreeMap<>(scores).entrySet()) {
            out = out.with(e.getKey(), e.getValue().value(), micros(e.getValue().asOf()));
        }
        return out.withSharedKeys();
    }

    @JsonProperty("keys")
    String[] keys() {
        return keys;
    }

    @JsonProperty("values")
    double[] values() {
        var out = new double[keys.length];
        for (int i = 0; i < out.length; i++) out[i] = value(i);
        return out;
    }

    @JsonProperty("asOfMicros")
    long[] asOfMicros() {
        var out = new long[keys.length];
        for (int i = 0; i < out.length; i++) out[i] = asOf(i);
        return out;
    }

    @JsonIgnore
    public boolean isEmpty() {
        return keys.length == 0;
    }

    public int size() {
        return keys.length;
    }

    /** The key's score as last updated (not decayed). */
    public Optional<Score> score(String key) {
        int i = Arrays.binarySearch(keys, key);
        return i < 0 ? Optional.empty() : Optional.of(new Score(value(i), instant(asOf(i))));
    }

    /** Every key's score as last updated, sorted by key. */
    public Map<String, Score> scores() {
        var out = new TreeMap<String, Score>();
        for (int i = 0; i < keys.length; i++) out.put(keys[i], new Score(value(i), instant(asOf(i))));
        return out;
    }

    /**
     * {@code 2^-(to - from) / halfLife}, the fraction of a score left after decaying from {@code from} to {@code to}
     * (microseconds), counted in whole milliseconds.
     */
    static double factor(long fromMicros, long toMicros, Duration halfLife) {
        double elapsedMillis = Math.floorDiv(toMicros - fromMicros, 1000L);
        return Math.pow(2.0, -elapsedMillis / halfLife.toMillis());
    }

    public DecayedScores add(String key, double weight, Instant at, Duration halfLife, int maxKeys) {
        return add(key, weight, micros(at), halfLife, maxKeys);
    }

    private DecayedScores add(String key, double weight, long t, Duration halfLife, int maxKeys) {
        int i = Arrays.binarySearch(keys, key);
        if (i >= 0) {
            long asOf = asOf(i);
            return t < asOf
                    ? with(key, value(i) + weight * factor(t, asOf, halfLife), asOf)
                    : with(key, value(i) * factor(asOf, t, halfLife) + weight, t);
        }
        var next = with(key, weight, t);
        if (next.keys.length <= maxKeys) return next.withSharedKeys();
        // Beyond the bound: the weakest other key as of now goes (the first by key among equals).
        int weakest = -1;
        double lowest = Double.MAX_VALUE;
        for (int j = 0; j < next.keys.length; j++) {
            if (next.keys[j].equals(key)) continue;
            double v = next.valueAt(j, t, halfLife);
            if (v < lowest) {
                lowest = v;
                weakest = j;
            }
        }
        return next.without(weakest).withSharedKeys();
    }

    /** Folds another set of scores (e.g. a linked identity's history) into this one. */
    public DecayedScores merge(DecayedScores other, Duration halfLife, int maxKeys) {
        var merged = this;
        for (int i = 0; i < other.keys.length; i++) {
            merged = merged.add(other.keys[i], other.value(i), other.asOf(i), halfLife, maxKeys);
        }
        return merged;
    }

    public double valueAt(String key, Instant t, Duration halfLife) {
        int i = Arrays.binarySearch(keys, key);
        return i < 0 ? 0.0 : valueAt(i, micros(t), halfLife);
    }

    private double valueAt(int i, long tMicros, Duration halfLife) {
        return tMicros > asOf(i) ? value(i) * factor(asOf(i), tMicros, halfLife) : value(i);
    }

    /** Every key's value decayed to {@code t}, sorted by key for stable output. */
    public Map<String, Double> valuesAt(Instant t, Duration halfLife) {
        var out = new TreeMap<String, Double>();
        long micros = micros(t);
        for (int i = 0; i < keys.length; i++) out.put(keys[i], valueAt(i, micros, halfLife));
        return out;
    }

    /** These scores with {@code key} set to {@code value} as of {@code asOf}, inserted in key order if new. */
    private DecayedScores with(String key, double value, long asOf) {
        int i = Arrays.binarySearch(keys, key);
        if (i >= 0) {
            var p = packed.clone();
            p[2 * i] = Double.doubleToRawLongBits(value);
            p[2 * i + 1] = asOf;
            return new DecayedScores(keys, p);
        }
        int at = -i - 1;
        var k = new String[keys.length + 1];
        var p = new long[packed.length + 2];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(packed, 0, p, 0, 2 * at);
        k[at] = key.intern();
        p[2 * at] = Double.doubleToRawLongBits(value);
        p[2 * at + 1] = asOf;
        System.arraycopy(keys, at, k, at + 1, keys.length - at);
        System.arraycopy(packed, 2 * at, p, 2 * at + 2, packed.length - 2 * at);
        return new DecayedScores(k, p);
    }

    private DecayedScores without(int i) {
        int n = keys.length - 1;
        var k = new String[n];
        var p = new long[2 * n];
        System.arraycopy(keys, 0, k, 0, i);
        System.arraycopy(packed, 0, p, 0, 2 * i);
        System.arraycopy(keys, i + 1, k, i, n - i);
        System.arraycopy(packed, 2 * i + 2, p, 2 * i, 2 * (n - i));
        return new DecayedScores(k, p);
    }

    /** Microseconds since the epoch, clamped to what a {@code long} holds. */
    static long micros(Instant t) {
        try {
            return ChronoUnit.MICROS.between(Instant.EPOCH, t);
        } catch (ArithmeticException tooFar) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecayedScores d && Arrays.equals(d.keys, keys) && Arrays.equals(d.packed, packed);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keys) + Arrays.hashCode(packed);
    }

    @Override
    public String toString() {
        return "DecayedScores" + scores();
    }
}

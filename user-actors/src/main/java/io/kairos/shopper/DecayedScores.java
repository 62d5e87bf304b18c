package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
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
 * <p>Compact, because every active shopper holds three of these: parallel arrays sorted by key (interned: event types,
 * categories and coupon types repeat across every shopper, so a node holds each once), each key's value and the
 * microsecond it is as of. A shopper with 5 keys holds about 150 bytes here, where a map of {@code Score} records and
 * {@code Instant}s held 380 ({@code ShopperHeapBenchmark}). Times are kept to the microsecond (clamped to the range of
 * a {@code long} of microseconds, ±292,000 years), which is also how they are serialized: {@code keys}, {@code values},
 * {@code asOfMicros}. Immutable.
 */
public final class DecayedScores {

    public static final DecayedScores EMPTY = new DecayedScores(new String[0], new double[0], new long[0]);

    /** A value as of an instant: one key's score, as {@link #score} answers it. */
    public record Score(double value, Instant asOf) {}

    private final String[] keys; // sorted, interned
    private final double[] values;
    private final long[] asOfMicros;

    private DecayedScores(String[] keys, double[] values, long[] asOfMicros) {
        this.keys = keys;
        this.values = values;
        this.asOfMicros = asOfMicros;
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
        return new DecayedScores(k, v, t);
    }

    /** The scores of a map (as the second version of the shopper state held them); for migrations and tests. */
    public static DecayedScores of(Map<String, Score> scores) {
        var out = EMPTY;
        for (var e : new TreeMap<>(scores).entrySet()) {
            out = out.with(e.getKey(), e.getValue().value(), micros(e.getValue().asOf()));
        }
        return out;
    }

    @JsonProperty("keys")
    String[] keys() {
        return keys;
    }

    @JsonProperty("values")
    double[] values() {
        return values;
    }

    @JsonProperty("asOfMicros")
    long[] asOfMicros() {
        return asOfMicros;
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
        return i < 0 ? Optional.empty() : Optional.of(new Score(values[i], instant(asOfMicros[i])));
    }

    /** Every key's score as last updated, sorted by key. */
    public Map<String, Score> scores() {
        var out = new TreeMap<String, Score>();
        for (int i = 0; i < keys.length; i++) out.put(keys[i], new Score(values[i], instant(asOfMicros[i])));
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
            long asOf = asOfMicros[i];
            return t < asOf
                    ? with(key, values[i] + weight * factor(t, asOf, halfLife), asOf)
                    : with(key, values[i] * factor(asOf, t, halfLife) + weight, t);
        }
        var next = with(key, weight, t);
        if (next.keys.length <= maxKeys) return next;
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
        return next.without(weakest);
    }

    /** Folds another set of scores (e.g. a linked identity's history) into this one. */
    public DecayedScores merge(DecayedScores other, Duration halfLife, int maxKeys) {
        var merged = this;
        for (int i = 0; i < other.keys.length; i++) {
            merged = merged.add(other.keys[i], other.values[i], other.asOfMicros[i], halfLife, maxKeys);
        }
        return merged;
    }

    public double valueAt(String key, Instant t, Duration halfLife) {
        int i = Arrays.binarySearch(keys, key);
        return i < 0 ? 0.0 : valueAt(i, micros(t), halfLife);
    }

    private double valueAt(int i, long tMicros, Duration halfLife) {
        return tMicros > asOfMicros[i] ? values[i] * factor(asOfMicros[i], tMicros, halfLife) : values[i];
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
            var v = values.clone();
            var t = asOfMicros.clone();
            v[i] = value;
            t[i] = asOf;
            return new DecayedScores(keys, v, t);
        }
        int at = -i - 1;
        var k = new String[keys.length + 1];
        var v = new double[keys.length + 1];
        var t = new long[keys.length + 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        System.arraycopy(asOfMicros, 0, t, 0, at);
        k[at] = key.intern();
        v[at] = value;
        t[at] = asOf;
        System.arraycopy(keys, at, k, at + 1, keys.length - at);
        System.arraycopy(values, at, v, at + 1, keys.length - at);
        System.arraycopy(asOfMicros, at, t, at + 1, keys.length - at);
        return new DecayedScores(k, v, t);
    }

    private DecayedScores without(int i) {
        int n = keys.length - 1;
        var k = new String[n];
        var v = new double[n];
        var t = new long[n];
        System.arraycopy(keys, 0, k, 0, i);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(asOfMicros, 0, t, 0, i);
        System.arraycopy(keys, i + 1, k, i, n - i);
        System.arraycopy(values, i + 1, v, i, n - i);
        System.arraycopy(asOfMicros, i + 1, t, i, n - i);
        return new DecayedScores(k, v, t);
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
        return o instanceof DecayedScores d
                && Arrays.equals(d.keys, keys)
                && Arrays.equals(d.values, values)
                && Arrays.equals(d.asOfMicros, asOfMicros);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(keys) + Arrays.hashCode(values)) + Arrays.hashCode(asOfMicros);
    }

    @Override
    public String toString() {
        return "DecayedScores" + scores();
    }
}

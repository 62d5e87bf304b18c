package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * The fingerprints of a shopper's most recent event ids, to recognise re-sent events. Bounded: it keeps the last
 * {@code capacity} ids (oldest evicted first), 6 bytes each, so a shopper's memory does not grow with its history (6 KB
 * for a full window of 1,000, which is most of what a busy shopper holds). A re-sent event older than the last
 * {@code capacity} events of its shopper is not recognised (documented in docs/guarantees.md). Fingerprints are the
 * first 48 bits of SHA-256: an accidental collision among a shopper's recent ids (a new event taken for a re-sent one)
 * is about {@code capacity / 2^48} per event, 3.6e-12 for 1,000. Serialized as {@code long}s holding the 48 bits at the
 * top, as they were once held whole: a window read back from a snapshot written with 64-bit fingerprints keeps their
 * first 48 bits, which are what a fingerprint is now. Immutable.
 */
public final class RecentEventIds {
    private static final int BYTES = 6; // per fingerprint
    private static final int DROPPED_BITS = 64 - 8 * BYTES;

    @JsonIgnore // serialized as fingerprints
    private final byte[] window; // the fingerprints, oldest first, BYTES each (big-endian)

    @JsonIgnore // serialized by its accessor
    private final int capacity;

    private RecentEventIds(byte[] window, int capacity) {
        this.window = window;
        this.capacity = capacity;
    }

    /** The window of {@code fingerprints} (the last {@code capacity} of them), as {@link #fingerprints} gives them. */
    @JsonCreator
    public static RecentEventIds of(
            @JsonProperty("fingerprints") long[] fingerprints, @JsonProperty("capacity") int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        var fps = fingerprints == null ? new long[0] : fingerprints;
        int from = Math.max(0, fps.length - capacity);
        var window = new byte[(fps.length - from) * BYTES];
        for (int i = from; i < fps.length; i++) put(window, i - from, fps[i] >>> DROPPED_BITS);
        return new RecentEventIds(window, capacity);
    }

    public static RecentEventIds empty(int capacity) {
        return of(new long[0], capacity);
    }

    private static void put(byte[] window, int i, long fp) {
        for (int b = 0; b < BYTES; b++) window[i * BYTES + b] = (byte) (fp >>> (8 * (BYTES - 1 - b)));
    }

    private static long get(byte[] window, int i) {
        long fp = 0;
        for (int b = 0; b < BYTES; b++) fp = fp << 8 | (window[i * BYTES + b] & 0xff);
        return fp;
    }

    /** The fingerprints, oldest first, each in the upper 48 bits of a {@code long}. */
    @JsonProperty("fingerprints")
    public long[] fingerprints() {
        var out = new long[size()];
        for (int i = 0; i < out.length; i++) out[i] = get(window, i) << DROPPED_BITS;
        return out;
    }

    @JsonProperty("capacity")
    public int capacity() {
        return capacity;
    }

    public int size() {
        return window.length / BYTES;
    }

    public boolean contains(String eventId) {
        return containsFingerprint(fingerprint(eventId));
    }

    private boolean containsFingerprint(long fp) {
        for (int i = 0; i < size(); i++) if (get(window, i) == fp) return true;
        return false;
    }

    public RecentEventIds plus(String eventId) {
        long fp = fingerprint(eventId);
        if (containsFingerprint(fp)) return this;
        int keep = Math.min(size(), capacity - 1);
        var next = new byte[(keep + 1) * BYTES];
        System.arraycopy(window, window.length - keep * BYTES, next, 0, keep * BYTES);
        put(next, keep, fp);
        return new RecentEventIds(next, capacity);
    }

    /** Union with another window (a linked identity's), this one's ids being the newer; the capacity stays. */
    public RecentEventIds merge(RecentEventIds older) {
        var all = LongStream.concat(LongStream.of(older.fingerprints()), LongStream.of(fingerprints()));
        return of(all.distinct().toArray(), capacity);
    }

    public RecentEventIds withCapacity(int newCapacity) {
        return newCapacity == capacity ? this : of(fingerprints(), newCapacity);
    }

    static long fingerprint(String eventId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < BYTES; i++) v = (v << 8) | (d[i] & 0xff);
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecentEventIds r && r.capacity == capacity && Arrays.equals(r.window, window);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(window) + capacity;
    }

    @Override
    public String toString() {
        return "RecentEventIds[" + size() + "/" + capacity + "]";
    }
}

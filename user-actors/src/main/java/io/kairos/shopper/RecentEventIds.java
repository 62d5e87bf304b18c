package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The fingerprints of a shopper's most recent event ids, to recognise re-sent events. Bounded: it keeps the last
 * {@code capacity} ids (oldest evicted first), 8 bytes each, so a shopper's memory does not grow with its history. A
 * re-sent event older than the last {@code capacity} events of its shopper is not recognised (documented in
 * docs/guarantees.md). Fingerprints are the first 64 bits of SHA-256: an accidental collision among a shopper's recent
 * ids is about {@code capacity / 2^64} per event. Immutable.
 */
public final class RecentEventIds {

    private final long[] fingerprints; // oldest first
    private final int capacity;

    @JsonCreator
    public RecentEventIds(@JsonProperty("fingerprints") long[] fingerprints, @JsonProperty("capacity") int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        var copy = fingerprints == null ? new long[0] : fingerprints.clone();
        this.fingerprints =
                copy.length > capacity ? Arrays.copyOfRange(copy, copy.length - capacity, copy.length) : copy;
        this.capacity = capacity;
    }

    public static RecentEventIds empty(int capacity) {
        return new RecentEventIds(new long[0], capacity);
    }

    @JsonProperty("fingerprints")
    public long[] fingerprints() {
        return fingerprints.clone();
    }

    @JsonProperty("capacity")
    public int capacity() {
        return capacity;
    }

    public int size() {
        return fingerprints.length;
    }

    public boolean contains(String eventId) {
        return containsFingerprint(fingerprint(eventId));
    }

    private boolean containsFingerprint(long fp) {
        for (long f : fingerprints) if (f == fp) return true;
        return false;
    }

    public RecentEventIds plus(String eventId) {
        long fp = fingerprint(eventId);
        if (containsFingerprint(fp)) return this;
        int keep = Math.min(fingerprints.length, capacity - 1);
        var next = new long[keep + 1];
        System.arraycopy(fingerprints, fingerprints.length - keep, next, 0, keep);
        next[keep] = fp;
        return new RecentEventIds(next, capacity);
    }

    /** Union with another window (a linked identity's), this one's ids being the newer; the capacity stays. */
    public RecentEventIds merge(RecentEventIds older) {
        var all = new long[older.fingerprints.length + fingerprints.length];
        System.arraycopy(older.fingerprints, 0, all, 0, older.fingerprints.length);
        System.arraycopy(fingerprints, 0, all, older.fingerprints.length, fingerprints.length);
        return new RecentEventIds(Arrays.stream(all).distinct().toArray(), capacity);
    }

    public RecentEventIds withCapacity(int newCapacity) {
        return newCapacity == capacity ? this : new RecentEventIds(fingerprints, newCapacity);
    }

    static long fingerprint(String eventId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecentEventIds r && r.capacity == capacity && Arrays.equals(r.fingerprints, fingerprints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(fingerprints) + capacity;
    }

    @Override
    public String toString() {
        return "RecentEventIds[" + fingerprints.length + "/" + capacity + "]";
    }
}

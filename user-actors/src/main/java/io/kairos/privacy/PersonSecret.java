package io.kairos.privacy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * A person's AES-128 key, as two longs: each shopper entity holds one for its whole life, and two primitives cost less
 * than a key object around an array (issue 21's heap budget). Erasing the person deletes the only stored copy
 * ({@link PersonKeys}).
 */
public final class PersonSecret {
    static final int BYTES = 16;

    private final long high;
    private final long low;

    PersonSecret(long high, long low) {
        this.high = high;
        this.low = low;
    }

    static PersonSecret random(SecureRandom random) {
        return new PersonSecret(random.nextLong(), random.nextLong());
    }

    /** The key of {@link #bytes()}; fails unless it is 16 bytes. */
    public static PersonSecret of(byte[] bytes) {
        if (bytes.length != BYTES) throw new IllegalArgumentException("a person key has 16 bytes, not " + bytes.length);
        var b = ByteBuffer.wrap(bytes);
        return new PersonSecret(b.getLong(), b.getLong());
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    public byte[] bytes() {
        return ByteBuffer.allocate(BYTES).putLong(high).putLong(low).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonSecret k && k.high == high && k.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low);
    }

    /** Never the key itself: this may end up in a log. */
    @Override
    public String toString() {
        return "PersonSecret(redacted)";
    }
}

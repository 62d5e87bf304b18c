package io.kairos.entity;

import java.util.UUID;

/**
 * Ids that Kairos generates, held in primitives instead of strings by entities that keep many of them in memory: a
 * decision id (a random UUID in its canonical lower-case form, 36 characters) in two {@code long}s, and a coupon code
 * ({@code cp-} and 12 characters of Crockford base 32) in one. As a string each costs 56 to 80 bytes of heap; packed, 8
 * or 16. Ids of other forms (written by hand, imported, or by older versions) cannot be packed and are kept as they
 * are; packing and unpacking give back exactly the string that was packed.
 */
public final class PackedIds {
    private PackedIds() {}

    /** What {@link #couponCode} answers for a coupon id it cannot pack. */
    public static final long NOT_PACKED = -1;

    private static final String COUPON_PREFIX = "cp-";
    private static final int COUPON_CHARS = 12;
    /** Crockford's base 32 in upper case: the alphabet of coupon codes (CouponCodes writes them with couponId). */
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static final String HEX = "0123456789abcdef";
    // A canonical UUID: 32 hex digits, with dashes at 8, 13, 18 and 23.
    private static final int UUID_LENGTH = 36;

    /** Whether {@code id} is a canonical lower-case UUID other than the nil one (which packs to zeros). */
    public static boolean isUuid(String id) {
        if (id == null || id.length() != UUID_LENGTH) return false;
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = id.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : HEX.indexOf(c) < 0) return false;
        }
        return uuidHigh(id) != 0 || uuidLow(id) != 0;
    }

    /** The first 64 bits of a UUID {@link #isUuid} accepted. */
    public static long uuidHigh(String id) {
        return uuidHigh(id, 0);
    }

    /** The last 64 bits of a UUID {@link #isUuid} accepted. */
    public static long uuidLow(String id) {
        return uuidLow(id, 0);
    }

    /** The canonical string of a packed UUID. */
    public static String uuid(long high, long low) {
        return new UUID(high, low).toString();
    }

    /** Whether {@code id} is the UUID packed as {@code high} and {@code low}, without building its string. */
    public static boolean isUuid(String id, long high, long low) {
        return isUuid(id, 0, high, low);
    }

    /**
     * Whether {@code s} from {@code offset} on is the UUID packed as {@code high} and {@code low} (an offer id after
     * its prefix), without building a string: the halves are compared first, so most other ids are told apart cheaply.
     */
    public static boolean isUuid(String s, int offset, long high, long low) {
        if (s == null || s.length() != offset + UUID_LENGTH) return false;
        if (hex(s, offset, 0, 8) << 32 != (high & 0xffffffff00000000L)) return false;
        if (uuidLow(s, offset) != low || uuidHigh(s, offset) != high) return false;
        return isUuid(offset == 0 ? s : s.substring(offset)); // the same digits: now check the form
    }

    private static long uuidHigh(String s, int offset) {
        return hex(s, offset, 0, 8) << 32 | hex(s, offset, 9, 13) << 16 | hex(s, offset, 14, 18);
    }

    private static long uuidLow(String s, int offset) {
        return hex(s, offset, 19, 23) << 48 | hex(s, offset, 24, 36);
    }

    private static long hex(String s, int offset, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) v = v << 4 | Character.digit(s.charAt(offset + i), 16);
        return v;
    }

    /** A coupon code packed in 60 bits, or {@link #NOT_PACKED} for an id of another form. */
    public static long couponCode(String couponId) {
        if (couponId == null
                || couponId.length() != COUPON_PREFIX.length() + COUPON_CHARS
                || !couponId.startsWith(COUPON_PREFIX)) return NOT_PACKED;
        long v = 0;
        for (int i = COUPON_CHARS - 1; i >= 0; i--) {
            int digit = CROCKFORD.indexOf(couponId.charAt(COUPON_PREFIX.length() + i));
            if (digit < 0) return NOT_PACKED;
            v = v << 5 | digit;
        }
        return v;
    }

    /** The coupon id packed as {@code code} by {@link #couponCode}. */
    public static String couponId(long code) {
        var sb = new StringBuilder(COUPON_PREFIX.length() + COUPON_CHARS).append(COUPON_PREFIX);
        for (int i = 0; i < COUPON_CHARS; i++) {
            sb.append(CROCKFORD.charAt((int) (code & 31)));
            code >>>= 5;
        }
        return sb.toString();
    }
}

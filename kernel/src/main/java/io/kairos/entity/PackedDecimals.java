package io.kairos.entity;

import java.math.BigDecimal;

/**
 * An amount of money held in one {@code long} instead of a {@link BigDecimal} of its own (8 bytes of heap instead of
 * 44): the unscaled value (signed, below 2^59 in size) in the upper 60 bits and the scale (0 to 15) in the lower 4.
 * Exact, scale included, so an amount unpacks equal to the one packed ({@code 74.50} stays {@code 74.50}); amounts that
 * do not fit are kept as they are ({@link #WIDE}).
 */
public final class PackedDecimals {
    private PackedDecimals() {}

    /** The packed form of a missing amount. */
    public static final long NONE = Long.MIN_VALUE;
    /** The packed form of an amount kept as it is. */
    public static final long WIDE = Long.MIN_VALUE + 1;

    private static final int SCALE_BITS = 4;
    private static final long LIMIT = 1L << (63 - SCALE_BITS); // |unscaled| below this fits

    public static long pack(BigDecimal amount) {
        if (amount == null) return NONE;
        int scale = amount.scale();
        if (scale < 0 || scale >= 1 << SCALE_BITS || amount.precision() > 18) return WIDE;
        long unscaled = amount.unscaledValue().longValueExact();
        if (unscaled >= LIMIT || unscaled <= -LIMIT) return WIDE; // (-LIMIT itself would pack to NONE)
        return unscaled << SCALE_BITS | scale;
    }

    /** The amount packed as {@code packed} ({@code wide} if it was kept as it is, null if there was none). */
    public static BigDecimal unpack(long packed, BigDecimal wide) {
        if (packed == NONE) return null;
        if (packed == WIDE) return wide;
        return BigDecimal.valueOf(packed >> SCALE_BITS, (int) (packed & ((1 << SCALE_BITS) - 1)));
    }
}

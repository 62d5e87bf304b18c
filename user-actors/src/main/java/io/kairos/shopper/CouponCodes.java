package io.kairos.shopper;

import io.kairos.entity.PackedIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The coupon code of an issued offer: derived from its decision id, so a replay gives the same code. */
final class CouponCodes {
    private CouponCodes() {}

    /** A short coupon code derived from the decision id: 12 characters of Crockford base 32 after {@code cp-}. */
    static String of(String decisionId) {
        try {
            var d = MessageDigest.getInstance("SHA-256").digest(decisionId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
            return PackedIds.couponId(v); // its 60 low bits, as the 12 characters of a packed code
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}

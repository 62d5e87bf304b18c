package io.kairos.offer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic holdout assignment: a person is in a campaign's holdout when {@code SHA-256(personId ␀ campaignId)}
 * read as an unsigned 64-bit number, modulo 10,000, is below {@code holdoutPercent × 100}. The same person and campaign
 * always land in the same group on every node and after every restart; different campaigns split the same people
 * independently; over many people the share held out is the configured percentage (to 0.01 %). The person id is the one
 * aliases forward to, so all of a person's identities are in the same group.
 */
public final class Holdout {
    private Holdout() {}

    public static boolean heldOut(String personId, String campaignId, double holdoutPercent) {
        return bucket(personId, campaignId) < Math.round(holdoutPercent * 100);
    }

    /** The person's bucket for the campaign, in [0, 10000). */
    public static int bucket(String personId, String campaignId) {
        try {
            var d = MessageDigest.getInstance("SHA-256")
                    .digest((personId + '\u0000' + campaignId).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
            return (int) Long.remainderUnsigned(v, 10_000);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}

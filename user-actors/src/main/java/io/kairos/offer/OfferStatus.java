package io.kairos.offer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where an offer stands (wire names as in API.md). {@code expired} is also derived on read once the expiry passed.
 * {@code preview} marks what a guest is shown: an offer it would be eligible for, never persisted, never redeemable.
 */
public enum OfferStatus {
    ISSUED,
    DELIVERED,
    OPENED,
    CLAIMED,
    REDEEMED,
    EXPIRED,
    REVOKED,
    PREVIEW;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Issued, delivered, opened or claimed: may still be claimed or used at checkout (until it expires). */
    public boolean live() {
        return this == ISSUED || this == DELIVERED || this == OPENED || this == CLAIMED;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static OfferStatus parse(String s) {
        return Arrays.stream(values())
                .filter(v -> v.wireName().equals(s))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown offer status " + s));
    }
}

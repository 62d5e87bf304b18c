package io.kairos.campaign;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * How much of a budget may be committed (reserved or spent) by a given instant.
 *
 * <p>{@code even} pacing is a straight line with a head start: at time t the allowance is
 *
 * <pre>  budget × min(1, s + (1 − s) × (t − startsAt) / (endsAt − startsAt))</pre>
 *
 * where s is {@code kairos.campaign.pacing.initial-share} (10 % by default), so a campaign can issue from its first
 * minute, reaches its whole budget only at its end, and money released by expiry or cancellation becomes available
 * again under the same line. {@code asap} pacing allows the whole budget at once. The allowance is rounded down to
 * cents. A reservation that would take reserved + spent above the allowance is refused with reason {@code pacing}.
 */
public final class Pacing {
    private Pacing() {}

    public static BigDecimal allowance(Campaign c, BigDecimal budget, Instant at, double initialShare) {
        if (c.pacing() == Campaign.PacingMode.ASAP || !at.isBefore(c.endsAt())) return budget;
        if (at.isBefore(c.startsAt())) return BigDecimal.ZERO;
        // seconds, not millis: a span of centuries (a campaign ending in year 9999) must not overflow a long
        double elapsed = Duration.between(c.startsAt(), at).getSeconds();
        double life = Duration.between(c.startsAt(), c.endsAt()).getSeconds();
        double share = Math.min(1.0, initialShare + (1.0 - initialShare) * (elapsed / life));
        return budget.multiply(BigDecimal.valueOf(share)).setScale(2, RoundingMode.DOWN);
    }
}

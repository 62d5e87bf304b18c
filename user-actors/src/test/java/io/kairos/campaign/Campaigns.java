package io.kairos.campaign;

import io.kairos.campaign.Campaign.Caps;
import io.kairos.campaign.Campaign.Eligibility;
import io.kairos.campaign.Campaign.Objective;
import io.kairos.campaign.Campaign.PacingMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Campaign definitions for tests. */
public final class Campaigns {
    public static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private Campaigns() {}

    public static Coupon amountOff(String value) {
        return new Coupon(CouponType.AMOUNT_OFF, new BigDecimal(value), null, null, List.of(), List.of(), null);
    }

    /** An in-app, activation campaign over 30 days, no holdout, no caps, ASAP pacing. */
    public static Campaign campaign(String id, Coupon coupon, String budget) {
        return new Campaign(
                id,
                "campaign " + id,
                coupon,
                new BigDecimal(budget),
                7,
                START,
                START.plus(Duration.ofDays(30)),
                Eligibility.ANYONE,
                Caps.NONE,
                0,
                List.of(Campaign.IN_APP),
                Objective.ACTIVATION,
                PacingMode.ASAP,
                0.3);
    }

    public static Campaign withHoldout(Campaign c, double percent) {
        return new Campaign(
                c.campaignId(),
                c.name(),
                c.coupon(),
                c.budget(),
                c.validDays(),
                c.startsAt(),
                c.endsAt(),
                c.eligibility(),
                c.caps(),
                percent,
                c.channels(),
                c.objective(),
                c.pacing(),
                c.marginRate());
    }

    public static Campaign withCaps(Campaign c, int perShopper, int days) {
        return new Campaign(
                c.campaignId(),
                c.name(),
                c.coupon(),
                c.budget(),
                c.validDays(),
                c.startsAt(),
                c.endsAt(),
                c.eligibility(),
                new Caps(perShopper, days),
                c.holdoutPercent(),
                c.channels(),
                c.objective(),
                c.pacing(),
                c.marginRate());
    }

    public static Campaign withPacing(Campaign c, PacingMode pacing) {
        return new Campaign(
                c.campaignId(),
                c.name(),
                c.coupon(),
                c.budget(),
                c.validDays(),
                c.startsAt(),
                c.endsAt(),
                c.eligibility(),
                c.caps(),
                c.holdoutPercent(),
                c.channels(),
                c.objective(),
                pacing,
                c.marginRate());
    }

    public static Campaign withChannels(Campaign c, List<String> channels) {
        return new Campaign(
                c.campaignId(),
                c.name(),
                c.coupon(),
                c.budget(),
                c.validDays(),
                c.startsAt(),
                c.endsAt(),
                c.eligibility(),
                c.caps(),
                c.holdoutPercent(),
                channels,
                c.objective(),
                c.pacing(),
                c.marginRate());
    }
}

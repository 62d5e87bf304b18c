package io.kairos.campaign;

import io.kairos.campaign.Campaign.Caps;
import io.kairos.campaign.Campaign.Eligibility;
import io.kairos.campaign.Campaign.Objective;
import io.kairos.campaign.Campaign.PacingMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Campaign definitions for tests. */
public final class Campaigns {
    public static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private Campaigns() {}

    public static Coupon amountOff(String value) {
        return new Coupon(CouponType.AMOUNT_OFF, new BigDecimal(value), null, null, List.of(), List.of(), null);
    }

    /** An in-app, activation campaign over 30 days, no holdout, no caps, ASAP pacing. */
    public static Campaign campaign(String id, Coupon coupon, String budget) {
        var c = new Draft();
        c.campaignId = id;
        c.name = "campaign " + id;
        c.coupon = coupon;
        c.budget = new BigDecimal(budget);
        return c.build();
    }

    public static Campaign withHoldout(Campaign c, double percent) {
        return with(c, d -> d.holdoutPercent = percent);
    }

    public static Campaign withCaps(Campaign c, int perShopper, int days) {
        return with(c, d -> d.caps = new Caps(perShopper, days));
    }

    public static Campaign withPacing(Campaign c, PacingMode pacing) {
        return with(c, d -> d.pacing = pacing);
    }

    public static Campaign withChannels(Campaign c, List<String> channels) {
        return with(c, d -> d.channels = channels);
    }

    /** {@code c} with {@code change} applied. */
    public static Campaign with(Campaign c, Consumer<Draft> change) {
        var d = new Draft(c);
        change.accept(d);
        return d.build();
    }

    /** A campaign's fields while a test sets them; starts as {@link #campaign}'s defaults. */
    public static final class Draft {
        public String campaignId = "c";
        public String name = "campaign";
        public Coupon coupon = amountOff("5");
        public BigDecimal budget = new BigDecimal("100");
        public int validDays = 7;
        public Instant startsAt = START;
        public Instant endsAt = START.plus(Duration.ofDays(30));
        public Eligibility eligibility = Eligibility.ANYONE;
        public Caps caps = Caps.NONE;
        public double holdoutPercent = 0;
        public List<String> channels = List.of(Campaign.IN_APP);
        public Objective objective = Objective.ACTIVATION;
        public PacingMode pacing = PacingMode.ASAP;
        public double marginRate = 0.3;
        public Campaign.Display display = Campaign.Display.NONE;
        public Double exploration = null;
        public Double overbooking = null;

        Draft() {}

        Draft(Campaign c) {
            campaignId = c.campaignId();
            name = c.name();
            coupon = c.coupon();
            budget = c.budget();
            validDays = c.validDays();
            startsAt = c.startsAt();
            endsAt = c.endsAt();
            eligibility = c.eligibility();
            caps = c.caps();
            holdoutPercent = c.holdoutPercent();
            channels = c.channels();
            objective = c.objective();
            pacing = c.pacing();
            marginRate = c.marginRate();
            display = c.display();
            exploration = c.exploration();
            overbooking = c.overbooking();
        }

        Campaign build() {
            return new Campaign(
                    campaignId,
                    name,
                    coupon,
                    budget,
                    validDays,
                    startsAt,
                    endsAt,
                    eligibility,
                    caps,
                    holdoutPercent,
                    channels,
                    objective,
                    pacing,
                    marginRate,
                    display,
                    exploration,
                    overbooking);
        }
    }
}

package io.kairos.http.campaign;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.Campaign.Caps;
import io.kairos.campaign.Campaign.Eligibility;
import io.kairos.campaign.Campaign.Objective;
import io.kairos.campaign.Campaign.PacingMode;
import io.kairos.campaign.CampaignSnapshot;
import io.kairos.campaign.CampaignStatus;
import io.kairos.http.ApiException;
import io.kairos.http.Money;
import io.kairos.http.Validator;
import io.kairos.offer.CampaignOutcomes;
import io.kairos.offer.CouponFunnel;
import io.kairos.shopper.LifecycleStage;
import io.kairos.wire.LowerCaseName;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Bodies of the campaign resource. */
public final class CampaignBodies {
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9_-]{1,32}");

    private CampaignBodies() {}

    public record EligibilityBody(List<String> stages, List<String> tags) {}

    public record CapsBody(Integer perShopper, Integer perShopperDays) {}

    /**
     * {@code POST /v1/campaigns}. {@code pacing} (even | asap, default even) and {@code marginRate} extend API.md;
     * {@code description}, {@code terms} (plain text) and {@code currency} are what apps show shoppers with its offers;
     * {@code exploration} is the campaign's exploration share (absent: the node's default); {@code overbooking} how
     * many times the budget issued coupons may reserve (absent: 1, every issued coupon can be honoured).
     */
    public record CreateCampaign(
            String campaignId,
            String name,
            CouponBody coupon,
            BigDecimal budget,
            Integer validDays,
            String startsAt,
            String endsAt,
            EligibilityBody eligibility,
            CapsBody caps,
            BigDecimal holdoutPercent,
            List<String> channels,
            String objective,
            String pacing,
            BigDecimal marginRate,
            String description,
            String terms,
            String currency,
            BigDecimal exploration,
            BigDecimal overbooking) {

        Campaign toCampaign(double defaultMarginRate) {
            var v = new Validator();
            v.id("campaignId", campaignId, true);
            v.text("name", name, 200, true);
            var c = coupon == null ? null : coupon.toCoupon(v, "coupon.");
            if (coupon == null) v.error("coupon", "is required");
            Money.cents(v, "budget", budget, true);
            v.range("validDays", validDays, 1, 365, true);
            var starts = v.instant("startsAt", startsAt, true);
            var ends = v.instant("endsAt", endsAt, true);
            if (starts != null && ends != null && !starts.isBefore(ends)) v.error("endsAt", "must be after startsAt");
            var stages = EnumSet.noneOf(LifecycleStage.class);
            var tags = new TreeSet<String>();
            if (eligibility != null) {
                if (eligibility.stages() != null) {
                    for (int i = 0; i < eligibility.stages().size(); i++) {
                        var s = eligibility.stages().get(i);
                        var stage = s == null
                                ? null
                                : LowerCaseName.find(LifecycleStage.class, s).orElse(null);
                        if (stage == null)
                            v.error(
                                    "eligibility.stages[" + i + "]",
                                    "must be one of " + names(LifecycleStage.values()));
                        else stages.add(stage);
                    }
                }
                if (eligibility.tags() != null) {
                    if (eligibility.tags().size() > 50) v.error("eligibility.tags", "at most 50 tags");
                    for (int i = 0; i < eligibility.tags().size(); i++) {
                        if (v.id(
                                "eligibility.tags[" + i + "]",
                                eligibility.tags().get(i),
                                true)) tags.add(eligibility.tags().get(i));
                    }
                }
            }
            int perShopper = 0;
            int perShopperDays = 0;
            if (caps != null) {
                if (v.range("caps.perShopper", caps.perShopper(), 0, 1000, false) && caps.perShopper() != null)
                    perShopper = caps.perShopper();
                if (v.range("caps.perShopperDays", caps.perShopperDays(), 0, 400, false)
                        && caps.perShopperDays() != null) {
                    perShopperDays = caps.perShopperDays();
                }
                if (perShopper > 0 && perShopperDays == 0)
                    v.error("caps.perShopperDays", "is required with perShopper");
            }
            double holdout = 0;
            if (holdoutPercent != null) {
                if (holdoutPercent.signum() < 0
                        || holdoutPercent.compareTo(BigDecimal.valueOf(100)) >= 0
                        || holdoutPercent.scale() > 2) {
                    v.error("holdoutPercent", "must be at least 0 and below 100, with at most 2 decimals");
                } else {
                    holdout = holdoutPercent.doubleValue();
                }
            }
            if (channels != null) {
                if (channels.size() > 8) v.error("channels", "at most 8 channels");
                for (int i = 0; i < channels.size(); i++) {
                    if (channels.get(i) == null
                            || !CHANNEL.matcher(channels.get(i)).matches())
                        v.error("channels[" + i + "]", "channel names are 1–32 of a-z 0-9 _ -");
                }
            }
            Objective obj = Objective.PROFIT;
            if (objective != null) {
                obj = LowerCaseName.find(Objective.class, objective).orElse(null);
                if (obj == null) v.error("objective", "must be one of " + names(Objective.values()));
            }
            PacingMode pace = PacingMode.EVEN;
            if (pacing != null) {
                pace = LowerCaseName.find(PacingMode.class, pacing).orElse(null);
                if (pace == null) v.error("pacing", "must be one of " + names(PacingMode.values()));
            }
            double margin = defaultMarginRate;
            if (marginRate != null) {
                if (marginRate.compareTo(new BigDecimal("0.01")) < 0 || marginRate.compareTo(BigDecimal.ONE) > 0)
                    v.error("marginRate", "must be at least 0.01 and at most 1");
                else margin = marginRate.doubleValue();
            }
            if (exploration != null && (exploration.signum() < 0 || exploration.compareTo(BigDecimal.ONE) > 0))
                v.error("exploration", "must be at least 0 and at most 1");
            if (overbooking != null
                    && (overbooking.compareTo(BigDecimal.ONE) < 0
                            || overbooking.compareTo(BigDecimal.valueOf(Campaign.MAX_OVERBOOKING)) > 0))
                v.error("overbooking", "must be at least 1 and at most " + Campaign.MAX_OVERBOOKING);
            v.text("description", description, 2000, false);
            v.text("terms", terms, 4000, false);
            v.currency("currency", currency, false);
            v.throwIfInvalid();
            try {
                return new Campaign(
                        campaignId,
                        name,
                        c,
                        Money.scaled(budget),
                        validDays,
                        starts,
                        ends,
                        new Eligibility(stages, tags),
                        new Caps(perShopper, perShopperDays),
                        holdout,
                        channels == null ? List.of() : List.copyOf(channels),
                        obj,
                        pace,
                        margin,
                        new Campaign.Display(description, terms, currency),
                        exploration == null ? null : exploration.doubleValue(),
                        overbooking == null ? null : overbooking.doubleValue());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("$", e.getMessage());
            }
        }
    }

    /** {@code PATCH /v1/campaigns/{id}}: what is given changes, the rest stays. */
    public record PatchCampaign(String status, BigDecimal budget) {
        CampaignStatus validStatus() {
            var v = new Validator();
            CampaignStatus s = null;
            if (status != null) {
                s = LowerCaseName.find(CampaignStatus.class, status).orElse(null);
                if (s == null) v.error("status", "must be one of " + names(CampaignStatus.values()));
            }
            Money.cents(v, "budget", budget, false);
            if (status == null && budget == null) v.error("$", "give status, budget or both");
            v.throwIfInvalid();
            return s;
        }
    }

    /** A campaign's definition (the fields of {@link CreateCampaign}, its budget the current one), status and money. */
    public record CampaignResponse(
            @JsonUnwrapped CreateCampaign definition,
            String status,
            BigDecimal reserved,
            BigDecimal spent,
            BigDecimal available) {

        public static CampaignResponse of(CampaignSnapshot s) {
            var c = s.definition();
            var definition = new CreateCampaign(
                    c.campaignId(),
                    c.name(),
                    CouponBody.of(c.coupon()),
                    s.budget(),
                    c.validDays(),
                    c.startsAt().toString(),
                    c.endsAt().toString(),
                    new EligibilityBody(
                            c.eligibility().stages().stream()
                                    .map(LifecycleStage::wireName)
                                    .sorted()
                                    .toList(),
                            c.eligibility().tags().stream().sorted().toList()),
                    new CapsBody(c.caps().perShopper(), c.caps().perShopperDays()),
                    BigDecimal.valueOf(c.holdoutPercent()).stripTrailingZeros(),
                    c.channels(),
                    c.objective().wireName(),
                    c.pacing().wireName(),
                    BigDecimal.valueOf(c.marginRate()),
                    c.display().description(),
                    c.display().terms(),
                    c.display().currency(),
                    c.exploration() == null ? null : BigDecimal.valueOf(c.exploration()),
                    c.overbooking() == null ? null : BigDecimal.valueOf(c.overbooking()));
            return new CampaignResponse(definition, s.status().wireName(), s.reserved(), s.spent(), s.available());
        }
    }

    public record Interval(double estimate, double low, double high) {
        static Interval of(CampaignOutcomes.Interval i) {
            return i == null ? null : new Interval(round(i.estimate()), round(i.low()), round(i.high()));
        }
    }

    /** An interval of money, in cents (revenue per person, incremental revenue). */
    public record MoneyInterval(BigDecimal estimate, BigDecimal low, BigDecimal high) {
        static MoneyInterval of(CampaignOutcomes.Interval i) {
            return i == null
                    ? null
                    : new MoneyInterval(Money.cents(i.estimate()), Money.cents(i.low()), Money.cents(i.high()));
        }
    }

    public record GroupStats(long people, long converted, Double conversionRate, BigDecimal revenue) {
        static GroupStats of(CampaignOutcomes.Group g) {
            return new GroupStats(
                    g.people(),
                    g.converted(),
                    g.people() == 0 ? null : round(g.conversionRate()),
                    Money.cents(g.revenue()));
        }
    }

    public record Incremental(
            Interval conversionRate,
            MoneyInterval revenuePerPerson,
            MoneyInterval revenue,
            double confidence,
            String method) {}

    /**
     * {@code GET /v1/campaigns/{id}/stats}. {@code issued} is the funnel's (offers shoppers recorded, from the shopper
     * projection); the money, {@code released} and {@link Reservations} are the campaign entity's.
     */
    public record CampaignStats(
            String campaignId,
            long issued,
            long claimed,
            long redeemed,
            long returned,
            long released,
            Reservations reservations,
            BigDecimal budget,
            BigDecimal reserved,
            BigDecimal spent,
            BigDecimal available,
            BigDecimal incrementalRevenue,
            GroupStats treatment,
            GroupStats holdout,
            Incremental incremental,
            FunnelStats funnel,
            DecisionStats decisions) {

        static final String METHOD =
                "treated people (issued at least one offer) against the holdout, person by person, orders inside "
                        + "the outcome window; conversion: difference of rates with Newcombe's hybrid score interval; revenue: difference of "
                        + "mean revenue per person with a Welch normal interval, times the treated people";

        static CampaignStats of(
                CampaignSnapshot s, long claimed, CampaignOutcomes.Effect e, CouponFunnel.Result funnel) {
            var incremental = e.conversionRate() == null
                    ? null
                    : new Incremental(
                            Interval.of(e.conversionRate()),
                            MoneyInterval.of(e.revenuePerPerson()),
                            MoneyInterval.of(e.revenue()),
                            0.95,
                            METHOD);
            return new CampaignStats(
                    s.definition().campaignId(),
                    funnel.total().issued(),
                    claimed,
                    s.redeemed(),
                    s.returned(),
                    s.released(),
                    new Reservations(s.issued(), s.released()),
                    s.budget(),
                    s.reserved(),
                    s.spent(),
                    s.available(),
                    e.revenue() == null ? null : Money.cents(e.revenue().estimate()),
                    GroupStats.of(e.treated()),
                    GroupStats.of(e.holdout()),
                    incremental,
                    FunnelStats.of(funnel),
                    new DecisionStats(
                            funnel.decisions().byReason(),
                            Money.cents(funnel.decisions().exploredReserved())));
        }
    }

    /**
     * A campaign's budget reservations as its entity counts them: {@code made} exceeds the offers issued by the
     * reservations whose shopper never recorded its offer (crashed in between, or gave up on a late campaign).
     */
    public record Reservations(long made, long released) {}

    /**
     * How the decisions that considered the campaign ended for it, by reason (see {@code CouponFunnel.Decisions}), and
     * the budget reserved by offers exploration issued.
     */
    public record DecisionStats(java.util.Map<String, Long> byReason, BigDecimal exploredReserved) {}

    /**
     * The campaign's coupon funnel: the total and one row per coupon type × channel (see {@code CouponFunnel}; a row's
     * {@code couponType} and {@code channel} are absent on the total, its {@code roi} while cost is 0).
     */
    public record FunnelStats(CouponFunnel.Row total, List<CouponFunnel.Row> byCouponTypeAndChannel) {
        static FunnelStats of(CouponFunnel.Result r) {
            return new FunnelStats(
                    cents(r.total()), r.rows().stream().map(FunnelStats::cents).toList());
        }

        /** The row as the API answers it: money in whole cents (the ROI is computed before rounding). */
        public static CouponFunnel.Row cents(CouponFunnel.Row row) {
            return new CouponFunnel.Row(
                    row.couponType(),
                    row.channel(),
                    row.issued(),
                    row.delivered(),
                    row.opened(),
                    row.claimed(),
                    row.redeemed(),
                    row.undelivered(),
                    Money.cents(row.revenue()),
                    Money.cents(row.discounts()),
                    Money.cents(row.messageCost()),
                    Money.cents(row.cost()),
                    row.roi());
        }
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static String names(Enum<?>[] values) {
        return String.join(
                ", ",
                Arrays.stream(values)
                        .map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                        .toList());
    }
}

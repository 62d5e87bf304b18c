package io.kairos.campaign;

import io.kairos.shopper.LifecycleStage;
import io.kairos.wire.WireName;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What an operator defines for a campaign: the coupon template, the money, when it runs, who may get it, how often, who
 * is held out, through which channels, and what it optimises. Immutable; the budget and the status change over the
 * campaign's life through {@code CampaignEntity} events, the rest is fixed at creation.
 *
 * <p>Invariants: {@code startsAt < endsAt}; {@code 0 ≤ holdoutPercent < 100}; {@code validDays ≥ 1}; {@code 0 <
 * marginRate ≤ 1}; the budget is non-negative with at most two decimals.
 *
 * @param validDays how long an issued offer stays redeemable (never beyond {@code endsAt})
 * @param holdoutPercent share of eligible shoppers, assigned deterministically, who never get this campaign's offers
 *     and are its control group
 * @param channels channels offers may go out on ({@code in_app} needs no consent; the others need the shopper's)
 * @param marginRate the expected gross margin of an incremental order (what an incremental sale earns)
 * @param display what apps show shoppers about the campaign's offers (absent on campaigns created before it existed)
 * @param exploration the share of decisions offering this campaign that explore (a uniform draw over the actions), in
 *     [0, 1]; null: the node's default ({@code kairos.offers.exploration}: the cold-start share while no trained model
 *     scores, else the floor). Never below the floor. Absent on campaigns created before it existed.
 * @param overbooking how many times the budget issued coupons may reserve, in [1, {@value #MAX_OVERBOOKING}]; null: 1,
 *     every issued coupon can be honoured (absent on campaigns created before it existed). Above 1 the campaign issues
 *     against what its coupons are expected to cost, as an airline sells seats: most coupons are never redeemed, and a
 *     percentage coupon reserves its {@code maxDiscount} but takes much less. Spend still never exceeds the budget: a
 *     redemption the budget can no longer pay is refused (see {@code BudgetRules}).
 */
public record Campaign(
        String campaignId,
        String name,
        Coupon coupon,
        BigDecimal budget,
        int validDays,
        Instant startsAt,
        Instant endsAt,
        Eligibility eligibility,
        Caps caps,
        double holdoutPercent,
        List<String> channels,
        Objective objective,
        PacingMode pacing,
        double marginRate,
        Display display,
        Double exploration,
        Double overbooking) {

    public static final String IN_APP = "in_app";

    /** The most {@code overbooking} may be. */
    public static final int MAX_OVERBOOKING = 20;

    public Campaign {
        channels = channels == null ? List.of() : List.copyOf(channels);
        eligibility = eligibility == null ? Eligibility.ANYONE : eligibility;
        caps = caps == null ? Caps.NONE : caps;
        display = display == null ? Display.NONE : display;
        if (!startsAt.isBefore(endsAt)) throw new IllegalArgumentException("startsAt must be before endsAt");
        if (holdoutPercent < 0 || holdoutPercent >= 100)
            throw new IllegalArgumentException("holdoutPercent must be in [0, 100)");
        if (validDays < 1) throw new IllegalArgumentException("validDays must be at least 1");
        if (!(marginRate > 0 && marginRate <= 1)) throw new IllegalArgumentException("marginRate must be in (0, 1]");
        if (exploration != null && !(exploration >= 0 && exploration <= 1))
            throw new IllegalArgumentException("exploration must be in [0, 1]");
        if (overbooking != null && !(overbooking >= 1 && overbooking <= MAX_OVERBOOKING))
            throw new IllegalArgumentException("overbooking must be in [1, " + MAX_OVERBOOKING + "]");
        if (budget.signum() < 0 || budget.scale() > 2)
            throw new IllegalArgumentException("budget must be ≥ 0 with at most 2 decimals");
    }

    /**
     * What a shopper sees about the campaign's offers: a description, the terms (plain text), and the currency its
     * money is in (null = the shop's currency).
     */
    public record Display(String description, String terms, String currency) {
        public static final Display NONE = new Display(null, null, null);
    }

    /** How many times the budget its coupons may reserve: {@link #overbooking}, or 1 when absent. */
    public BigDecimal reservable() {
        return overbooking == null ? BigDecimal.ONE : BigDecimal.valueOf(overbooking);
    }

    /**
     * What new coupons may still reserve with {@code budget}, {@code reserved} and {@code spent}: {@link #reservable()}
     * × (budget − spent) − reserved, never below 0 (with overbooking, commits can leave less than nothing until
     * reservations lapse). Without overbooking: the budget neither reserved nor spent.
     */
    public BigDecimal available(BigDecimal budget, BigDecimal reserved, BigDecimal spent) {
        if (overbooking == null) return budget.subtract(reserved).subtract(spent);
        var room = reservable()
                .multiply(budget.subtract(spent))
                .subtract(reserved)
                .setScale(2, java.math.RoundingMode.DOWN);
        return room.signum() < 0 ? BigDecimal.ZERO.setScale(2) : room;
    }

    /** The channels its offers go out on: those it names, else {@value #IN_APP}. */
    public List<String> deliveryChannels() {
        return channels.isEmpty() ? List.of(IN_APP) : channels;
    }

    /**
     * Who may get the campaign's offers: any of the stages (empty = all) and any of the tags (empty = no condition).
     */
    public record Eligibility(Set<LifecycleStage> stages, Set<String> tags) {
        public static final Eligibility ANYONE = new Eligibility(Set.of(), Set.of());

        public Eligibility {
            stages = stages == null ? Set.of() : Set.copyOf(stages);
            tags = tags == null ? Set.of() : Set.copyOf(tags);
        }

        /** Whether anyone may get the offers, whatever Kairos knows of them (what guests are shown previews of). */
        public boolean personalised() {
            return !stages.isEmpty() || !tags.isEmpty();
        }

        public boolean admits(LifecycleStage stage, List<String> shopperTags) {
            if (!stages.isEmpty() && !stages.contains(stage)) return false;
            return tags.isEmpty() || shopperTags.stream().anyMatch(tags::contains);
        }
    }

    /**
     * At most {@code perShopper} offers of this campaign per person in any {@code perShopperDays} days (0 = no cap).
     */
    public record Caps(int perShopper, int perShopperDays) {
        public static final Caps NONE = new Caps(0, 0);

        public Caps {
            if (perShopper < 0 || perShopperDays < 0) throw new IllegalArgumentException("caps must be ≥ 0");
            if (perShopper > 0 && perShopperDays == 0)
                throw new IllegalArgumentException("a per-shopper cap needs perShopperDays");
            // A person's contact log keeps 400 days (OfferBook.CONTACT_DAYS): a longer window could not be counted.
            if (perShopperDays > 400) throw new IllegalArgumentException("perShopperDays is at most 400");
        }

        public boolean capped() {
            return perShopper > 0;
        }

        public Duration window() {
            return Duration.ofDays(perShopperDays);
        }
    }

    /** What the decision maximises for this campaign's candidates (see {@code io.kairos.offer.OfferPolicy}). */
    public enum Objective implements WireName {
        PROFIT,
        GMV,
        ACTIVATION;
    }

    /** How spend is spread over the campaign's life (see {@link Pacing}). */
    public enum PacingMode implements WireName {
        EVEN,
        ASAP;
    }

    /**
     * When an offer issued at {@code at} stops being redeemable: {@code validDays} later, never after the campaign
     * ends.
     */
    public Instant offerExpiry(Instant at) {
        var expiry = at.plus(Duration.ofDays(validDays));
        return expiry.isAfter(endsAt) ? endsAt : expiry;
    }

    public boolean runsAt(Instant t) {
        return !t.isBefore(startsAt) && t.isBefore(endsAt);
    }

    /** Whether offers may go out on {@code channel} (no list means in-app only). */
    public boolean allows(String channel) {
        return channels.isEmpty() ? IN_APP.equals(channel) : channels.contains(channel);
    }
}

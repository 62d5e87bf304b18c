package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.Campaign.Eligibility;
import io.kairos.campaign.Campaign.Objective;
import io.kairos.campaign.Campaign.PacingMode;
import io.kairos.campaign.Campaigns;
import io.kairos.models.uplift.FixedUplift;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.offer.OfferSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CampaignForecastTest {
    private static final OfferSettings OFFERS =
            OfferSettings.fromConfig(ConfigFactory.load().getConfig("kairos.offers"));
    private static final Instant NOW = Campaigns.START;
    private static final CampaignForecast.Settings SETTINGS = new CampaignForecast.Settings(50, 90, 300, 7, 0.1);

    // The shoppers' truth: 10 % buy without an offer, 20 % with one, for 50; margin 30 %, the coupon 5 off.
    private static final double P0 = 0.10;
    private static final double P1 = 0.20;
    private static final double ORDER = 50;
    // The model believes the offer lifts conversion by 25 points: 0.25 × 50 × 0.3 − 0.35 × 5 = 2.00 per offer, where
    // the truth is 0.10 × 50 × 0.3 − 0.20 × 5 = 0.50.
    private static final FixedUplift OPTIMIST = new FixedUplift("uplift", "v1", Map.of(), 0.25, P0, ORDER);

    private static Campaign draft(String couponValue, String budget, int days) {
        return Campaigns.with(Campaigns.campaign("draft", Campaigns.amountOff(couponValue), budget), d -> {
            d.objective = Objective.PROFIT;
            d.holdoutPercent = 10;
            d.startsAt = NOW;
            d.endsAt = NOW.plus(Duration.ofDays(days)).minusSeconds(1);
        });
    }

    /**
     * {@code shoppers} decisions over 14 days before {@link #NOW}, each a holdout (10 %) or the 5-off coupon issued,
     * the outcome drawn from the truth; {@code stage} for every shopper.
     */
    private static List<LoggedDecision> ledger(int shoppers, String stage, long seed) {
        var random = new SplittableRandom(seed);
        var offer = Map.of("couponType", "amount_off", "value", 5.0, "typePreference", 0.0, "channel", "in_app");
        var action = new LoggedDecision.Action("logged", offer, "profit", 0.3, ORDER, 5, 0);
        var out = new ArrayList<LoggedDecision>();
        for (int i = 0; i < shoppers; i++) {
            boolean holdout = random.nextDouble() < 0.1;
            boolean converted = random.nextDouble() < (holdout ? P0 : P1);
            var at = NOW.minus(Duration.ofDays(28)).plusMillis(i * 14L * 86_400_000 / shoppers);
            out.add(new LoggedDecision(
                    "d" + i,
                    at,
                    Map.of("stage", stage, "frequency", 2.0, "monetary", 100.0),
                    holdout ? Map.of() : offer,
                    holdout,
                    holdout ? 0.1 : 0.9,
                    converted,
                    converted ? (holdout ? ORDER : ORDER - 5) : Double.NaN, // what she paid, after the coupon
                    stage + i,
                    action));
        }
        return out;
    }

    private static double total(CampaignForecast.Result r) {
        return r.days().stream()
                .map(CampaignForecast.Day::incrementalProfit)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .doubleValue();
    }

    @Test
    void logged_coupon_is_corrected_by_its_real_outcomes_and_the_interval_covers_the_truth() {
        var ledger = ledger(6000, "active", 1);
        var r = CampaignForecast.forecast(
                draft("5", "1000000", 14), ledger, OPTIMIST, "uplift@v1", OFFERS, NOW, SETTINGS);
        assertThat(r.method()).isEqualTo("doubly-robust");
        assertThat(r.matchedOffers()).isGreaterThan(5000);
        assertThat(r.matchedHoldouts()).isGreaterThan(500);
        // 6000 opportunities over 14 days, 14 days forecast, 90 % outside the holdout: 5400, 97.5 % of them treated
        double opportunities = r.population().opportunitiesPerDay() * 14 * 0.9;
        assertThat(opportunities).isCloseTo(5400, org.assertj.core.data.Offset.offset(10.0));
        double truth = opportunities * 0.975 * 0.5;
        double modelOnly = opportunities * 0.975 * 2.0;
        var p = r.incrementalProfit();
        assertThat(p.low().doubleValue()).isLessThan(truth);
        assertThat(p.high().doubleValue()).isGreaterThan(truth).isLessThan(modelOnly);
        assertThat(total(r)).isCloseTo(p.estimate().doubleValue(), org.assertj.core.data.Offset.offset(0.5));
        // exploration (5 %) draws "no offer" half the time it draws: 97.5 % of the 5400 issue
        assertThat(r.issued()).isCloseTo(5265, org.assertj.core.data.Offset.offset(10L));
        // a redemption is a conversion with the offer: the truth's 20 %, not the model's 35 %
        assertThat((double) r.redeemed() / r.issued()).isBetween(0.17, 0.23);
    }

    @Test
    void coupon_never_logged_is_the_models_estimate_and_says_so() {
        var ledger = ledger(2000, "active", 2);
        var r = CampaignForecast.forecast(
                draft("10", "1000000", 7), ledger, OPTIMIST, "uplift@v1", OFFERS, NOW, SETTINGS);
        assertThat(r.method()).isEqualTo("model-based");
        assertThat(r.matchedOffers()).isZero();
        assertThat(r.notes()).anyMatch(n -> n.contains("the model's estimate alone"));
        // 0.25 × 50 × 0.3 − 0.35 × 10 = 0.25 per treated opportunity, 97.5 % of them treated
        double opportunities = r.population().opportunitiesPerDay() * 7 * 0.9 * 0.975;
        assertThat(r.incrementalProfit().estimate().doubleValue())
                .isCloseTo(opportunities * 0.25, org.assertj.core.data.Offset.offset(1.0));
        assertThat(r.days()).hasSize(7);
    }

    @Test
    void budget_is_never_forecast_overspent_and_even_pacing_spreads_it() {
        var ledger = ledger(6000, "active", 3);
        var asap = CampaignForecast.forecast(draft("5", "300", 14), ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        double used = 0;
        for (var d : asap.days()) used += d.budgetUsed().doubleValue();
        assertThat(used).isLessThanOrEqualTo(300.0);
        assertThat(asap.budgetUsed().doubleValue()).isLessThanOrEqualTo(300.0);
        // the reservations (5 per coupon outstanding) stop issuing well before the 5400 coupons demand asks for
        assertThat(asap.issued()).isLessThan(1000);
        assertThat(asap.days().get(0).issued())
                .isGreaterThan(asap.days().get(13).issued());

        var evenDraft = Campaigns.with(draft("5", "300", 14), d -> d.pacing = PacingMode.EVEN);
        var even = CampaignForecast.forecast(evenDraft, ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        double cumulative = 0;
        for (int day = 0; day < even.days().size(); day++) {
            cumulative += even.days().get(day).budgetUsed().doubleValue();
            // what the campaign entity's pacing allows by the end of that day (10 % at once, then a straight line)
            var allowed = io.kairos.campaign.Pacing.allowance(
                    evenDraft, new BigDecimal("300"), NOW.plus(Duration.ofDays(day + 1)), 0.1);
            assertThat(cumulative).isLessThanOrEqualTo(allowed.doubleValue() + 0.01);
        }
        assertThat(even.days().get(13).issued()).isPositive();
    }

    @Test
    void an_overbooked_draft_issues_more_and_still_never_spends_beyond_its_budget() {
        var ledger = ledger(6000, "active", 3);
        var plain = CampaignForecast.forecast(draft("5", "300", 14), ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        var overbooked = CampaignForecast.forecast(
                Campaigns.with(draft("5", "300", 14), d -> d.overbooking = 4.0),
                ledger,
                OPTIMIST,
                "m",
                OFFERS,
                NOW,
                SETTINGS);
        assertThat(overbooked.issued()).isGreaterThan(plain.issued() * 2);
        assertThat(overbooked.budgetUsed().doubleValue()).isLessThanOrEqualTo(300.0);
        double used = 0;
        for (var d : overbooked.days()) used += d.budgetUsed().doubleValue();
        assertThat(used).isLessThanOrEqualTo(300.0 + 0.01);
    }

    @Test
    void only_the_drafts_stages_count_and_tags_are_reported_as_not_applied() {
        var ledger = new ArrayList<>(ledger(1000, "active", 4));
        ledger.addAll(ledger(500, "dormant", 5));
        var dormant = Campaigns.with(
                draft("5", "1000000", 7),
                d -> d.eligibility = new Eligibility(Set.of(LifecycleStage.DORMANT), Set.of()));
        var r = CampaignForecast.forecast(dormant, ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(r.population().decisions()).isEqualTo(1500);
        assertThat(r.population().eligible()).isEqualTo(500);
        assertThat(r.notes()).noneMatch(n -> n.contains("tags"));

        var tagged = Campaigns.with(dormant, d -> d.eligibility = new Eligibility(Set.of(), Set.of("vip")));
        var t = CampaignForecast.forecast(tagged, ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(t.population().eligible()).isEqualTo(1500);
        assertThat(t.notes()).anyMatch(n -> n.contains("tags is not applied"));
    }

    @Test
    void an_empty_ledger_forecasts_nothing_and_says_why() {
        var r = CampaignForecast.forecast(draft("5", "100", 7), List.of(), OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(r.issued()).isZero();
        assertThat(r.incrementalProfit().estimate()).isEqualByComparingTo("0");
        assertThat(r.notes()).anyMatch(n -> n.contains("no decision"));
    }

    /** {@code shoppers} shoppers spread over 14 days, each deciding {@code each} times a day apart (5 off issued). */
    private static List<LoggedDecision> visits(int shoppers, int each) {
        var offer = Map.of("couponType", "amount_off", "value", 5.0);
        var out = new ArrayList<LoggedDecision>();
        for (int i = 0; i < shoppers; i++)
            for (int k = 0; k < each; k++)
                out.add(new LoggedDecision(
                        "d" + i + "-" + k,
                        NOW.minus(Duration.ofDays(28))
                                .plusMillis(i * 9L * 86_400_000 / shoppers)
                                .plus(Duration.ofDays(k)),
                        Map.of("stage", "active"),
                        offer,
                        false,
                        0.9,
                        false,
                        Double.NaN,
                        "s" + i,
                        null));
        return out;
    }

    @Test
    void decisions_sharing_an_outcome_window_share_its_outcomes_and_caps_stop_the_draft() {
        // the draft (10 off) was never logged: the model's estimate, 0.25 per treated opportunity
        var once = CampaignForecast.forecast(
                draft("10", "1000000", 14), visits(1000, 1), OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        var fiveTimes = CampaignForecast.forecast(
                draft("10", "1000000", 14), visits(1000, 5), OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        // five decisions of a shopper within one outcome window are up to five coupons, but one shopper's orders: the
        // same as one decision's, save that she is surer to get a coupon (one decision issues with 97.5 %)
        double perShopperOnce = once.incrementalProfit().estimate().doubleValue()
                / once.population().opportunitiesPerDay();
        double perShopperFive = fiveTimes.incrementalProfit().estimate().doubleValue()
                / (fiveTimes.population().opportunitiesPerDay() / 5);
        assertThat(perShopperFive)
                .isCloseTo(perShopperOnce / 0.975, org.assertj.core.data.Percentage.withPercentage(1));
        // the engine's contact cap (3 offers in 7 days) lets three of the five decisions issue
        double opportunities = fiveTimes.population().opportunitiesPerDay() * 14 * 0.9;
        assertThat(fiveTimes.issued() / opportunities)
                .isCloseTo(0.6 * 0.975, org.assertj.core.data.Offset.offset(0.01));

        // one offer per shopper in 30 days: each shopper's first decision issues, no other
        var capped = CampaignForecast.forecast(
                Campaigns.withCaps(draft("10", "1000000", 14), 1, 30),
                visits(1000, 5),
                OPTIMIST,
                "m",
                OFFERS,
                NOW,
                SETTINGS);
        assertThat((double) capped.issued() / fiveTimes.issued())
                .isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(capped.incrementalProfit().estimate().doubleValue())
                .isCloseTo(
                        fiveTimes.incrementalProfit().estimate().doubleValue() * 0.975,
                        org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void a_decision_and_the_holdouts_it_assigned_are_one_opportunity() {
        // each visit: the 5-off decision and a holdout of another campaign at the same instant
        var ledger = new ArrayList<LoggedDecision>();
        for (var d : visits(500, 1)) {
            ledger.add(d);
            ledger.add(new LoggedDecision(
                    d.decisionId() + "-h",
                    d.decidedAt(),
                    d.shopper(),
                    Map.of(),
                    true,
                    0.1,
                    false,
                    Double.NaN,
                    d.shopperId(),
                    null));
        }
        var r = CampaignForecast.forecast(draft("10", "1000000", 7), ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(r.population().decisions()).isEqualTo(1000);
        assertThat(r.population().eligible()).isEqualTo(500);
    }

    @Test
    void a_row_without_a_usable_propensity_corrects_nothing() {
        var ledger = new ArrayList<LoggedDecision>();
        for (var d : ledger(2000, "active", 6))
            ledger.add(new LoggedDecision(
                    d.decisionId(),
                    d.decidedAt(),
                    d.shopper(),
                    d.offer(),
                    d.holdout(),
                    d.decisionId().endsWith("7") ? Double.NaN : d.propensity(),
                    d.converted(),
                    d.orderValue(),
                    d.shopperId(),
                    d.action()));
        var r = CampaignForecast.forecast(draft("5", "1000000", 7), ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(r.method()).isEqualTo("doubly-robust");
        assertThat(r.matchedOffers() + r.matchedHoldouts()).isBetween(1700, 1820);
        assertThat(r.incrementalProfit().estimate().doubleValue()).isNotZero();
        assertThat(r.issued()).isPositive();
    }

    @Test
    void a_draft_that_has_ended_forecasts_no_day_and_a_long_one_is_cut() {
        var ledger = ledger(1000, "active", 7);
        var ended = Campaigns.with(draft("5", "100", 7), d -> {
            d.startsAt = NOW.minus(Duration.ofDays(30));
            d.endsAt = NOW.minus(Duration.ofDays(1));
        });
        var r = CampaignForecast.forecast(ended, ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(r.days()).isEmpty();
        assertThat(r.issued()).isZero();
        assertThat(r.notes()).anyMatch(n -> n.contains("ends before"));

        var long_ = CampaignForecast.forecast(draft("5", "100000", 200), ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(long_.days()).hasSize(90);
        assertThat(long_.notes()).anyMatch(n -> n.contains("stops after 90 days; the draft runs 200"));
    }

    @Test
    void a_holdout_given_another_campaigns_offer_is_no_control() {
        var ledger = new ArrayList<LoggedDecision>(ledger(3000, "active", 8));
        int holdouts = (int) ledger.stream().filter(LoggedDecision::holdout).count();
        // every holdout's visit also issued another campaign's 10-off offer
        for (var d : List.copyOf(ledger))
            if (d.holdout())
                ledger.add(new LoggedDecision(
                        d.decisionId() + "-other",
                        d.decidedAt(),
                        d.shopper(),
                        Map.of("couponType", "amount_off", "value", 10.0),
                        false,
                        0.5,
                        d.converted(),
                        d.orderValue(),
                        d.shopperId(),
                        null));
        var r = CampaignForecast.forecast(draft("5", "1000000", 7), ledger, OPTIMIST, "m", OFFERS, NOW, SETTINGS);
        assertThat(holdouts).isGreaterThan(200);
        assertThat(r.matchedHoldouts()).isZero();
        assertThat(r.method()).isEqualTo("model-based");
        assertThat(r.population().eligible()).isEqualTo(3000);
    }
}

package io.kairos.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.Campaigns;
import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.models.uplift.Score;
import io.kairos.offer.OfferPolicy.Candidate;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferPolicyTest {
    private static final OfferSettings SETTINGS =
            OfferSettings.fromConfig(ConfigFactory.load().getConfig("kairos.offers"));

    private static Campaign profit(String id, Coupon coupon) {
        return Campaigns.with(Campaigns.campaign(id, coupon, "100"), d -> {
            d.channels = List.of("in_app", "sms");
            d.objective = Campaign.Objective.PROFIT;
            d.marginRate = 0.4;
        });
    }

    private static Score score(String id, double pWith, double pWithout, double orderValue) {
        return new Score(id, pWith, pWithout, pWith - pWithout, orderValue, "m", "1");
    }

    @Test
    void profitIsUpliftTimesOrderValueTimesMarginLessCouponAndMessageCosts() {
        var tenPercent = new Coupon(
                CouponType.PERCENT_OFF, BigDecimal.TEN, null, new BigDecimal("8"), List.of(), List.of(), null);
        var candidates = List.of(
                new Candidate(profit("a", tenPercent), "in_app"), new Candidate(profit("a", tenPercent), "sms"));
        var scored = OfferPolicy.evaluate(
                candidates,
                List.of(FeatureValues.EMPTY, FeatureValues.EMPTY),
                List.of(score("a/in_app", 0.30, 0.10, 60), score("a/sms", 0.30, 0.10, 60)),
                null,
                FeatureValues.EMPTY,
                SETTINGS);
        var inApp = scored.get(0);
        // 0.2 × 60 × 0.4 − 0.3 × min(6.00, 8) − 0 = 4.8 − 1.8 = 3.0
        assertThat(inApp.score().value().expectedDiscount()).isEqualByComparingTo("6.00");
        assertThat(inApp.value()).isCloseTo(3.0, within(1e-9));
        assertThat(inApp.score().value().orderValueSource()).isEqualTo("model");
        // the same offer by sms costs its message
        assertThat(scored.get(1).value()).isCloseTo(3.0 - 0.05, within(1e-9));
    }

    @Test
    void aShopperWhoLearnedToWaitForCouponsCountsForLessOfHerUpliftAndTheRecordKeepsTheModels() {
        var tenPercent = new Coupon(
                CouponType.PERCENT_OFF, BigDecimal.TEN, null, new BigDecimal("8"), List.of(), List.of(), null);
        var c = List.of(new Candidate(profit("a", tenPercent), "in_app"));
        var waits = new FeatureValues(java.util.Map.of(OfferPolicy.COUPON_DEPENDENCY, 0.5), java.util.Map.of());
        var scored = OfferPolicy.evaluate(
                c, List.of(FeatureValues.EMPTY), List.of(score("a", 0.30, 0.10, 60)), null, waits, SETTINGS);
        // half of the uplift: 0.1 × 60 × 0.4 − 0.3 × 6.00 = 2.4 − 1.8 = 0.6 (3.0 for a shopper who does not wait)
        assertThat(scored.get(0).value()).isCloseTo(0.6, within(1e-9));
        assertThat(scored.get(0).score().response().uplift()).isCloseTo(0.2, within(1e-12));
        var fully = new FeatureValues(java.util.Map.of(OfferPolicy.COUPON_DEPENDENCY, 1.0), java.util.Map.of());
        var none = OfferPolicy.evaluate(
                c, List.of(FeatureValues.EMPTY), List.of(score("a", 0.30, 0.10, 60)), null, fully, SETTINGS);
        assertThat(none.get(0).value()).isNegative();
    }

    @Test
    void withoutAModelOrderValueTheShoppersAverageOrTheDefaultIsUsed() {
        var c = List.of(new Candidate(profit("a", Campaigns.amountOff("5")), "in_app"));
        var own = OfferPolicy.evaluate(
                c,
                List.of(FeatureValues.EMPTY),
                List.of(score("x", 0.2, 0.1, Double.NaN)),
                new BigDecimal("80"),
                FeatureValues.EMPTY,
                SETTINGS);
        assertThat(own.get(0).score().value().expectedOrderValue()).isEqualByComparingTo("80.00");
        assertThat(own.get(0).score().value().orderValueSource()).isEqualTo("shopper-average");
        var none = OfferPolicy.evaluate(
                c,
                List.of(FeatureValues.EMPTY),
                List.of(score("x", 0.2, 0.1, Double.NaN)),
                null,
                FeatureValues.EMPTY,
                SETTINGS);
        assertThat(none.get(0).score().value().expectedOrderValue()).isEqualByComparingTo(SETTINGS.defaultOrderValue());
        assertThat(none.get(0).score().value().orderValueSource()).isEqualTo("default");
    }

    @Test
    void greedyTakesTheHighestPositiveValueAndNothingWhenNoneIsPositive() {
        var c = twoCandidates();
        var scored = evaluateTwo(c, 0.2, 0.4);
        var choice = OfferPolicy.choose(scored, 0.0, 7);
        assertThat(choice.index()).isEqualTo(1);
        assertThat(choice.propensity()).isEqualTo(1.0);
        assertThat(choice.rule()).isEqualTo("highest-expected-value");
        var negative = evaluateTwo(c, 0.10, 0.09);
        var none = OfferPolicy.choose(negative, 0.0, 7);
        assertThat(none.index()).isEqualTo(-1);
        assertThat(none.rule()).isEqualTo("no-positive-value");
    }

    @Test
    void explorationPicksEveryActionWithTheRecordedPropensity() {
        var draws = Draws.of(evaluateTwo(twoCandidates(), 0.2, 0.4), 0.3, Set.of());
        // greedy b: 1 − ε + ε/3 = 0.8; a and "no offer": ε/3 = 0.1 each
        assertThat(draws.propensities[1]).isCloseTo(0.8, within(1e-12));
        assertThat(draws.propensities[0]).isCloseTo(0.1, within(1e-12));
        assertThat(draws.propensities[2]).isCloseTo(0.1, within(1e-12));
        for (int a = 0; a < 3; a++) assertThat(draws.share(a)).isCloseTo(draws.propensities[a], within(0.01));
    }

    @Test
    void aChoiceDrawnAgainWithoutARefusedCampaignNeverTakesItAndRecordsThePropensityOverTheActionsLeft() {
        var scored = evaluateTwo(twoCandidates(), 0.2, 0.4);
        var draws = Draws.of(scored, 0.3, Set.of("b"));
        assertThat(draws.counts[1])
                .as("times the refused campaign b was chosen")
                .isZero();
        // greedy among a and "no offer" is a: 1 − ε + ε/2 = 0.85; "no offer": ε/2 = 0.15
        assertThat(draws.propensities[0]).isCloseTo(0.85, within(1e-12));
        assertThat(draws.propensities[2]).isCloseTo(0.15, within(1e-12));
        for (int a : new int[] {0, 2}) assertThat(draws.share(a)).isCloseTo(draws.propensities[a], within(0.01));
        // every campaign refused: only "no offer" is left
        var none = OfferPolicy.choose(scored, 0.0, 7, Set.of("a", "b"));
        assertThat(none.index()).isEqualTo(-1);
        assertThat(none.propensity()).isEqualTo(1.0);
    }

    /**
     * How often each action of two candidates (0, 1; 2 = "no offer") was chosen over 60,000 seeds without the
     * {@code refused} campaigns, and the propensity recorded for it.
     */
    private record Draws(int[] counts, double[] propensities, int n) {
        static Draws of(List<OfferPolicy.Evaluated> scored, double epsilon, Set<String> refused) {
            int n = 60_000;
            var draws = new Draws(new int[3], new double[3], n);
            for (int seed = 0; seed < n; seed++) {
                var choice = OfferPolicy.choose(scored, epsilon, seed, refused);
                int action = choice.index() < 0 ? 2 : choice.index();
                draws.counts[action]++;
                draws.propensities[action] = choice.propensity();
            }
            return draws;
        }

        double share(int action) {
            return counts[action] / (double) n;
        }
    }

    @Test
    void aDecisionWithoutATrainedModelExploresTheColdStartShareAndACampaignMayAskForMore() {
        // the node's defaults: 5 % with a model, 25 % while none is trained
        assertThat(SETTINGS.epsilon()).isEqualTo(0.05);
        assertThat(SETTINGS.coldStartExploration()).isEqualTo(0.25);
        var plain = profit("a", Campaigns.amountOff("1"));
        var eager = Campaigns.with(plain, d -> d.exploration = 0.6);
        var timid = Campaigns.with(plain, d -> d.exploration = 0.0);
        assertThat(SETTINGS.explorationFor(List.of(plain), false)).isEqualTo(0.05);
        assertThat(SETTINGS.explorationFor(List.of(plain), true)).isEqualTo(0.25);
        assertThat(SETTINGS.explorationFor(List.of(plain, eager), false)).isEqualTo(0.6);
        // a campaign's own share overrides the cold-start default but never goes below the floor
        assertThat(SETTINGS.explorationFor(List.of(timid), true)).isEqualTo(0.05);
        assertThat(SETTINGS.withEpsilon(0).explorationFor(List.of(timid), true)).isZero();
    }

    /** Two profit campaigns "a" and "b" with the same 1.00 coupon, in the app. */
    private static List<Candidate> twoCandidates() {
        return List.of(
                new Candidate(profit("a", Campaigns.amountOff("1")), "in_app"),
                new Candidate(profit("b", Campaigns.amountOff("1")), "in_app"));
    }

    /** Scores {@code c} with conversion {@code pa}, {@code pb} with the offer, 0.10 without it, order value 50. */
    private static List<OfferPolicy.Evaluated> evaluateTwo(List<Candidate> c, double pa, double pb) {
        return OfferPolicy.evaluate(
                c,
                List.of(FeatureValues.EMPTY, FeatureValues.EMPTY),
                List.of(score("a", pa, 0.1, 50), score("b", pb, 0.1, 50)),
                null,
                FeatureValues.EMPTY,
                SETTINGS);
    }
}

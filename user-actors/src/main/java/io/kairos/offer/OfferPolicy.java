package io.kairos.offer;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.Coupon;
import io.kairos.models.uplift.Score;
import io.kairos.offer.DecisionRecord.CandidateScore;
import io.kairos.offer.DecisionRecord.Response;
import io.kairos.offer.DecisionRecord.Value;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Ranks scored candidates by expected value and picks one with epsilon-greedy exploration. Pure.
 *
 * <p><b>Value</b> of a candidate (campaign c, channel ch), in money, by the campaign's objective, with
 * {@code couponCost = pWithOffer × expectedDiscount(coupon, orderValue)}:
 *
 * <ul>
 *   <li>profit: {@code uplift × orderValue × marginRate − couponCost − messageCost(ch)}
 *   <li>gmv: {@code uplift × orderValue − couponCost − messageCost(ch)}
 *   <li>activation: {@code uplift × orderValue − messageCost(ch)} (the coupon is the price of activation)
 * </ul>
 *
 * {@code orderValue} is the model's expected order value, else the person's average order value, else
 * {@code kairos.offers.default-order-value}.
 *
 * <p><b>Choice.</b> The actions are the candidates plus "no offer". The greedy action is the candidate of highest value
 * (ties to the earlier candidate), or no offer if that value is not positive. With probability 1 − ε the greedy action
 * is taken, otherwise one of the k + 1 actions uniformly; so the chosen action's propensity is {@code 1 − ε + ε/(k+1)}
 * if it is the greedy one and {@code ε/(k+1)} otherwise, which is what the decision records. The draw is seeded from
 * the decision id, so a decision is reproducible from its record. When the chosen campaign refuses to reserve the offer
 * (its budget or today's pacing allowance is spent), the choice is drawn again, with the same seed, over the candidates
 * of the campaigns that did not refuse, and the record names the refusals.
 */
public final class OfferPolicy {
    /** The rule of an action the exploration draw chose over the greedy one. */
    public static final String EXPLORATION = "exploration";

    private OfferPolicy() {}

    /** A candidate before scoring: a campaign that may issue to this person, on a channel it may use. */
    public record Candidate(Campaign campaign, String channel) {
        public String key() {
            return campaign.campaignId() + "/" + channel;
        }
    }

    /**
     * The outcome of the choice: the chosen candidate's index (-1 = no offer), its propensity, the exploration share it
     * was drawn with, and why.
     */
    public record Choice(int index, double propensity, double epsilon, boolean explored, String rule) {}

    /** A candidate's recorded scores and the unrounded expected value the choice ranks by. */
    public record Evaluated(CandidateScore score, double value) {}

    /**
     * What a candidate's value depends on besides its scores: the campaign's fixed terms (coupon, objective, margin,
     * holdout share) and the channel's message cost. A live decision takes them from the campaign and the settings; a
     * re-derivation from the campaign's definition and the record.
     */
    public record Terms(
            String campaignId,
            String channel,
            Coupon coupon,
            String objective,
            double marginRate,
            double holdoutShare,
            BigDecimal messageCost) {
        public static Terms of(Candidate c, OfferSettings settings) {
            return of(c.campaign(), c.channel(), settings.messageCost(c.channel()));
        }

        /** A campaign's terms on {@code channel}, which costs {@code messageCost} per message. */
        public static Terms of(Campaign campaign, String channel, BigDecimal messageCost) {
            return new Terms(
                    campaign.campaignId(),
                    channel,
                    campaign.coupon(),
                    campaign.objective().wireName(),
                    campaign.marginRate(),
                    campaign.holdoutPercent() / 100.0,
                    messageCost);
        }
    }

    public static List<Evaluated> evaluate(
            List<Candidate> candidates,
            List<FeatureValues> offerFeatures,
            List<Score> scores,
            BigDecimal personOrderValue,
            FeatureValues shopper,
            OfferSettings settings) {
        var terms = candidates.stream().map(c -> Terms.of(c, settings)).toList();
        return evaluate(terms, offerFeatures, scores, personOrderValue, shopper, settings.defaultOrderValue());
    }

    /** The shopper feature that discounts every offer's uplift ({@code io.kairos.shopper.CouponDependency}). */
    public static final String COUPON_DEPENDENCY = "couponDependency";

    /**
     * The share of a shopper's uplift that is a purchase she put off until a coupon came: her recorded
     * {@value #COUPON_DEPENDENCY} (0 when absent, as in every decision recorded before it existed), within [0, 1].
     */
    public static double dependency(FeatureValues shopper) {
        if (shopper == null) return 0;
        var d = shopper.numbers().get(COUPON_DEPENDENCY);
        return d == null || !(d > 0) ? 0 : Math.min(1, d);
    }

    /**
     * The candidates' values from their terms and scores: the order value is the model's, else
     * {@code personOrderValue}, else {@code defaultOrderValue}; the uplift counts for {@code 1 − dependency} of itself
     * for a shopper who learned to wait for coupons ({@link #dependency}), so her offers are worth less and fewer reach
     * her. The recorded response keeps the model's own numbers.
     */
    public static List<Evaluated> evaluate(
            List<Terms> candidates,
            List<FeatureValues> offerFeatures,
            List<Score> scores,
            BigDecimal personOrderValue,
            FeatureValues shopper,
            BigDecimal defaultOrderValue) {
        double keep = 1 - dependency(shopper);
        var out = new ArrayList<Evaluated>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            var c = candidates.get(i);
            var modelScore = scores.get(i);
            var s = keep == 1
                    ? modelScore
                    : new Score(
                            modelScore.offerId(),
                            modelScore.pWithOffer(),
                            modelScore.pWithoutOffer(),
                            modelScore.uplift() * keep,
                            modelScore.expectedOrderValue(),
                            modelScore.modelName(),
                            modelScore.modelVersion());
            BigDecimal orderValue;
            String source;
            if (Double.isFinite(s.expectedOrderValue()) && s.expectedOrderValue() > 0) {
                orderValue = BigDecimal.valueOf(s.expectedOrderValue()).setScale(2, RoundingMode.HALF_UP);
                source = "model";
            } else if (personOrderValue != null && personOrderValue.signum() > 0) {
                orderValue = personOrderValue.setScale(2, RoundingMode.HALF_UP);
                source = "shopper-average";
            } else {
                orderValue = defaultOrderValue;
                source = "default";
            }
            var expectedDiscount = Checkout.expectedDiscount(c.coupon(), orderValue);
            double couponCost = s.pWithOffer() * expectedDiscount.doubleValue();
            double value = s.expectedValue(
                    c.objective(),
                    orderValue.doubleValue(),
                    c.marginRate(),
                    expectedDiscount.doubleValue(),
                    c.messageCost().doubleValue());
            out.add(new Evaluated(
                    new CandidateScore(
                            c.campaignId(),
                            c.channel(),
                            offerFeatures.get(i),
                            c.holdoutShare(),
                            new Response(modelScore.pWithOffer(), modelScore.pWithoutOffer(), modelScore.uplift()),
                            new Value(
                                    c.objective(),
                                    orderValue,
                                    source,
                                    c.marginRate(),
                                    expectedDiscount,
                                    cents(couponCost),
                                    c.messageCost(),
                                    cents(value))),
                    value));
        }
        return out;
    }

    public static Choice choose(List<Evaluated> scored, double epsilon, long seed) {
        return choose(scored, epsilon, seed, Set.of());
    }

    /**
     * The choice over the candidates whose campaign is not in {@code refused} (campaigns that refused to reserve an
     * earlier choice of the same decision), drawn with the same seed: the actions are the candidates left plus "no
     * offer", and the propensity is that of this policy over them. The index is in {@code scored}.
     */
    public static Choice choose(List<Evaluated> scored, double epsilon, long seed, Set<String> refused) {
        var left = new ArrayList<Integer>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            if (!refused.contains(scored.get(i).score().campaignId())) left.add(i);
        }
        int greedy = -1;
        for (int i : left) {
            if (greedy < 0 || scored.get(i).value() > scored.get(greedy).value()) greedy = i;
        }
        if (greedy >= 0 && !(scored.get(greedy).value() > 0)) greedy = -1;
        int actions = left.size() + 1;
        var random = new SplittableRandom(seed);
        boolean explore = random.nextDouble() < epsilon;
        // Actions are numbered 0..k-1 for the candidates left and k for "no offer".
        int action = explore ? random.nextInt(actions) : (greedy < 0 ? left.size() : left.indexOf(greedy));
        int chosen = action == left.size() ? -1 : left.get(action);
        double propensity = (chosen == greedy ? 1 - epsilon : 0) + epsilon / actions;
        String rule;
        if (!explore) rule = chosen < 0 ? "no-positive-value" : "highest-expected-value";
        else rule = chosen == greedy ? "exploration-drew-greedy" : EXPLORATION;
        return new Choice(chosen, propensity, epsilon, explore, rule);
    }

    /**
     * The exploration draw's seed for a decision: a function of its id, so the draw can be reproduced from the record
     * (version 1 records did not store it; this is how they drew).
     */
    public static long seedOf(String decisionId) {
        var u = java.util.UUID.fromString(decisionId);
        return u.getMostSignificantBits() ^ u.getLeastSignificantBits();
    }

    /** Money to the cent (half to even): what a decision record keeps of an expected amount. */
    static BigDecimal cents(double amount) {
        return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_EVEN);
    }
}

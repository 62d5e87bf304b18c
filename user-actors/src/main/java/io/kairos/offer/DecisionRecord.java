package io.kairos.offer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Everything that produced one decision, carried by the event that records it ({@code OfferIssued} or
 * {@code HoldoutAssigned}): replaying the journal reads it back and never re-runs a model.
 *
 * @param trigger what started the decision: {@code request}, {@code cart_abandoned}, {@code lifecycle:<stage>}
 * @param features the shopper features the model saw, and their hash
 * @param scoring {@code model} or {@code safe-rule} (no model loaded, the model failed or timed out: see
 *     {@code scoringNote})
 * @param candidates every candidate (campaign × channel) scored, with the components of its expected value
 * @param chosenCampaignId the campaign of the chosen offer, or of the holdout; null when no offer was chosen
 * @param propensity the probability with which the policy took the recorded action (for a holdout: the holdout share)
 * @param epsilon the exploration rate in force
 * @param explored whether the action came from the exploration draw
 * @param reservation the budget reservation made for the chosen offer (null for a holdout)
 * @param bindingRule the rule or limit that decided the outcome (e.g. {@code highest-expected-value},
 *     {@code exploration}, {@code holdout})
 * @param limits candidates removed before scoring and why ({@code campaign-cap:c1}, {@code contact-cap}, …)
 */
public record DecisionRecord(
        String decisionId,
        String shopperId,
        String trigger,
        Instant decidedAt,
        FeatureValues features,
        String featuresHash,
        String modelName,
        String modelVersion,
        String scoring,
        String scoringNote,
        List<CandidateScore> candidates,
        String chosenCampaignId,
        String chosenChannel,
        double propensity,
        double epsilon,
        boolean explored,
        boolean holdout,
        Reservation reservation,
        String bindingRule,
        List<String> limits) {

    public DecisionRecord {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        limits = limits == null ? List.of() : List.copyOf(limits);
    }

    /**
     * One candidate's scores and expected value: {@code value} is what the campaign's objective maximises (profit:
     * uplift × orderValue × margin − couponCost − messageCost; gmv: uplift × orderValue − couponCost − messageCost;
     * activation: uplift × orderValue − messageCost), with {@code couponCost} = pWithOffer × expected discount.
     * {@code holdoutShare} is the campaign's holdout share: the chance the person was not held out is part of the
     * propensity of issuing this offer.
     */
    public record CandidateScore(
            String campaignId,
            String channel,
            FeatureValues offerFeatures,
            double pWithOffer,
            double pWithoutOffer,
            double uplift,
            BigDecimal expectedOrderValue,
            String orderValueSource,
            double marginRate,
            BigDecimal expectedDiscount,
            double couponCost,
            BigDecimal messageCost,
            String objective,
            double value,
            double holdoutShare) {}

    /** The reservation made with the campaign for the chosen offer. */
    public record Reservation(String campaignId, String offerId, BigDecimal amount) {}

    public CandidateScore chosen() {
        return candidates.stream()
                .filter(c ->
                        c.campaignId().equals(chosenCampaignId) && c.channel().equals(chosenChannel))
                .findFirst()
                .orElse(null);
    }
}

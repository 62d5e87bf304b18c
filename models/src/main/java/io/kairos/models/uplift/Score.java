package io.kairos.models.uplift;

/**
 * The model's view of one candidate offer for one shopper, with the model identity a decision must record.
 *
 * @param offerId the candidate's id
 * @param pWithOffer P(convert | this offer)
 * @param pWithoutOffer P(convert | no offer); the same for every candidate of one call
 * @param uplift {@code pWithOffer - pWithoutOffer}
 * @param expectedOrderValue expected order value given a conversion with this offer; {@code NaN} when the model was
 *     trained without order values
 * @param modelName the uplift model's name
 * @param modelVersion the uplift model's version
 */
public record Score(
        String offerId,
        double pWithOffer,
        double pWithoutOffer,
        double uplift,
        double expectedOrderValue,
        String modelName,
        String modelVersion) {

    /**
     * The expected value of issuing this offer, in money, by the campaign's objective: profit {@code uplift ×
     * orderValue × marginRate − couponCost − messageCost}, gmv {@code uplift × orderValue − couponCost − messageCost},
     * activation {@code uplift × orderValue − messageCost}, with {@code couponCost = pWithOffer × expectedDiscount}.
     * What a decision ranks candidates by, and what the learning loop's policies are judged by; any other objective
     * counts as profit.
     *
     * @param objective {@code profit}, {@code gmv} or {@code activation}
     * @param orderValue the order value the ranking uses (this score's, or a fallback when it has none)
     */
    public double expectedValue(
            String objective, double orderValue, double marginRate, double expectedDiscount, double messageCost) {
        double couponCost = pWithOffer * expectedDiscount;
        double incrementalRevenue = uplift * orderValue;
        return switch (objective) {
            case "gmv" -> incrementalRevenue - couponCost - messageCost;
            case "activation" -> incrementalRevenue - messageCost;
            default -> incrementalRevenue * marginRate - couponCost - messageCost;
        };
    }

    /** Expected incremental conversions times order value: what issuing this offer adds, in money. */
    public double expectedIncrementalValue() {
        return Double.isNaN(expectedOrderValue) ? Double.NaN : uplift * expectedOrderValue;
    }
}

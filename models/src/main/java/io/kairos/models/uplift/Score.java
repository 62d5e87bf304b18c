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

    /** Expected incremental conversions times order value: what issuing this offer adds, in money. */
    public double expectedIncrementalValue() {
        return Double.isNaN(expectedOrderValue) ? Double.NaN : uplift * expectedOrderValue;
    }
}

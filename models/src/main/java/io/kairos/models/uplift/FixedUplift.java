package io.kairos.models.uplift;

import java.util.List;
import java.util.Map;

/**
 * A scorer with a known answer: each candidate's uplift is set per campaign (its {@code campaignId} feature), on top of
 * a fixed conversion without the offer. For tests, demos and recorded payloads, where the decision must not depend on a
 * trained model.
 *
 * @param upliftByCampaign the uplift of each campaign's offers
 * @param otherUplift the uplift of any other campaign's offers
 * @param pWithoutOffer the conversion probability without an offer, for every candidate
 * @param orderValue the expected order value, for every candidate
 */
public record FixedUplift(
        String modelName,
        String modelVersion,
        Map<String, Double> upliftByCampaign,
        double otherUplift,
        double pWithoutOffer,
        double orderValue)
        implements UpliftScorer {

    public FixedUplift {
        upliftByCampaign = Map.copyOf(upliftByCampaign);
    }

    @Override
    public String engine() {
        return "fixed";
    }

    @Override
    public List<Score> score(ShopperFeatures shopper, List<OfferFeatures> candidates) {
        return candidates.stream()
                .map(c -> {
                    var campaign = c.values().get("campaignId");
                    double u = campaign == null ? otherUplift : upliftByCampaign.getOrDefault(campaign, otherUplift);
                    return new Score(
                            c.offerId(), pWithoutOffer + u, pWithoutOffer, u, orderValue, modelName, modelVersion);
                })
                .toList();
    }
}

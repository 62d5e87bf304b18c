package io.kairos.http.audit;

import io.kairos.http.offer.OfferBody;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/audit/decisions/{id}}: a recorded decision, everything that produced it, and where it is in the
 * journal.
 */
public record DecisionResponse(
        String decisionId,
        String kind,
        String shopperId,
        String trigger,
        Instant decidedAt,
        Features features,
        Model model,
        List<Candidate> candidates,
        Chosen chosen,
        double propensity,
        Exploration exploration,
        Reservation reservation,
        String bindingRule,
        List<String> limits,
        OfferBody offer,
        Journal journal) {

    public record Features(Map<String, Double> numbers, Map<String, String> categories, String hash) {}

    /** {@code source}: model, safe-rule (with {@code note}: why) or none (a holdout is not scored). */
    public record Model(String name, String version, String source, String note) {}

    public record Candidate(
            String campaignId,
            String channel,
            Map<String, Object> offerFeatures,
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
            double value) {}

    public record Chosen(String campaignId, String channel, boolean holdout) {}

    public record Exploration(double epsilon, boolean explored) {}

    public record Reservation(String campaignId, String offerId, BigDecimal amount) {}

    public record Journal(String persistenceId, long sequenceNr) {}

    static DecisionResponse of(StoredDecision d) {
        DecisionRecord r = d.record();
        var candidates = r.candidates().stream()
                .map(c -> new Candidate(
                        c.campaignId(),
                        c.channel(),
                        c.offerFeatures().asMap(),
                        c.pWithOffer(),
                        c.pWithoutOffer(),
                        c.uplift(),
                        c.expectedOrderValue(),
                        c.orderValueSource(),
                        c.marginRate(),
                        c.expectedDiscount(),
                        c.couponCost(),
                        c.messageCost(),
                        c.objective(),
                        c.value()))
                .toList();
        var reservation = r.reservation() == null
                ? null
                : new Reservation(
                        r.reservation().campaignId(),
                        r.reservation().offerId(),
                        r.reservation().amount());
        return new DecisionResponse(
                r.decisionId(),
                d.kind(),
                d.shopperId(),
                r.trigger(),
                r.decidedAt(),
                new Features(r.features().numbers(), r.features().categories(), r.featuresHash()),
                new Model(r.modelName(), r.modelVersion(), r.scoring(), r.scoringNote()),
                candidates,
                r.chosenCampaignId() == null ? null : new Chosen(r.chosenCampaignId(), r.chosenChannel(), r.holdout()),
                r.propensity(),
                new Exploration(r.epsilon(), r.explored()),
                reservation,
                r.bindingRule(),
                r.limits(),
                d.offer() == null ? null : OfferBody.of(d.offer(), r.decidedAt()),
                new Journal(d.persistenceId(), d.sequenceNr()));
    }
}

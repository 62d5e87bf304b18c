package io.kairos.http.audit;

import io.kairos.http.Money;
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
        List<Refusal> refused,
        String bindingRule,
        List<String> limits,
        OfferBody offer,
        Journal journal) {

    public record Features(Map<String, Double> numbers, Map<String, String> categories, String hash) {}

    /** {@code source}: model, safe-rule (with {@code note}: why) or none (a holdout is not scored). */
    /** What scored the decision; {@code arm}: its arm while the learning loop watched a promotion (null otherwise). */
    public record Model(String name, String version, String engine, String source, String note, String arm) {}

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
            BigDecimal couponCost,
            BigDecimal messageCost,
            String objective,
            BigDecimal value) {}

    public record Chosen(String campaignId, String channel, boolean holdout) {}

    public record Exploration(double epsilon, boolean explored) {}

    public record Reservation(String campaignId, String offerId, BigDecimal amount) {}

    /** A campaign that refused to reserve an earlier choice of the decision, and why. */
    public record Refusal(String campaignId, String reason) {}

    public record Journal(String persistenceId, long sequenceNr) {}

    public static DecisionResponse of(StoredDecision d) {
        DecisionRecord r = d.record();
        var candidates = r.scoring().candidates().stream()
                .map(c -> new Candidate(
                        c.campaignId(),
                        c.channel(),
                        c.offerFeatures().asMap(),
                        c.response().pWithOffer(),
                        c.response().pWithoutOffer(),
                        c.response().uplift(),
                        Money.cents(c.value().expectedOrderValue()),
                        c.value().orderValueSource(),
                        c.value().marginRate(),
                        Money.cents(c.value().expectedDiscount()),
                        Money.cents(c.value().couponCost()),
                        Money.cents(c.value().messageCost()),
                        c.value().objective(),
                        c.value().expected()))
                .toList();
        var choice = r.choice();
        var reservation = choice.reservation() == null
                ? null
                : new Reservation(
                        choice.reservation().campaignId(),
                        choice.reservation().offerId(),
                        choice.reservation().amount());
        var model = r.scoring().model();
        return new DecisionResponse(
                r.decisionId(),
                d.kind(),
                d.shopperId(),
                r.trigger(),
                r.decidedAt(),
                new Features(
                        r.inputs().features().numbers(),
                        r.inputs().features().categories(),
                        r.inputs().featuresHash()),
                new Model(
                        model == null ? null : model.name(),
                        model == null ? null : model.version(),
                        model == null ? null : model.engine(),
                        r.scoring().source(),
                        r.scoring().note(),
                        r.scoring().arm()),
                candidates,
                choice.campaignId() == null
                        ? null
                        : new Chosen(choice.campaignId(), choice.channel(), choice.holdout()),
                choice.propensity(),
                new Exploration(
                        choice.exploration().epsilon(), choice.exploration().explored()),
                reservation,
                choice.refused().isEmpty()
                        ? null
                        : choice.refused().stream()
                                .map(f -> new Refusal(f.campaignId(), f.reason()))
                                .toList(),
                choice.rule(),
                r.limits(),
                d.offer() == null ? null : OfferBody.of(d.offer(), r.decidedAt()),
                new Journal(d.persistenceId(), d.sequenceNr()));
    }
}

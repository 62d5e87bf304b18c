package io.kairos.http.price;

import io.kairos.pricing.PriceDecision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pricing decision as recorded, for auditors: the policy and model that proposed a price, the seed of its draws,
 * every candidate with the data it had and its score, what the policy wanted ({@code target}), what was posted
 * ({@code price}) and the guardrails that bound it. {@code kind} is {@code price}.
 */
public record PriceDecisionResponse(
        String kind,
        String decisionId,
        String sku,
        Instant at,
        String reason,
        String outcome,
        String policy,
        String objective,
        String model,
        long seed,
        BigDecimal currentPrice,
        BigDecimal target,
        BigDecimal price,
        List<String> boundBy,
        List<Candidate> candidates,
        Observations observations,
        List<SkuResponse.CompetitorPrice> competitorPrices,
        String note,
        QLearning qLearning) {

    /** A price the policy considered: the data at that price, the drawn units per view and the score maximised. */
    public record Candidate(BigDecimal price, long views, long units, double sample, double score) {}

    /** The demand data the decision saw (life totals and the period since the previous decision). */
    public record Observations(
            long views, long units, long periodViews, long periodUnits, double periodRevenue, int cells) {}

    /** A tabular Q-learning step: the update of the previous state-action and the action chosen now. */
    public record QLearning(
            String previousState,
            int previousAction,
            Double reward,
            String state,
            int action,
            double epsilon,
            double draw,
            boolean explored,
            Map<String, QRow> rows) {}

    /** Q values of one state after the step, per action, and the state's visits. */
    public record QRow(double down, double hold, double up, long visits) {}

    /** @param changed whether the decision changed the price (a PriceChanged event) or held it (PriceHeld) */
    public static PriceDecisionResponse of(String sku, PriceDecision d, boolean changed) {
        var obs = d.observations();
        return new PriceDecisionResponse(
                "price",
                d.decisionId(),
                sku,
                d.at(),
                lower(d.reason().name()),
                changed ? "changed" : "held",
                d.policy().wireName(),
                d.objective().wireName(),
                d.model(),
                d.seed(),
                d.currentPrice(),
                d.target(),
                d.price(),
                d.boundBy().stream().map(g -> lower(g.name())).toList(),
                d.candidates().stream()
                        .map(c -> new Candidate(c.price(), c.views(), c.units(), c.sample(), c.score()))
                        .toList(),
                obs == null
                        ? null
                        : new Observations(
                                obs.views(),
                                obs.units(),
                                obs.periodViews(),
                                obs.periodUnits(),
                                obs.periodRevenue(),
                                obs.cells()),
                d.competitorPrices().stream()
                        .map(p -> new SkuResponse.CompetitorPrice(p.competitor(), p.price(), p.observedAt()))
                        .toList(),
                d.note(),
                d.qLearning()
                        .map(q -> {
                            var rows = new TreeMap<String, QRow>();
                            q.rows()
                                    .forEach((state, r) ->
                                            rows.put(state, new QRow(r.down(), r.hold(), r.up(), r.visits())));
                            return new QLearning(
                                    q.previousState().orElse(null),
                                    q.previousAction(),
                                    q.reward().orElse(null),
                                    q.state(),
                                    q.action(),
                                    q.epsilon(),
                                    q.draw(),
                                    q.explored(),
                                    rows);
                        })
                        .orElse(null));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

package io.kairos.pricing.policy;

import io.kairos.pricing.PriceDecision;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** A policy's proposal, before the guardrails: the price it wants and the evidence for it. */
public record Proposal(
        BigDecimal target,
        String model,
        List<PriceDecision.Candidate> candidates,
        String note,
        Optional<PriceDecision.QLearningStep> qLearning) {

    public Proposal {
        candidates = List.copyOf(candidates);
    }
}

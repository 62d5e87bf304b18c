package io.kairos.pricing.policy;

import io.kairos.pricing.PriceDecision;
import java.util.List;
import java.util.Optional;

/** Posts the list price (the guardrails still bound it and walk the price there in steps after a change). */
public final class FixedPolicy implements PricingPolicy {

    public static final String MODEL = "fixed-list-price-v1";

    @Override
    public Proposal propose(PolicyInput in) {
        var list = in.config().listPrice();
        var candidate = new PriceDecision.Candidate(list, 0, 0, 0.0, 0.0);
        return new Proposal(list, MODEL, List.of(candidate), "list price", Optional.empty());
    }
}

package io.kairos.pricing.policy;

import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuConfig;

/**
 * Proposes the price of a SKU for its next period. Implementations are pure and deterministic given their input (random
 * draws come from {@link PolicyInput#seed()}); the entity applies the guardrails to the proposal and records both in
 * the decision event, so a replay never calls a policy.
 */
public interface PricingPolicy {

    Proposal propose(PolicyInput input);

    static PricingPolicy of(SkuConfig.Policy policy, PricingSettings settings) {
        return switch (policy) {
            case FIXED -> new FixedPolicy();
            case THOMPSON -> new ThompsonPolicy(settings);
            case QLEARNING -> new QLearningPolicy(settings);
        };
    }
}

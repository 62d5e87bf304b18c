package io.kairos.pricing;

import io.kairos.pricing.PriceDecision.ObservationSummary;
import io.kairos.pricing.PriceDecision.Reason;
import io.kairos.pricing.SkuPricingEntity.Event;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import io.kairos.pricing.SkuPricingEntity.PriceHeld;
import io.kairos.pricing.SkuPricingState.Priced;
import io.kairos.pricing.policy.PolicyInput;
import io.kairos.pricing.policy.PricingPolicy;
import io.kairos.pricing.policy.Proposal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the decision events of a SKU entity from its state: the first price, the correction a config change may force,
 * and a repricing (policy proposal, then guardrails). Runs in command handlers only; the events carry the whole
 * decision so that event handlers just apply it.
 */
final class Decisions {

    private static final String GUARDRAILS_MODEL = "guardrails-v1";
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final String sku;
    private final PricingSettings settings;
    private final Map<SkuConfig.Policy, PricingPolicy> policies = new EnumMap<>(SkuConfig.Policy.class);

    Decisions(String sku, PricingSettings settings) {
        this.sku = sku;
        this.settings = settings;
        for (var p : SkuConfig.Policy.values()) policies.put(p, PricingPolicy.of(p, settings));
    }

    /** The first price: the list price moved into the legal range. */
    PriceChanged initial(SkuConfig config, Instant at, long sequenceNr) {
        var clip = Guardrails.legalise(config.listPrice(), config);
        var decision = byGuardrails(
                sequenceNr,
                at,
                Reason.INITIAL,
                config,
                clip.price(),
                config.listPrice(),
                clip,
                new ObservationSummary(0, 0, 0, 0, 0.0, 0),
                "first price: the list price within the guardrails");
        return new PriceChanged(sku, at, Optional.empty(), clip.price(), clip.price(), decision);
    }

    /**
     * The change a new config forces when the price in force is not legal under it, or is not written in the minor
     * units of its currency (9.00 becomes 9 when the currency becomes yen); empty when it still is both.
     */
    Optional<PriceChanged> correction(Priced s, SkuConfig config, Instant at, long sequenceNr) {
        var range = Guardrails.legalRange(config).orElseThrow();
        boolean legal = range.contains(s.price());
        if (legal && s.price().scale() == config.scale()) return Optional.empty();
        Instant validFrom = at.isBefore(s.quote().validFrom()) ? s.quote().validFrom() : at;
        var clip = Guardrails.legalise(s.price(), config);
        var note = legal
                ? "the new currency writes " + s.price() + " as " + clip.price()
                : "the new configuration made " + s.price() + " illegal: moved to the nearest legal price";
        var decision = byGuardrails(
                sequenceNr, validFrom, Reason.CONFIG, config, s.price(), s.price(), clip, summary(s), note);
        return Optional.of(new PriceChanged(
                sku, validFrom, Optional.of(s.price()), clip.price(), s.lowestPrice30dBefore(validFrom), decision));
    }

    /** A decision of the guardrails alone (no policy ran): the first price, or a correction after a new config. */
    private PriceDecision byGuardrails(
            long sequenceNr,
            Instant at,
            Reason reason,
            SkuConfig config,
            BigDecimal from,
            BigDecimal target,
            Guardrails.Clip clip,
            ObservationSummary demand,
            String note) {
        return new PriceDecision(
                SkuPricingEntity.decisionId(sku, sequenceNr),
                at,
                reason,
                config.policy(),
                config.objective(),
                GUARDRAILS_MODEL,
                0L,
                from,
                target,
                clip.price(),
                clip.boundBy(),
                List.of(),
                demand,
                config.competitorPrices(),
                note,
                Optional.empty());
    }

    /** A repricing at {@code now}: the policy's proposal through the guardrails, changed or held. */
    Event reprice(Priced s, Instant now, long sequenceNr, int hourOfDay) {
        return reprice(s, now, sequenceNr, hourOfDay, seed(sequenceNr));
    }

    /** As {@link #reprice(Priced, Instant, long, int)}, drawing from {@code seed} (a re-derivation's recorded one). */
    Event reprice(Priced s, Instant now, long sequenceNr, int hourOfDay, long seed) {
        var config = s.config();
        var range = Guardrails.legalRange(config).orElseThrow();
        var input = new PolicyInput(
                sku,
                config,
                config.prior().orElse(settings.defaultPrior()),
                s.price(),
                range,
                now,
                hourOfDay,
                seed,
                s.demand(),
                s.qTable(),
                s.lastQStep(),
                settings);
        Proposal proposal;
        try {
            proposal = policies.get(config.policy()).propose(input);
        } catch (RuntimeException e) {
            // A policy bug must not stop the SKU's entity: hold the price and record why.
            log.warn("Policy {} failed for SKU {}; holding the price", config.policy(), sku, e);
            proposal = new Proposal(
                    s.price(),
                    PriceDecision.POLICY_FAILED,
                    List.of(),
                    "policy failed, price held: " + e,
                    Optional.empty());
        }
        var clip = Guardrails.reprice(proposal.target(), s.price(), config);
        Instant validFrom = now.isBefore(s.quote().validFrom()) ? s.quote().validFrom() : now;
        var decision = new PriceDecision(
                SkuPricingEntity.decisionId(sku, sequenceNr),
                validFrom,
                Reason.REPRICE,
                config.policy(),
                config.objective(),
                proposal.model(),
                seed,
                s.price(),
                proposal.target(),
                clip.price(),
                clip.boundBy(),
                proposal.candidates(),
                summary(s),
                config.competitorPrices(),
                proposal.note(),
                proposal.qLearning());
        if (clip.price().compareTo(s.price()) == 0) return new PriceHeld(sku, decision);
        return new PriceChanged(
                sku, validFrom, Optional.of(s.price()), clip.price(), s.lowestPrice30dBefore(validFrom), decision);
    }

    /** Seed of a decision's draws: reproducible from the module seed, the SKU and the event's sequence number. */
    private long seed(long sequenceNr) {
        long mixed = settings.randomSeed() * 0x9E3779B97F4A7C15L ^ sku.hashCode() * 0xC2B2AE3D27D4EB4FL ^ sequenceNr;
        return new SplittableRandom(mixed).nextLong();
    }

    private static ObservationSummary summary(Priced s) {
        var d = s.demand();
        var p = d.sinceDecision();
        return new ObservationSummary(
                d.views(),
                d.units(),
                p.views(),
                p.units(),
                p.revenue(),
                d.cells().size());
    }

    static String describe(List<SkuConfig.FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
    }
}

package io.kairos.offer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything that produced one decision, carried by the event that records it ({@code OfferIssued} or
 * {@code HoldoutAssigned} or {@code NoOfferDecided}): replaying the journal reads it back and never re-runs a model; an
 * audit re-derivation re-runs it on purpose from {@link #inputs}, the model named in {@link #scoring} and the seed in
 * {@link #choice}, and compares.
 *
 * <p>Version 2 (this shape): grouped into inputs, scoring, choice and limits, with money as exact decimals. Version 1
 * (flat, money as doubles) is still in journals and in the {@code decisions} table; it is read through
 * {@link DecisionRecordV1}, which fills {@link #recordVersion} with 1. Fields added for later use are optional (null
 * when not recorded).
 *
 * @param recordVersion the shape the decision was recorded in (1 or 2)
 * @param trigger what started the decision: {@code request}, {@code cart_abandoned}, {@code lifecycle:<stage>}
 * @param limits candidates removed before scoring and why ({@code campaign-cap:c1}, {@code contact-cap}, …)
 * @param actor the id of the API key whose request made the decision; null for automatic triggers and until recorded
 */
public record DecisionRecord(
        int recordVersion,
        String decisionId,
        String shopperId,
        String trigger,
        Instant decidedAt,
        Inputs inputs,
        Scoring scoring,
        Choice choice,
        List<String> limits,
        String actor) {

    public static final int VERSION = 2;

    public DecisionRecord {
        limits = limits == null ? List.of() : List.copyOf(limits);
    }

    /**
     * What the decision saw.
     *
     * @param features the shopper features the model saw, and their hash
     * @param personalized whether the shopper's behaviour was used (null: recorded before opt-out existed, i.e. yes)
     */
    public record Inputs(FeatureValues features, String featuresHash, Boolean personalized) {}

    /**
     * How the candidates were scored.
     *
     * @param source {@code model}, {@code safe-rule} (no model loaded, the model failed or timed out: see {@code note})
     *     or {@code none} (a holdout is not scored)
     * @param candidates every candidate (campaign × channel) scored, with the components of its expected value
     * @param arm while the learning loop watched its last promotion: {@code promoted}, or {@code champion} for the
     *     share of decisions kept on what the promotion replaced; null otherwise (and in records written before), and
     *     then not written, so a record without one reads and writes as before the field existed
     */
    public record Scoring(
            Model model,
            String source,
            String note,
            List<CandidateScore> candidates,
            @JsonInclude(JsonInclude.Include.NON_NULL) String arm) {
        public Scoring {
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
        }

        /** Scoring outside a watched promotion. */
        public Scoring(Model model, String source, String note, List<CandidateScore> candidates) {
            this(model, source, note, candidates, null);
        }

        public static final Scoring NONE = new Scoring(null, "none", null, List.of());
    }

    /** The model version that scored, and the engine that ran it (null when not recorded). */
    public record Model(String name, String version, String engine) {}

    /**
     * What was chosen and how.
     *
     * @param campaignId the campaign of the chosen offer, or of the holdout; null when no offer was chosen
     * @param propensity the probability with which the policy took the recorded action (for a holdout: the holdout
     *     share)
     * @param rule the rule or limit that decided the outcome ({@code highest-expected-value}, {@code exploration},
     *     {@code holdout}, …)
     * @param reservation the budget reserved for the chosen offer (null for a holdout)
     * @param refused the campaigns that refused the reservation of an earlier choice of this decision, in the order
     *     asked: the choice was drawn again without them (with the same seed), so {@code propensity} is that of the
     *     policy over the campaigns left. Empty when the first choice stood (and in records written before), and then
     *     not written, so such a record reads and writes as before the field existed
     */
    public record Choice(
            String campaignId,
            String channel,
            boolean holdout,
            double propensity,
            String rule,
            Exploration exploration,
            Reservation reservation,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Refusal> refused) {
        public Choice {
            refused = refused == null ? List.of() : List.copyOf(refused);
        }

        /** The campaigns that refused an earlier choice: the choice was drawn without them. */
        public Set<String> refusedCampaigns() {
            return refused.stream().map(Refusal::campaignId).collect(Collectors.toUnmodifiableSet());
        }
    }

    /**
     * A campaign that refused to reserve a decision's choice, and why ({@code pacing}, {@code budget}, …: the wire name
     * of {@code CampaignEntity.ReserveRefusal}).
     */
    public record Refusal(String campaignId, String reason) {}

    /**
     * The exploration rate in force, whether the action came from the exploration draw, and the draw's seed (null when
     * not recorded: version 1 drew from a seed derived from the decision id).
     */
    public record Exploration(double epsilon, boolean explored, Long seed) {}

    /** The reservation made with the campaign for the chosen offer. */
    public record Reservation(String campaignId, String offerId, BigDecimal amount) {}

    /**
     * One candidate's scores and expected value. {@code holdoutShare} is the campaign's holdout share: the chance the
     * person was not held out is part of the propensity of issuing this offer.
     */
    public record CandidateScore(
            String campaignId,
            String channel,
            FeatureValues offerFeatures,
            double holdoutShare,
            Response response,
            Value value) {}

    /** The model's response estimates: conversion with and without the offer, and their difference. */
    public record Response(double pWithOffer, double pWithoutOffer, double uplift) {}

    /**
     * The candidate's expected value, in money, by the campaign's objective (profit: uplift × orderValue × margin −
     * couponCost − messageCost; gmv: uplift × orderValue − couponCost − messageCost; activation: uplift × orderValue −
     * messageCost), with {@code couponCost} = pWithOffer × expected discount. Money is exact to the cent; the ranking
     * used the unrounded values.
     */
    public record Value(
            String objective,
            BigDecimal expectedOrderValue,
            String orderValueSource,
            double marginRate,
            BigDecimal expectedDiscount,
            BigDecimal couponCost,
            BigDecimal messageCost,
            BigDecimal expected) {}

    public String chosenCampaignId() {
        return choice.campaignId();
    }

    public boolean holdout() {
        return choice.holdout();
    }

    public double propensity() {
        return choice.propensity();
    }

    /** The chosen candidate's scores, or null (a holdout, or no offer). */
    public CandidateScore chosen() {
        return scoring.candidates().stream()
                .filter(c -> c.campaignId().equals(choice.campaignId())
                        && c.channel().equals(choice.channel()))
                .findFirst()
                .orElse(null);
    }
}

package io.kairos.offer;

import io.kairos.audit.Rederivation;
import io.kairos.audit.Rederivation.Result;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.Coupon;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionRecord.CandidateScore;
import io.kairos.offer.OfferPolicy.Terms;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Re-derives a recorded offer decision and compares: the audit's proof that a decision is what its record says. Pure;
 * the caller supplies the model version the record names (from the registry, which keeps every version) and the
 * campaigns' definitions (whose coupon, objective, margin and holdout share are fixed at creation).
 *
 * <p>What is re-run: the model scores every recorded candidate again from the recorded features (the shopper's and each
 * candidate's offer features), {@link OfferPolicy#evaluate} values them again from the campaigns' terms, and
 * {@link OfferPolicy#choose} draws again with the recorded exploration share and seed, over the candidates of the
 * campaigns that did not refuse an earlier choice ({@code choice.refused}). Nothing is re-picked from the recorded
 * scores. A holdout is re-derived by {@link Holdout#heldOut} with the campaign's holdout share.
 *
 * <p>What is compared, and how closely (field names as in the record):
 *
 * <ul>
 *   <li>{@code inputs.featuresHash}, against the hash of the recorded features: exact;
 *   <li>per candidate ({@code scoring.candidates[i].…}): {@code response.pWithOffer}, {@code response.pWithoutOffer},
 *       {@code response.uplift}, {@code holdoutShare} and {@code value.marginRate} within
 *       {@value Rederivation#RELATIVE_TOLERANCE} relative; {@code value.objective} and {@code value.orderValueSource}
 *       exact; the money ({@code value.expectedOrderValue}, {@code value.expectedDiscount}, {@code value.couponCost},
 *       {@code value.expected}) exact to the cent;
 *   <li>the choice: {@code choice.campaignId}, {@code choice.channel}, {@code choice.rule} and
 *       {@code choice.exploration.explored} exact, {@code choice.propensity} within the tolerance, and for an issued
 *       offer {@code offer.coupon} against the campaign's coupon, exact;
 *   <li>{@code scoring.model}: the version that re-scored is the recorded one.
 * </ul>
 *
 * A record that cannot be re-derived (its model version is not in the store, a safe rule of another version, a campaign
 * this node does not know, a record without its candidates' offer features) is reported as such, never as different.
 * The reservation and the refusals are not compared: whether a campaign had the money is its ledger's answer.
 */
public final class DecisionReplay {
    private DecisionReplay() {}

    /**
     * Re-derives {@code d}.
     *
     * @param recordedModel the model version the record names, loaded from the store; empty when the store does not
     *     have it (or the record was scored by the safe rule)
     * @param campaigns a campaign's definition by id
     * @param settings the node's offer settings (the safe rule, the default order value)
     */
    public static Result replay(
            StoredDecision d,
            Optional<UpliftScorer> recordedModel,
            Function<String, Optional<Campaign>> campaigns,
            OfferSettings settings) {
        var r = d.record();
        if (r == null) return notRederivable(d, "the decision has no record");
        if (r.holdout()) return holdout(d, campaigns);
        var scoring = r.scoring();
        var recorded = scoring.candidates();
        if (recorded.isEmpty()) return notRederivable(d, "no candidate was scored");
        if (r.inputs() == null
                || r.inputs().features() == null
                || recorded.stream().anyMatch(c -> c.offerFeatures() == null))
            return notRederivable(
                    d, "recorded by version " + r.recordVersion() + " without the features the model saw");
        var exploration = r.choice().exploration();
        if (exploration == null)
            return notRederivable(d, "recorded by version " + r.recordVersion() + " without its exploration");
        var model = scoring.model();
        UpliftScorer scorer;
        ShopperFeatures shopper;
        if ("model".equals(scoring.source())) {
            if (recordedModel.isEmpty())
                return notRederivable(
                        d, "model " + model.name() + " version " + model.version() + " is not in the model store");
            scorer = recordedModel.get();
            shopper = ShopperFeatures.of(r.inputs().features().asMap());
        } else if ("safe-rule".equals(scoring.source())) {
            var rule = settings.safeRule();
            if (model == null || !rule.version().equals(model.version()))
                return notRederivable(
                        d,
                        "scored by safe rule version " + (model == null ? "?" : model.version())
                                + ", and this node's safe rule is version " + rule.version());
            scorer = rule.scorer();
            shopper = ShopperFeatures.of(Map.of()); // the safe rule scores every shopper alike
        } else {
            return notRederivable(d, "scored by " + scoring.source());
        }
        var terms = new ArrayList<Terms>(recorded.size());
        var campaignOf = new ArrayList<Campaign>(recorded.size());
        for (var c : recorded) {
            var campaign = campaigns.apply(c.campaignId()).orElse(null);
            if (campaign == null) return notRederivable(d, "campaign " + c.campaignId() + " is unknown here");
            campaignOf.add(campaign);
            terms.add(Terms.of(campaign, c.channel(), c.value().messageCost()));
        }
        var scores = scorer.score(
                shopper,
                recorded.stream()
                        .map(c -> OfferFeatures.of(
                                c.campaignId() + "/" + c.channel(),
                                c.offerFeatures().asMap()))
                        .toList());
        var evaluated = OfferPolicy.evaluate(
                terms,
                recorded.stream().map(CandidateScore::offerFeatures).toList(),
                scores,
                recordedOrderValue(recorded, "shopper-average"),
                r.inputs().features(),
                Optional.ofNullable(recordedOrderValue(recorded, "default")).orElse(settings.defaultOrderValue()));
        var choice = OfferPolicy.choose(
                evaluated,
                exploration.epsilon(),
                exploration.seed() != null ? exploration.seed() : OfferPolicy.seedOf(r.decisionId()),
                r.choice().refusedCampaigns());

        var diff = new Rederivation.Comparison();
        diff.exact(
                "inputs.featuresHash",
                r.inputs().featuresHash(),
                r.inputs().features().hash());
        String replayedModel = scores.isEmpty()
                ? null
                : scores.get(0).modelName() + "@" + scores.get(0).modelVersion();
        diff.exact("scoring.model", model == null ? null : model.name() + "@" + model.version(), replayedModel);
        for (int i = 0; i < recorded.size(); i++) {
            var was = recorded.get(i);
            var now = evaluated.get(i).score();
            var at = "scoring.candidates[" + i + "].";
            diff.close(
                    at + "response.pWithOffer",
                    was.response().pWithOffer(),
                    now.response().pWithOffer());
            diff.close(
                    at + "response.pWithoutOffer",
                    was.response().pWithoutOffer(),
                    now.response().pWithoutOffer());
            diff.close(
                    at + "response.uplift",
                    was.response().uplift(),
                    now.response().uplift());
            diff.close(at + "holdoutShare", was.holdoutShare(), now.holdoutShare());
            diff.close(
                    at + "value.marginRate",
                    was.value().marginRate(),
                    now.value().marginRate());
            diff.exact(
                    at + "value.objective", was.value().objective(), now.value().objective());
            diff.exact(
                    at + "value.orderValueSource",
                    was.value().orderValueSource(),
                    now.value().orderValueSource());
            diff.money(
                    at + "value.expectedOrderValue",
                    was.value().expectedOrderValue(),
                    now.value().expectedOrderValue());
            diff.money(
                    at + "value.expectedDiscount",
                    was.value().expectedDiscount(),
                    now.value().expectedDiscount());
            diff.money(
                    at + "value.couponCost",
                    was.value().couponCost(),
                    now.value().couponCost());
            diff.money(
                    at + "value.expected", was.value().expected(), now.value().expected());
        }
        var chosen = choice.index() < 0 ? null : terms.get(choice.index());
        diff.exact("choice.campaignId", r.choice().campaignId(), chosen == null ? null : chosen.campaignId());
        diff.exact("choice.channel", r.choice().channel(), chosen == null ? null : chosen.channel());
        diff.exact("choice.rule", r.choice().rule(), choice.rule());
        diff.exact("choice.exploration.explored", exploration.explored(), choice.explored());
        diff.close("choice.propensity", r.choice().propensity(), choice.propensity());
        if (d.offer() != null && chosen != null) {
            var campaign = campaignOf.get(choice.index());
            diff.same(
                    "offer.coupon",
                    sameCoupon(d.offer().coupon(), campaign.coupon()),
                    d.offer().coupon(),
                    campaign.coupon());
        }
        return diff.result(d.decisionId(), d.kind(), replayedModel);
    }

    /** A holdout: the person is in the campaign's control group by {@link Holdout}, with the campaign's share. */
    private static Result holdout(StoredDecision d, Function<String, Optional<Campaign>> campaigns) {
        var r = d.record();
        var campaign = campaigns.apply(r.choice().campaignId()).orElse(null);
        if (campaign == null) return notRederivable(d, "campaign " + r.choice().campaignId() + " is unknown here");
        var diff = new Rederivation.Comparison();
        diff.exact(
                "choice.holdout",
                true,
                Holdout.heldOut(r.shopperId(), campaign.campaignId(), campaign.holdoutPercent()));
        diff.close("choice.propensity", r.choice().propensity(), campaign.holdoutPercent() / 100.0);
        return diff.result(d.decisionId(), d.kind(), null);
    }

    /** The order value the record used where it came from {@code source} (an input, not a model output), or null. */
    private static BigDecimal recordedOrderValue(List<CandidateScore> recorded, String source) {
        return recorded.stream()
                .filter(c -> source.equals(c.value().orderValueSource()))
                .map(c -> c.value().expectedOrderValue())
                .findFirst()
                .orElse(null);
    }

    private static Result notRederivable(StoredDecision d, String reason) {
        return Result.notRederivable(d.decisionId(), d.kind(), reason);
    }

    /** Coupons are the same terms: decimals compared by value (20 and 20.00 are the same amount). */
    static boolean sameCoupon(Coupon a, Coupon b) {
        if (a == null || b == null) return a == b;
        return a.type() == b.type()
                && Rederivation.sameAmount(a.value(), b.value())
                && Rederivation.sameAmount(a.minSpend(), b.minSpend())
                && Rederivation.sameAmount(a.maxDiscount(), b.maxDiscount())
                && Objects.equals(a.skus(), b.skus())
                && Objects.equals(a.categories(), b.categories())
                && Objects.equals(a.stackGroup(), b.stackGroup());
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.audit.Rederivation;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignView;
import io.kairos.campaign.Campaigns;
import io.kairos.models.onnx.LinearOnnx;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.DecisionRecord.CandidateScore;
import io.kairos.offer.DecisionRecord.Response;
import io.kairos.offer.DecisionReplay;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Decisions made by real shopper and campaign entities, with a real ONNX model served through DJL and exploration on,
 * re-derived from their records by {@link DecisionReplay}: identical when nothing changed, the altered field named when
 * a record was altered, "not re-derivable" (never "different") when the model version is not available.
 */
class DecisionReplayTest {
    private static final OfferFixture fx = new OfferFixture(OfferFixture.OFFERS.withEpsilon(0.4));
    private static final Instant NOW = Campaigns.START.plus(Duration.ofDays(3));

    @AfterAll
    static void shutdown() {
        fx.close();
    }

    private static Optional<Campaign> campaign(String id) {
        return fx.catalogue.get(id).map(CampaignView::definition);
    }

    /** Every decision {@code shoppers} request once each, as the decisions table stores them. */
    private static List<StoredDecision> decide(String prefix, int shoppers) {
        var out = new ArrayList<StoredDecision>();
        for (int i = 0; i < shoppers; i++) {
            var id = prefix + i;
            var kit = fx.kit(id);
            kit.<Recorded>runCommand(r -> new RecordEvents(
                    List.of(BehaviourEvent.of(id + "-view", EventType.VIEW, NOW.minusSeconds(60))),
                    NOW.minusSeconds(60),
                    r));
            var events = kit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r))
                    .events();
            long seq = 1;
            for (var e : events) {
                seq++;
                ShopperJournal.decisionRow("Shopper|" + id, seq, e).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Rederivation.Result replay(StoredDecision d, UpliftScorer model) {
        return DecisionReplay.replay(
                d, Optional.ofNullable(model), DecisionReplayTest::campaign, fx.services.settings());
    }

    @Test
    void decisionsScoredByAnOnnxModelWithExplorationReplayIdenticalAndAnAlteredRecordIsNamed() {
        fx.scope.set("rp-");
        fx.create(Campaigns.campaign("rp-a", Campaigns.amountOff("5"), "1000"));
        fx.create(Campaigns.withHoldout(Campaigns.campaign("rp-b", Campaigns.amountOff("10"), "1000"), 20));
        try (var model = LinearOnnx.of(Map.of("rp-a", 0.4f, "rp-b", 1.5f), true).serve("linear", "3")) {
            fx.model.set(model);
            var decisions = decide("rp-s", 40);
            assertThat(decisions).hasSizeGreaterThanOrEqualTo(40);
            assertThat(decisions)
                    .anyMatch(d -> d.record().choice().exploration().explored());
            assertThat(decisions).anyMatch(d -> d.kind().equals("holdout"));
            for (var d : decisions) {
                var result = replay(d, model);
                assertThat(result.rederivable()).as("%s", result).isTrue();
                assertThat(result.identical()).as("%s", result).isTrue();
                assertThat(result.compared()).isPositive();
            }

            var offer = decisions.stream()
                    .filter(d -> d.kind().equals("offer"))
                    .findFirst()
                    .orElseThrow();
            var altered = alterFirstCandidate(
                    offer,
                    c -> new CandidateScore(
                            c.campaignId(),
                            c.channel(),
                            c.offerFeatures(),
                            c.holdoutShare(),
                            new Response(
                                    c.response().pWithOffer() + 0.01,
                                    c.response().pWithoutOffer(),
                                    c.response().uplift()),
                            c.value()));
            var result = replay(altered, model);
            assertThat(result.rederivable()).isTrue();
            assertThat(result.identical()).isFalse();
            assertThat(result.differences())
                    .extracting(Rederivation.Difference::field)
                    .containsExactly("scoring.candidates[0].response.pWithOffer");

            // Another model under the recorded name scores differently: every score it changed is named.
            try (var other =
                    LinearOnnx.of(Map.of("rp-a", 1.5f, "rp-b", 0.4f), true).serve("linear", "3")) {
                var different = replay(offer, other);
                assertThat(different.identical()).isFalse();
                assertThat(different.differences())
                        .extracting(Rederivation.Difference::field)
                        .contains("scoring.candidates[0].response.pWithOffer");
            }

            var missing = replay(offer, null);
            assertThat(missing.rederivable()).isFalse();
            assertThat(missing.identical()).isFalse();
            assertThat(missing.reason())
                    .isEqualTo("not re-derivable: model linear version 3 is not in the model store");
        } finally {
            fx.model.set(null);
        }
    }

    @Test
    void aShopperWhoLearnedToWaitForCouponsIsDecidedWithHerDependencyAndReplaysIdentical() {
        fx.scope.set("rd-");
        fx.create(Campaigns.campaign("rd-a", Campaigns.amountOff("5"), "1000"));
        fx.price("rd-sku", "30.00", null);
        try (var model = LinearOnnx.of(Map.of("rd-a", 1.5f), true).serve("linear", "4")) {
            fx.model.set(model);
            var kit = fx.kit("rd-s");
            kit.<Recorded>runCommand(r -> new RecordEvents(
                    List.of(BehaviourEvent.of("rd-view", EventType.VIEW, NOW.minusSeconds(60))),
                    NOW.minusSeconds(60),
                    r));
            // every other day an offer, and an order with its coupon an hour later; never one at full price
            int orders = 0;
            for (int day = 0; day < 20 && orders < 4; day += 2) {
                var at = NOW.plus(Duration.ofDays(day));
                var decided = (Decided) kit.<DecideReply>runCommand(r -> new DecideOffers(null, at, r))
                        .reply();
                var fresh = decided.offers().stream()
                        .filter(o -> o.issuedAt().equals(at))
                        .findFirst();
                if (fresh.isEmpty()) continue; // explored "no offer": next time
                int n = ++orders;
                kit.<OrderReply>runCommand(r -> new PlaceOrder(
                        "rd-o" + n,
                        List.of(new CartItem("rd-sku", 1, null)),
                        List.of(fresh.get().couponId()),
                        null,
                        fx.prices(),
                        at.plus(Duration.ofHours(1)),
                        r));
            }
            assertThat(orders).as("coupon orders placed").isGreaterThanOrEqualTo(3);
            var last = NOW.plus(Duration.ofDays(21));
            var events = kit.<DecideReply>runCommand(r -> new DecideOffers(null, last, r))
                    .events();
            var decision = events.stream()
                    .flatMap(e -> ShopperJournal.decisionRow("Shopper|rd-s", 99, e).stream())
                    .findFirst()
                    .orElseThrow();
            assertThat(decision.record().inputs().features().numbers())
                    .containsKey(io.kairos.offer.OfferPolicy.COUPON_DEPENDENCY);
            assertThat(decision.record()
                            .inputs()
                            .features()
                            .numbers()
                            .get(io.kairos.offer.OfferPolicy.COUPON_DEPENDENCY))
                    .isGreaterThan(0.5);
            var result = replay(decision, model);
            assertThat(result.rederivable()).as("%s", result).isTrue();
            assertThat(result.identical()).as("%s", result).isTrue();
        } finally {
            fx.model.set(null);
        }
    }

    @Test
    void decisionsDrawnAgainAfterACampaignRefusedReplayIdenticalAndForgettingTheRefusalIsNamed() {
        fx.scope.set("rr-");
        fx.create(Campaigns.campaign("rr-a", Campaigns.amountOff("5"), "1000"));
        // rr-b, the better offer, is evenly paced: on day 3 of 30 it may commit 19 of its 100, one coupon; every later
        // choice of it is refused
        fx.create(Campaigns.withPacing(
                Campaigns.campaign("rr-b", Campaigns.amountOff("10"), "100"), Campaign.PacingMode.EVEN));
        try (var model = LinearOnnx.of(Map.of("rr-a", 0.4f, "rr-b", 1.5f), true).serve("linear", "5")) {
            fx.model.set(model);
            var decisions = decide("rr-s", 30);
            var drawnAgain = decisions.stream()
                    .filter(d -> !d.record().choice().refused().isEmpty())
                    .toList();
            assertThat(drawnAgain)
                    .as("decisions whose first choice was refused")
                    .isNotEmpty();
            for (var d : drawnAgain) {
                assertThat(d.record().choice().refused()).containsExactly(new DecisionRecord.Refusal("rr-b", "pacing"));
                assertThat(d.record().chosenCampaignId()).isNotEqualTo("rr-b");
            }
            for (var d : decisions) {
                var result = replay(d, model);
                assertThat(result.identical()).as("%s", result).isTrue();
            }

            // without its refusal the record says rr-a where the policy, with rr-b available, would choose otherwise
            var issuedAgain = drawnAgain.stream()
                    .filter(d -> "rr-a".equals(d.record().chosenCampaignId()))
                    .filter(d -> !d.record().choice().exploration().explored())
                    .findFirst()
                    .orElseThrow();
            var c = issuedAgain.record().choice();
            var forgotten = withChoice(
                    issuedAgain,
                    new DecisionRecord.Choice(
                            c.campaignId(),
                            c.channel(),
                            c.holdout(),
                            c.propensity(),
                            c.rule(),
                            c.exploration(),
                            c.reservation(),
                            List.of()));
            var result = replay(forgotten, model);
            assertThat(result.identical()).isFalse();
            assertThat(result.differences())
                    .extracting(Rederivation.Difference::field)
                    .contains("choice.campaignId");
        } finally {
            fx.model.set(null);
        }
    }

    @Test
    void safeRuleDecisionsReplayIdenticalAndAnUnknownCampaignIsNotRederivable() {
        fx.scope.set("rs-");
        fx.create(Campaigns.campaign("rs-a", Campaigns.amountOff("5"), "1000"));
        var decisions = decide("rs-s", 10);
        assertThat(decisions).isNotEmpty();
        for (var d : decisions) {
            assertThat(d.record().scoring().source()).isEqualTo("safe-rule");
            var result = replay(d, null);
            assertThat(result.identical()).as("%s", result).isTrue();
        }
        var unknown = DecisionReplay.replay(
                decisions.get(0), Optional.empty(), id -> Optional.empty(), fx.services.settings());
        assertThat(unknown.rederivable()).isFalse();
        assertThat(unknown.reason()).isEqualTo("not re-derivable: campaign rs-a is unknown here");
    }

    private static StoredDecision alterFirstCandidate(StoredDecision d, UnaryOperator<CandidateScore> change) {
        var r = d.record();
        var candidates = new ArrayList<>(r.scoring().candidates());
        candidates.set(0, change.apply(candidates.get(0)));
        var scoring = new DecisionRecord.Scoring(
                r.scoring().model(), r.scoring().source(), r.scoring().note(), candidates);
        return altered(d, scoring, r.choice());
    }

    private static StoredDecision withChoice(StoredDecision d, DecisionRecord.Choice choice) {
        return altered(d, d.record().scoring(), choice);
    }

    private static StoredDecision altered(
            StoredDecision d, DecisionRecord.Scoring scoring, DecisionRecord.Choice choice) {
        var r = d.record();
        var record = new DecisionRecord(
                r.recordVersion(),
                r.decisionId(),
                r.shopperId(),
                r.trigger(),
                r.decidedAt(),
                r.inputs(),
                scoring,
                choice,
                r.limits(),
                r.actor());
        return new StoredDecision(
                d.decisionId(),
                d.shopperId(),
                d.persistenceId(),
                d.sequenceNr(),
                d.kind(),
                d.decidedAt(),
                record,
                d.offer());
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignView;
import io.kairos.campaign.Campaigns;
import io.kairos.models.onnx.LinearOnnx;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.DecisionReplay;
import io.kairos.offer.FeatureValues;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A shopper who refused personalization ({@code personalization: false} in the profile) is decided without their
 * behaviour: two such shoppers with very different histories get the same decision (same candidates, scores, values,
 * choice and propensity), recorded as not personalized, while the model still scores a shopper who did not refuse.
 */
class PersonalizationRefusedTest {
    // No exploration and no holdout: what stays random per shopper is off, so the rest must be identical.
    private static final OfferFixture fx = new OfferFixture(OfferFixture.OFFERS.withEpsilon(0));
    private static final Instant NOW = Campaigns.START.plus(Duration.ofDays(3));

    @AfterAll
    static void shutdown() {
        fx.close();
    }

    private static OfferIssued decide(String id, int views, List<String> tags, Boolean personalization) {
        var kit = fx.kit(id);
        var events = new ArrayList<BehaviourEvent>();
        for (int i = 0; i < views; i++)
            events.add(BehaviourEvent.of(id + "-v" + i, EventType.VIEW, NOW.minus(Duration.ofHours(i + 1))));
        kit.<Recorded>runCommand(r -> new RecordEvents(events, NOW.minusSeconds(60), r));
        var profile = new Profile("f", "25-34", "north", true, null, null, Map.of(), Map.of(), tags, personalization);
        kit.<ShopperReply>runCommand(r -> new UpdateProfile(profile, null, NOW.minusSeconds(30), r));
        var decided =
                kit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r)).events();
        return decided.stream()
                .filter(OfferIssued.class::isInstance)
                .map(OfferIssued.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no offer for " + id + ": " + decided));
    }

    @Test
    void twoShoppersWhoRefusedGetTheSameDecisionWhateverTheirHistory() {
        fx.scope.set("pz-");
        fx.create(Campaigns.campaign("pz-a", Campaigns.amountOff("5"), "1000"));
        fx.create(Campaigns.campaign("pz-b", Campaigns.amountOff("10"), "1000"));
        fx.create(Campaigns.with(
                Campaigns.campaign("pz-vip", Campaigns.amountOff("20"), "1000"),
                d -> d.eligibility = new Campaign.Eligibility(Set.of(), Set.of("vip"))));
        try (var model = LinearOnnx.of(Map.of("pz-a", 1.5f, "pz-b", 0.2f, "pz-vip", 0.1f), true)
                .serve("linear", "5")) {
            fx.model.set(model);
            var loyal = decide("pz-loyal", 40, List.of("vip"), false).decision();
            var newcomer = decide("pz-new", 1, List.of(), false).decision();
            var scored = decide("pz-scored", 1, List.of("vip"), null).decision();

            for (var r : List.of(loyal, newcomer)) {
                assertThat(r.inputs().personalized()).isFalse();
                assertThat(r.inputs().features()).isEqualTo(FeatureValues.EMPTY);
                assertThat(r.scoring().source()).isEqualTo("safe-rule");
                assertThat(r.limits()).contains("not-personalized:pz-vip");
            }
            assertThat(loyal.scoring().candidates())
                    .isEqualTo(newcomer.scoring().candidates());
            assertThat(loyal.choice().campaignId()).isEqualTo(newcomer.choice().campaignId());
            assertThat(loyal.choice().propensity()).isEqualTo(newcomer.choice().propensity());
            assertThat(loyal.choice().rule()).isEqualTo(newcomer.choice().rule());
            assertThat(loyal.scoring().candidates())
                    .extracting(DecisionRecord.CandidateScore::campaignId)
                    .containsExactlyInAnyOrder("pz-a", "pz-b");

            // the one who did not refuse: scored by the model from their features, the tagged campaign among the rest
            assertThat(scored.inputs().personalized()).isTrue();
            assertThat(scored.scoring().source()).isEqualTo("model");
            assertThat(scored.scoring().candidates())
                    .extracting(DecisionRecord.CandidateScore::campaignId)
                    .contains("pz-vip");

            // and a refusal's decision re-derives like any other
            var replayed = DecisionReplay.replay(
                    new StoredDecision(
                            loyal.decisionId(), "pz-loyal", "Shopper|pz-loyal", 1, "offer", NOW, loyal, null),
                    Optional.empty(),
                    id -> fx.catalogue.get(id).map(CampaignView::definition),
                    fx.services.settings());
            assertThat(replayed.identical()).as("%s", replayed).isTrue();
        } finally {
            fx.model.set(null);
        }
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.Campaign.PacingMode;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.Campaigns;
import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.campaign.MoneyLeft;
import io.kairos.models.onnx.LinearOnnx;
import io.kairos.models.uplift.FixedUplift;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.Score;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.Holdout;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferStatus;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Decisions, wallet, checkout and orders through real shopper and campaign entities (in-memory journal): the records
 * decisions leave, holdouts, caps across linked identities, exactly-once redemption under concurrency, cancellation,
 * the model's timeout, durable triggers and replay.
 */
class ShopperOffersTest {
    // No exploration here: every eligible request issues the greedy offer (exploration has its own tests).
    private static final OfferFixture fx = new OfferFixture(OfferFixture.OFFERS.withEpsilon(0));
    private static final Instant NOW = Campaigns.START.plus(Duration.ofDays(3));
    private static final AtomicInteger ids = new AtomicInteger();

    private String campaignA;
    private String campaignB;

    @AfterAll
    static void shutdown() {
        fx.close();
    }

    @BeforeEach
    void setUp() {
        fx.model.set(null);
        int n = ids.incrementAndGet();
        fx.scope.set("t" + n + "-");
        campaignA = "t" + n + "-a";
        campaignB = "t" + n + "-b";
    }

    private static String shopperId() {
        return "s" + ids.incrementAndGet();
    }

    private static BehaviourEvent view(Instant at) {
        return BehaviourEvent.of("e-" + ids.incrementAndGet(), EventType.VIEW, at);
    }

    private static List<Offer> offers(
            EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit, Instant now) {
        return ((Decided) kit.<DecideReply>runCommand(r -> new DecideOffers(null, now, r))
                        .reply())
                .offers();
    }

    private static <E> List<E> eventsOf(
            EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit,
            String shopperId,
            Class<E> type) {
        var persisted = akka.persistence.testkit.javadsl.PersistenceTestKit.create(fx.testKit.system())
                .persistedInStorage(ShopperEntity.ENTITY_KEY.name() + "|" + shopperId);
        return persisted.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <E> E only(List<ShopperEvent> events, Class<E> type) {
        var matching = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("%s among %s", type.getSimpleName(), events).hasSize(1);
        return matching.get(0);
    }

    /** The offer one explicit decision of {@code kit}'s shopper issues (exactly one). */
    private static OfferIssued issuedBy(EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit) {
        return only(
                kit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r)).events(), OfferIssued.class);
    }

    private EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> knownShopper(String id) {
        var kit = fx.kit(id);
        kit.<Recorded>runCommand(r -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW.minusSeconds(60), r));
        return kit;
    }

    // ---- decisions ----

    @Test
    void anExplicitRequestIssuesTheBestOfferAndRecordsEverythingThatProducedIt() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        fx.create(Campaigns.campaign(campaignB, Campaigns.amountOff("10"), "100"));
        fx.model.set(OfferFixture.upliftByCampaign(Map.of(campaignA, 0.02, campaignB, 0.08)));
        var id = shopperId();
        var kit = knownShopper(id);

        var result = kit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r));
        var found = ((Decided) result.reply()).offers();
        assertThat(found).hasSize(1);
        var offer = found.get(0);
        assertThat(offer.campaignId()).isEqualTo(campaignB);
        assertThat(offer.status()).isEqualTo(OfferStatus.ISSUED);
        assertThat(offer.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(offer.channel()).isEqualTo("in_app");

        var issued = only(result.events(), OfferIssued.class);
        var record = issued.decision();
        assertThat(record.decisionId()).isEqualTo(offer.decisionId());
        assertThat(record.trigger()).isEqualTo("request");
        assertThat(record.scoring().model().name()).isEqualTo("test-uplift");
        assertThat(record.scoring().model().version()).isEqualTo("7");
        assertThat(record.scoring().source()).isEqualTo("model");
        assertThat(record.scoring().candidates())
                .extracting(c -> c.campaignId())
                .containsExactlyInAnyOrder(campaignA, campaignB);
        assertThat(record.chosenCampaignId()).isEqualTo(campaignB);
        // no exploration in this fixture: the greedy action with certainty
        assertThat(record.propensity()).isEqualTo(1.0);
        assertThat(record.choice().rule()).isEqualTo("highest-expected-value");
        assertThat(record.choice().reservation().amount()).isEqualByComparingTo("10");
        assertThat(record.inputs().features().numbers()).containsKey("eventCount");
        assertThat(record.inputs().featuresHash())
                .isEqualTo(record.inputs().features().hash());
        assertThat(record.chosen().value().expected()).isPositive();
        // the campaign holds the coupon's maximum cost for it
        assertThat(fx.snapshot(campaignB).reserved()).isEqualByComparingTo("10");
    }

    @Test
    void aCampaignThatRefusesTheReservationGivesWayToTheNextBestOfferAndTheRecordNamesTheRefusal() {
        // evenly paced over 30 days, on day 3 each campaign may commit 19 % of its budget: one coupon each; the better
        // one, B, goes first
        fx.create(Campaigns.withPacing(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "40"), PacingMode.EVEN));
        fx.create(
                Campaigns.withPacing(Campaigns.campaign(campaignB, Campaigns.amountOff("10"), "100"), PacingMode.EVEN));
        fx.model.set(OfferFixture.upliftByCampaign(Map.of(campaignA, 0.02, campaignB, 0.08)));
        assertThat(issuedBy(knownShopper(shopperId())).offer().campaignId()).isEqualTo(campaignB);

        var issued = issuedBy(knownShopper(shopperId()));

        assertThat(issued.offer().campaignId()).isEqualTo(campaignA);
        var choice = issued.decision().choice();
        assertThat(choice.refused()).containsExactly(new DecisionRecord.Refusal(campaignB, "pacing"));
        assertThat(choice.rule()).isEqualTo("highest-expected-value");
        // no exploration: the greedy action among the campaigns left, with certainty
        assertThat(choice.propensity()).isEqualTo(1.0);
        assertThat(choice.reservation().amount()).isEqualByComparingTo("5");
        assertThat(fx.snapshot(campaignB).reserved()).isEqualByComparingTo("10");
        assertThat(fx.snapshot(campaignA).reserved()).isEqualByComparingTo("5");
        // the funnel counts the refusal for the campaign that refused, the offer for the one that issued
        assertThat(FunnelFacts.decided(issued.decision(), null))
                .extracting(f -> f.campaignId() + " " + f.entry())
                .containsExactlyInAnyOrder(campaignA + " decision:issued", campaignB + " decision:refused-pacing");

        // when every campaign has refused, nothing is issued and the last refusal is the outcome
        var none = only(
                knownShopper(shopperId())
                        .<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r))
                        .events(),
                NoOfferDecided.class);
        assertThat(none.outcome()).isEqualTo("refused:pacing");
        assertThat(none.decision().chosenCampaignId()).isEqualTo(campaignA);
        assertThat(none.decision().choice().refused()).containsExactly(new DecisionRecord.Refusal(campaignB, "pacing"));
        assertThat(fx.snapshot(campaignA).issued()).isEqualTo(1);
    }

    @Test
    void theModelServedThroughDjlDecidesAndADeliberatelyInvertedOneFlipsTheChoice() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        fx.create(Campaigns.campaign(campaignB, Campaigns.amountOff("5"), "100"));
        try (var favoursB = LinearOnnx.of(Map.of(campaignA, 0.1f, campaignB, 1.5f), true)
                        .serve("linear", "1");
                var inverted = LinearOnnx.of(Map.of(campaignA, 1.5f, campaignB, 0.1f), true)
                        .serve("linear", "2")) {
            fx.model.set(favoursB);
            var first = issuedBy(knownShopper(shopperId()));
            assertThat(first.decision().chosenCampaignId()).isEqualTo(campaignB);
            assertThat(first.decision().scoring().model())
                    .isEqualTo(new DecisionRecord.Model("linear", "1", favoursB.engine()));
            assertThat(favoursB.engine()).startsWith("OnnxRuntime ");

            fx.model.set(inverted);
            var second = issuedBy(knownShopper(shopperId()));
            assertThat(second.decision().chosenCampaignId()).isEqualTo(campaignA);
            assertThat(second.decision().scoring().model().version()).isEqualTo("2");
            // the recorded scores are the ONNX graph's: sigmoid(-2 + 1.5) for the chosen, sigmoid(-2) without
            var chosen = second.decision().chosen().response();
            assertThat(chosen.pWithOffer())
                    .isCloseTo(1 / (1 + Math.exp(0.5)), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(chosen.pWithoutOffer())
                    .isCloseTo(1 / (1 + Math.exp(2)), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /**
     * A shopper who claimed two {@code couponType} coupons before {@link #NOW} (claims only: a first order would start
     * a lifecycle decision of its own).
     */
    private EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> answersTo(String couponType) {
        var kit = knownShopper(shopperId());
        var at = NOW.minus(Duration.ofDays(2));
        var claims = List.of(
                BehaviourEvent.of("e-" + ids.incrementAndGet(), EventType.COUPON_CLAIM, at)
                        .withAttributes(Map.of("couponType", couponType)),
                BehaviourEvent.of("e-" + ids.incrementAndGet(), EventType.COUPON_CLAIM, at.plusSeconds(60))
                        .withAttributes(Map.of("couponType", couponType)));
        kit.<Recorded>runCommand(r -> new RecordEvents(claims, at.plusSeconds(60), r));
        return kit;
    }

    @Test
    void twoShoppersWithDifferentCouponHistoriesGetDifferentCouponTypesFromTheSameCampaigns() {
        var percent = new Coupon(
                CouponType.PERCENT_OFF, new BigDecimal("10"), null, new BigDecimal("5"), List.of(), List.of(), null);
        var shipping =
                new Coupon(CouponType.FREE_SHIPPING, new BigDecimal("5"), null, null, List.of(), List.of(), null);
        fx.create(Campaigns.campaign(campaignA, percent, "100"));
        fx.create(Campaigns.campaign(campaignB, shipping, "100"));
        // A model that answers to the candidate's typePreference: the share of its coupon type in the shopper's
        // history. Both campaigns are the same to it otherwise.
        var offer = new io.kairos.models.features.FeatureSchema(
                List.of(io.kairos.models.features.Feature.numeric("typePreference")));
        try (var model = LinearOnnx.of(offer, new float[] {3f}, true).serve("preference", "1")) {
            fx.model.set(model);
            var discountShopper = answersTo("percent_off");
            var shippingShopper = answersTo("free_shipping");
            var first = issuedBy(discountShopper);
            var second = issuedBy(shippingShopper);
            assertThat(first.offer().coupon().type()).isEqualTo(CouponType.PERCENT_OFF);
            assertThat(second.offer().coupon().type()).isEqualTo(CouponType.FREE_SHIPPING);
            // the decision recorded what the model saw
            assertThat(first.decision().inputs().features().categories()).containsEntry("preferenceClass", "discount");
            assertThat(second.decision().chosen().offerFeatures().numbers()).containsEntry("typePreference", 1.0);
            // and the shopper view shows it
            var view = (Found) shippingShopper
                    .<ShopperReply>runCommand(r -> new GetShopper(NOW, r))
                    .reply();
            assertThat(view.summary().activity().couponPreference().preferenceClass())
                    .isEqualTo("free-shipping");
        }
    }

    @Test
    void aCampaignThatExploresIssuesOffersFromItsFirstDecisionsAndRecordsEachPropensity() {
        // Profit objective and no trained model: the safe rule's value is negative, so greedy is "no offer" and only
        // exploration issues. The campaign explores every decision: each of the 2 actions with propensity 1/2.
        // (budget for all 40: an exhausted budget would leave later decisions without a candidate)
        fx.create(Campaigns.with(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "1000"), d -> {
            d.objective = Campaign.Objective.PROFIT;
            d.exploration = 1.0;
        }));
        int decisions = 40;
        var issued = new ArrayList<OfferIssued>();
        var none = new ArrayList<NoOfferDecided>();
        for (int i = 0; i < decisions; i++) {
            var result = knownShopper(shopperId()).<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r));
            var events = result.events();
            events.stream()
                    .filter(OfferIssued.class::isInstance)
                    .map(OfferIssued.class::cast)
                    .forEach(issued::add);
            events.stream()
                    .filter(NoOfferDecided.class::isInstance)
                    .map(NoOfferDecided.class::cast)
                    .forEach(none::add);
            // the answer names the recorded decision either way
            assertThat(((Decided) result.reply()).decisionId()).isNotNull();
        }
        // every decision is recorded with its action's propensity, "no offer" included
        assertThat(issued.size() + none.size()).isEqualTo(decisions);
        for (var e : none) {
            assertThat(e.outcome()).isEqualTo(NoOfferDecided.NO_OFFER);
            assertThat(e.decision().chosenCampaignId()).isNull();
            assertThat(e.decision().propensity()).isEqualTo(0.5);
            assertThat(e.decision().choice().exploration().explored()).isTrue();
            assertThat(e.decision().scoring().candidates()).hasSize(1);
        }
        // Binomial(40, 1/2): 20 expected; [8, 32] holds with probability > 0.9999.
        assertThat(issued).hasSizeBetween(8, 32);
        for (var e : issued) {
            var record = e.decision();
            assertThat(record.scoring().source()).isEqualTo("safe-rule");
            assertThat(record.choice().exploration().epsilon()).isEqualTo(1.0);
            assertThat(record.choice().exploration().explored()).isTrue();
            assertThat(record.choice().rule()).isEqualTo("exploration");
            assertThat(record.propensity()).isEqualTo(0.5);
            assertThat(record.chosen().value().expected()).isNegative();
        }
    }

    @Test
    void readingTheWalletDecidesNothingAndPersistsNothing() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var kit = knownShopper(shopperId());

        var read = kit.<OffersReply>runCommand(r -> new GetOffers(NOW, r));
        assertThat(read.events()).isEmpty();
        assertThat(((OffersFound) read.reply()).offers()).isEmpty();
        assertThat(fx.snapshot(campaignA).reserved()).isEqualByComparingTo("0");

        assertThat(offers(kit, NOW)).hasSize(1);
        var again = kit.<OffersReply>runCommand(r -> new GetOffers(NOW.plusSeconds(1), r));
        assertThat(again.events()).isEmpty();
        assertThat(((OffersFound) again.reply()).offers()).hasSize(1);
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersWithTheFirstDecisionAndDecidesNothingMore() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var kit = knownShopper(shopperId());
        var first = kit.<DecideReply>runCommand(r -> new DecideOffers("key-1", NOW, r));
        var decided = (Decided) first.reply();
        assertThat(decided.decisionId()).isNotNull();
        assertThat(decided.offers()).singleElement().satisfies(o -> assertThat(o.decisionId())
                .isEqualTo(decided.decisionId()));
        assertThat(only(first.events(), DecideAnswered.class).decisionId()).isEqualTo(decided.decisionId());

        // A second campaign would be issued by a new decision; the same key makes none.
        fx.create(Campaigns.campaign(campaignB, Campaigns.amountOff("10"), "100"));
        var repeated = kit.<DecideReply>runCommand(r -> new DecideOffers("key-1", NOW.plusSeconds(5), r));
        assertThat(repeated.events()).isEmpty();
        assertThat(((Decided) repeated.reply()).decisionId()).isEqualTo(decided.decisionId());
        assertThat(((Decided) repeated.reply()).offers()).hasSize(1);
        assertThat(fx.snapshot(campaignB).issued()).isZero();

        // A new key decides again.
        var other = (Decided) kit.<DecideReply>runCommand(r -> new DecideOffers("key-2", NOW.plusSeconds(10), r))
                .reply();
        assertThat(other.offers()).hasSize(2);
        assertThat(other.decisionId()).isNotEqualTo(decided.decisionId());
    }

    @Test
    void aGuestSeesPreviewsOfWhatAnyoneMayGetAndNothingIsPersisted() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        fx.create(Campaigns.with(
                Campaigns.campaign(campaignB, Campaigns.amountOff("10"), "100"),
                d -> d.eligibility =
                        new Campaign.Eligibility(java.util.Set.of(LifecycleStage.ACTIVE), java.util.Set.of())));
        var kit = fx.kit(shopperId());

        var guest = kit.<DecideReply>runCommand(r -> new DecideOffers("g-1", NOW, r));
        assertThat(guest.events()).isEmpty();
        var decided = (Decided) guest.reply();
        assertThat(decided.preview()).isTrue();
        assertThat(decided.decisionId()).isNull();
        assertThat(decided.offers()).singleElement().satisfies(o -> {
            assertThat(o.campaignId()).isEqualTo(campaignA);
            assertThat(o.status()).isEqualTo(OfferStatus.PREVIEW);
            assertThat(o.couponId()).isNull();
            assertThat(o.usableAt(NOW)).isFalse();
        });
        assertThat(fx.snapshot(campaignA).reserved()).isEqualByComparingTo("0");
        assertThat(kit.<OffersReply>runCommand(r -> new GetOffers(NOW, r)).reply())
                .isInstanceOf(OffersUnknown.class);
    }

    @Test
    void repeatedRequestsDoNotIssueTwiceForOneCampaign() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var kit = knownShopper(shopperId());
        assertThat(offers(kit, NOW)).hasSize(1);
        assertThat(offers(kit, NOW.plusSeconds(1))).hasSize(1);
        assertThat(fx.snapshot(campaignA).issued()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsForOneShopperIssueOnce() throws Exception {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var id = shopperId();
        var shopper = fx.shopper(id);
        fx.ask(shopper, (ActorRef<Recorded> r) -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW, r));
        var replies = IntStream.range(0, 50)
                .mapToObj(i -> akka.actor.typed.javadsl.AskPattern.<ShopperCommand, DecideReply>ask(
                                shopper,
                                r -> new DecideOffers(null, NOW, r),
                                Duration.ofSeconds(10),
                                fx.testKit.scheduler())
                        .toCompletableFuture())
                .toList();
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(replies)
                .allSatisfy(r -> assertThat(((Decided) r.join()).offers()).hasSize(1));
        assertThat(fx.snapshot(campaignA).issued()).isEqualTo(1);
    }

    @Test
    void aPassivationWhileADecisionWaitsStopsTheShopperOnlyAfterItAndTheCommandsBeforeIt() throws Exception {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var id = shopperId();
        var shopper = fx.shopper(id);
        fx.ask(shopper, (ActorRef<Recorded> r) -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW, r));
        fx.lateAnswers.add(Duration.ofMillis(500)); // the decision waits half a second for its reservation
        var watcher = fx.testKit.createTestProbe();

        var decided = akka.actor.typed.javadsl.AskPattern.<ShopperCommand, DecideReply>ask(
                        shopper, r -> new DecideOffers(null, NOW, r), Duration.ofSeconds(10), fx.testKit.scheduler())
                .toCompletableFuture();
        var read = akka.actor.typed.javadsl.AskPattern.<ShopperCommand, ShopperReply>ask(
                        shopper, r -> new GetShopper(NOW, r), Duration.ofSeconds(10), fx.testKit.scheduler())
                .toCompletableFuture();
        shopper.tell(new ShopperCommand.Passivate()); // as the shard sends it, instead of a poison pill

        assertThat(((Decided) decided.get(10, TimeUnit.SECONDS)).offers()).hasSize(1);
        assertThat(read.get(10, TimeUnit.SECONDS))
                .as("the read that waited in the stash behind the decision")
                .isInstanceOf(Found.class);
        watcher.expectTerminated(shopper, Duration.ofSeconds(10));
        var journal = akka.persistence.testkit.javadsl.PersistenceTestKit.create(fx.testKit.system())
                .persistedInStorage(ShopperEntity.ENTITY_KEY.name() + "|" + id);
        assertThat(journal.stream().filter(OfferIssued.class::isInstance)).hasSize(1);
    }

    @Test
    void aHeldOutShopperNeverGetsTheCampaignAndIsRecordedOnceAsItsControl() {
        var c = Campaigns.withHoldout(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"), 50);
        fx.create(c);
        String held = null;
        String treated = null;
        for (int i = 0; held == null || treated == null; i++) {
            var candidate = "h" + campaignA + "-" + i;
            if (Holdout.heldOut(candidate, campaignA, 50)) held = held == null ? candidate : held;
            else treated = treated == null ? candidate : treated;
        }
        var heldKit = knownShopper(held);
        var first = heldKit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r));
        assertThat(((Decided) first.reply()).offers()).isEmpty();
        var assigned = only(first.events(), HoldoutAssigned.class);
        assertThat(assigned.campaignId()).isEqualTo(campaignA);
        assertThat(assigned.decision().holdout()).isTrue();
        assertThat(assigned.decision().propensity()).isEqualTo(0.5);
        assertThat(assigned.decision().choice().rule()).isEqualTo("holdout");
        var second = heldKit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW.plusSeconds(5), r));
        assertThat(second.events()).noneMatch(e -> e instanceof HoldoutAssigned);
        assertThat(offers(knownShopper(treated), NOW)).hasSize(1);
    }

    @Test
    void theContactCapLimitsOffersAcrossCampaigns() {
        var campaigns = new ArrayList<String>();
        for (int i = 0; i < OfferFixture.OFFERS.contactCapMax() + 1; i++) {
            var id = campaignA + "-" + i;
            campaigns.add(id);
            fx.create(Campaigns.campaign(id, Campaigns.amountOff("1"), "100"));
        }
        var id = shopperId();
        var kit = knownShopper(id);
        // one offer per decision: the cap (3 in 7 days) stops the fourth
        for (int i = 0; i < 5; i++) offers(kit, NOW.plusSeconds(i));
        var issued = eventsOf(kit, id, OfferIssued.class).stream()
                .filter(e -> e.offer().campaignId().startsWith(campaignA + "-"))
                .toList();
        assertThat(issued).hasSize(OfferFixture.OFFERS.contactCapMax());
        // a week later the window has moved on
        offers(kit, NOW.plus(Duration.ofDays(8)));
        assertThat(eventsOf(kit, id, OfferIssued.class).stream()
                        .filter(e -> e.offer().campaignId().startsWith(campaignA + "-")))
                .hasSize(OfferFixture.OFFERS.contactCapMax() + 1);
    }

    @Test
    void campaignCapsCountAcrossLinkedIdentities() {
        fx.create(Campaigns.withCaps(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"), 1, 30));
        var person = "p" + campaignA;
        var phone = "phone:" + campaignA;
        var personRef = fx.shopper(person);
        var phoneRef = fx.shopper(phone);
        fx.ask(personRef, (ActorRef<Recorded> r) -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW, r));
        fx.ask(phoneRef, (ActorRef<Recorded> r) -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW, r));
        // the phone, still its own person, gets the campaign's offer...
        var onPhone = (Decided) fx.ask(phoneRef, (ActorRef<DecideReply> r) -> new DecideOffers(null, NOW, r));
        assertThat(onPhone.offers()).hasSize(1);
        // ...then it is linked: its offer and contacts move to the person
        var linked = fx.ask(personRef, (ActorRef<LinkReply> r) -> new LinkIdentity(phone, NOW.plusSeconds(1), r));
        assertThat(linked).isInstanceOf(Linked.class);
        // expire the offer so only the per-person cap (1 in 30 days) stands between the person and a second offer
        var later = NOW.plus(Duration.ofDays(8));
        var asPerson = (Decided) fx.ask(personRef, (ActorRef<DecideReply> r) -> new DecideOffers(null, later, r));
        assertThat(asPerson.offers()).extracting(Offer::campaignId).containsExactly(campaignA);
        assertThat(asPerson.offers().get(0).statusAt(later)).isEqualTo(OfferStatus.EXPIRED);
        // asking under the phone reaches the person and finds the same cap
        var asPhone = (Decided) fx.ask(phoneRef, (ActorRef<DecideReply> r) -> new DecideOffers(null, later, r));
        assertThat(asPhone.shopperId()).isEqualTo(person);
        assertThat(asPhone.offers()).hasSize(1);
        assertThat(fx.snapshot(campaignA).issued()).isEqualTo(1);
    }

    @Test
    void aSlowModelFallsBackToTheSafeRuleAndTheDecisionSaysSo() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        fx.model.set(new UpliftScorer() {
            @Override
            public List<Score> score(ShopperFeatures shopper, List<OfferFeatures> candidates) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }

            @Override
            public String modelName() {
                return "slow";
            }

            @Override
            public String engine() {
                return "sleep";
            }

            @Override
            public String modelVersion() {
                return "1";
            }
        });
        var record = issuedBy(knownShopper(shopperId())).decision();
        assertThat(record.scoring().source()).isEqualTo("safe-rule");
        assertThat(record.scoring().model().name()).isEqualTo("safe-rule");
        assertThat(record.scoring().note()).contains("slow", "timed out");
    }

    @Test
    void aModelThatAnswersNaNDoesNotDecideAndTheShopperKeepsServing() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        // what an imported model without an imputer answers for a missing value
        fx.model.set(new FixedUplift("nan", "1", Map.of(), Double.NaN, 0.1, 50.0));
        var record = issuedBy(knownShopper(shopperId())).decision();
        assertThat(record.scoring().source()).isEqualTo("safe-rule");
        assertThat(record.scoring().note()).contains("nan 1 answered P(convert) NaN");
        assertThat(record.scoring().candidates())
                .allSatisfy(c -> assertThat(c.response().uplift()).isFinite());
    }

    @Test
    void replayRebuildsEveryDecisionWithoutCallingTheModel() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        // this test's own count: the fixture's is shared, and a slow model of an earlier test may still answer into it
        var own = new java.util.concurrent.atomic.AtomicLong();
        fx.model.set(new io.kairos.offer.TimedScorer(OfferFixture.upliftByCampaign(Map.of(campaignA, 0.05)), own));
        var kit = knownShopper(shopperId());
        offers(kit, NOW);
        // any decision the shopper's first event set off in the background has asked the model too
        var settled = new java.util.concurrent.atomic.AtomicLong(-1);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> settled.getAndSet(own.get()) == own.get());
        long calls = own.get();
        assertThat(calls).as("the decision asked the model").isPositive();
        var before = kit.getState();
        kit.restart();
        assertThat(kit.getState()).isEqualTo(before);
        assertThat(own.get()).isEqualTo(calls);
    }

    // ---- triggers ----

    @Test
    void cartAbandonmentIsScheduledDurablyAndDecidedWhenDue() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var kit = fx.kit(shopperId());
        var cartAt = NOW.minusSeconds(10);
        var recorded = kit.<Recorded>runCommand(r -> new RecordEvents(
                List.of(BehaviourEvent.of("cart-" + campaignA, EventType.ADD_TO_CART, cartAt)), NOW, r));
        var due = cartAt.plus(OfferFixture.OFFERS.cartAbandonmentDelay());
        assertThat(recorded.events())
                .anyMatch(e -> e instanceof TriggerScheduled t
                        && t.trigger().kind().equals("cart_abandonment")
                        && t.trigger().dueAt().equals(due));
        kit.restart();
        assertThat(((Person) kit.getState()).offers().triggers()).containsKey("cart_abandonment");
        var early = kit.<Woken>runCommand(r -> new Wake(due.minusSeconds(1), r));
        assertThat(early.events()).noneMatch(e -> e instanceof OfferIssued);
        var onTime = kit.<Woken>runCommand(r -> new Wake(due, r));
        assertThat(onTime.reply().fired()).containsExactly("cart_abandonment");
        var issued = only(onTime.events(), OfferIssued.class);
        assertThat(issued.decision().trigger()).isEqualTo("cart_abandoned");
        assertThat(((Person) kit.getState()).offers().triggers()).doesNotContainKey("cart_abandonment");
    }

    @Test
    void anOrderAfterTheCartCancelsTheAbandonmentDecision() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var kit = fx.kit(shopperId());
        var cartAt = NOW.minusSeconds(10);
        kit.<Recorded>runCommand(r -> new RecordEvents(
                List.of(BehaviourEvent.of("cart2-" + campaignA, EventType.ADD_TO_CART, cartAt)), NOW, r));
        var order = BehaviourEvent.of("order2-" + campaignA, EventType.ORDER, NOW)
                .withOrder("o-" + campaignA, new BigDecimal("20"));
        kit.<Recorded>runCommand(r -> new RecordEvents(List.of(order), NOW, r));
        var woken = kit.<Woken>runCommand(r -> new Wake(cartAt.plus(Duration.ofHours(2)), r));
        assertThat(woken.events())
                .anyMatch(e -> e instanceof TriggerFired f
                        && f.kind().equals("cart_abandonment")
                        && f.outcome().contains("ordered"));
    }

    @Test
    void aLifecycleTransitionStartsADecisionByItself() {
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var id = shopperId();
        var shopper = fx.shopper(id);
        var order = BehaviourEvent.of("first-order-" + id, EventType.ORDER, NOW)
                .withOrder("fo-" + id, new BigDecimal("30"));
        fx.ask(shopper, (ActorRef<Recorded> r) -> new RecordEvents(List.of(order), NOW, r));
        // new → active is a trigger stage: the shopper wakes itself and decides, with no request
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !eventsOf(null, id, OfferIssued.class).isEmpty());
        var issued = eventsOf(null, id, OfferIssued.class).get(0);
        assertThat(issued.decision().trigger()).isEqualTo("lifecycle:active");
    }

    // ---- wallet, checkout, orders ----

    /**
     * Issues one offer of a campaign capped at one per person (so the first order's lifecycle decision issues no
     * second).
     */
    private Offer issueOne(EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit, Coupon coupon) {
        fx.create(Campaigns.withCaps(Campaigns.campaign(campaignA, coupon, "100"), 1, 30));
        var found = offers(kit, NOW);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void aDeliveryIsRecordedOnceAndMovesTheOfferToDelivered() {
        var kit = knownShopper(shopperId());
        var offer = issueOne(
                kit, new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null));

        var failed = kit.<Done>runCommand(
                r -> new RecordDelivery(offer.offerId(), "email", false, "smtp 550", BigDecimal.ZERO, NOW, r));
        assertThat(failed.events()).singleElement().isInstanceOfSatisfying(DeliveryFailed.class, e -> {
            assertThat(e.channel()).isEqualTo("email");
            assertThat(e.reason()).isEqualTo("smtp 550");
        });
        assertThat(statusOf(failed, offer)).isEqualTo(OfferStatus.ISSUED);

        var cost = new BigDecimal("0.05");
        var delivered = kit.<Done>runCommand(r -> new RecordDelivery(offer.offerId(), "sms", true, null, cost, NOW, r));
        assertThat(delivered.events()).singleElement().isInstanceOfSatisfying(OfferDelivered.class, e -> {
            assertThat(e.campaignId()).isEqualTo(offer.campaignId());
            assertThat(e.decisionId()).isEqualTo(offer.decisionId());
            assertThat(e.messageCost()).isEqualByComparingTo(cost);
        });
        assertThat(statusOf(delivered, offer)).isEqualTo(OfferStatus.DELIVERED);

        // A replayed report, a failure after the delivery, an unknown offer: nothing more is recorded.
        assertThat(kit.<Done>runCommand(r -> new RecordDelivery(offer.offerId(), "sms", true, null, cost, NOW, r))
                        .events())
                .isEmpty();
        assertThat(kit.<Done>runCommand(r -> new RecordDelivery(offer.offerId(), "sms", false, "late", cost, NOW, r))
                        .events())
                .isEmpty();
        assertThat(kit.<Done>runCommand(r -> new RecordDelivery("no-such-offer", "sms", true, null, cost, NOW, r))
                        .events())
                .isEmpty();
    }

    @Test
    void aMessageOpenOrClickAboutACouponRecordsOfferOpenedAndOpensTheOffer() {
        var kit = knownShopper(shopperId());
        var offer = issueOne(
                kit, new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null));
        var click = BehaviourEvent.of("click-" + ids.incrementAndGet(), EventType.MESSAGE_CLICK, NOW)
                .withCoupon("email", offer.couponId());

        var clicked = kit.<Recorded>runCommand(r -> new RecordEvents(List.of(click), NOW, r));
        var opened = only(clicked.events(), OfferOpened.class);
        assertThat(List.of(opened.offerId(), opened.campaignId(), opened.decisionId(), opened.channel(), opened.how()))
                .containsExactly(offer.offerId(), offer.campaignId(), offer.decisionId(), "email", "message_click");
        assertThat(statusOf(clicked, offer)).isEqualTo(OfferStatus.OPENED);
        // the same event again is a duplicate: nothing recorded; an open of an unknown coupon records only the
        // behaviour
        assertThat(kit.<Recorded>runCommand(r -> new RecordEvents(List.of(click), NOW, r))
                        .events())
                .isEmpty();
        var unknown = BehaviourEvent.of("open-" + ids.incrementAndGet(), EventType.MESSAGE_OPEN, NOW)
                .withCoupon(null, "no-such-coupon");
        assertThat(kit.<Recorded>runCommand(r -> new RecordEvents(List.of(unknown), NOW, r))
                        .events())
                .noneMatch(e -> e instanceof OfferOpened);
    }

    @Test
    void aClaimedCouponIsQuotedAndRedeemedOnceIdempotentlyByOrderId() {
        fx.price("sku-1", "40.00", "30.00");
        var id = shopperId();
        var kit = knownShopper(id);
        var offer = issueOne(
                kit,
                new Coupon(
                        CouponType.PERCENT_OFF,
                        new BigDecimal("20"),
                        null,
                        new BigDecimal("15"),
                        List.of(),
                        List.of(),
                        null));

        var claimed = kit.<ClaimReply>runCommand(r -> new ClaimCoupon(offer.couponId(), NOW, r))
                .reply();
        assertThat(((CouponClaimed) claimed).offer().status()).isEqualTo(OfferStatus.CLAIMED);

        var items = List.of(new CartItem("sku-1", 2, null));
        var quote = (Quoted) kit.<QuoteReply>runCommand(r -> new QuoteCheckout(items, null, null, fx.prices(), NOW, r))
                .reply();
        // 20 % of 80 = 16, capped at 15
        assertThat(quote.quote().best().itemDiscount()).isEqualByComparingTo("15.00");
        assertThat(quote.quote().best().total()).isEqualByComparingTo("65.00");
        assertThat(kit.<QuoteReply>runCommand(r -> new QuoteCheckout(items, null, null, fx.prices(), NOW, r))
                        .events())
                .isEmpty();

        var placed = kit.<OrderReply>runCommand(
                r -> new PlaceOrder("ord-" + id, items, List.of(offer.couponId()), null, fx.prices(), NOW, r));
        var accepted = (OrderAccepted) placed.reply();
        assertThat(accepted.repeated()).isFalse();
        assertThat(accepted.order().applied()).singleElement().satisfies(a -> assertThat(a.discount())
                .isEqualByComparingTo("15.00"));
        assertThat(fx.snapshot(campaignA).spent()).isEqualByComparingTo("15.00");
        assertThat(fx.snapshot(campaignA).reserved()).isEqualByComparingTo("0");

        var again = (OrderAccepted) kit.<OrderReply>runCommand(
                        r -> new PlaceOrder("ord-" + id, items, List.of(offer.couponId()), null, fx.prices(), NOW, r))
                .reply();
        assertThat(again.repeated()).isTrue();
        assertThat(again.order()).isEqualTo(accepted.order());
        var other = kit.<OrderReply>runCommand(
                        r -> new PlaceOrder("ord2-" + id, items, List.of(offer.couponId()), null, fx.prices(), NOW, r))
                .reply();
        assertThat(other)
                .isEqualTo(new OrderRejected(
                        OrderRejection.COUPON_NOT_USABLE, "coupon " + offer.couponId() + " is already used"));
        assertThat(fx.snapshot(campaignA).spent()).isEqualByComparingTo("15.00");
    }

    @Test
    void anExpiredOrUnknownCouponIsRefusedAndAnUnpricedSkuIsUnprocessable() {
        fx.price("sku-2", "10.00", null);
        var kit = knownShopper(shopperId());
        var offer = issueOne(kit, Campaigns.amountOff("2"));
        var items = List.of(new CartItem("sku-2", 1, null));
        var late = offer.expiresAt();
        assertThat(kit.<OrderReply>runCommand(
                                r -> new PlaceOrder("x1", items, List.of(offer.couponId()), null, fx.prices(), late, r))
                        .reply())
                .isEqualTo(new OrderRejected(
                        OrderRejection.COUPON_NOT_USABLE, "coupon " + offer.couponId() + " is expired"));
        assertThat(((OrderRejected) kit.<OrderReply>runCommand(
                                        r -> new PlaceOrder("x2", items, List.of("cp-nope"), null, fx.prices(), NOW, r))
                                .reply())
                        .reason())
                .isEqualTo(OrderRejection.NOT_APPLICABLE);
        assertThat(((OrderRejected) kit.<OrderReply>runCommand(r -> new PlaceOrder(
                                        "x3",
                                        List.of(new CartItem("unpriced", 1, null)),
                                        List.of(),
                                        null,
                                        fx.prices(),
                                        NOW,
                                        r))
                                .reply())
                        .reason())
                .isEqualTo(OrderRejection.NOT_APPLICABLE);
    }

    @Test
    void aCouponWhoseBudgetTheCampaignReleasedIsRefusedAndRevoked() {
        fx.price("sku-2", "10.00", null);
        var kit = knownShopper(shopperId());
        var offer = issueOne(kit, Campaigns.amountOff("2"));
        var released = fx.testKit.<CampaignEntity.SettleReply>createTestProbe();
        fx.campaign(campaignA).tell(new CampaignEntity.Release(offer.offerId(), "operator", NOW, released.getRef()));
        released.receiveMessage();

        orderIsRefusedAndTheCouponRevoked(kit, offer, "rel-1", "campaign: released");
        assertThat(fx.snapshot(campaignA).spent()).isEqualByComparingTo("0");
    }

    /** An order of one sku-2 with {@code offer}'s coupon is refused, and the coupon revoked for {@code reason}. */
    private void orderIsRefusedAndTheCouponRevoked(
            EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit,
            Offer offer,
            String orderId,
            String reason) {
        var items = List.of(new CartItem("sku-2", 1, null));
        var placed = kit.<OrderReply>runCommand(
                r -> new PlaceOrder(orderId, items, List.of(offer.couponId()), null, fx.prices(), NOW, r));
        assertThat(((OrderRejected) placed.reply()).reason()).isEqualTo(OrderRejection.COUPON_NOT_USABLE);
        assertThat(placed.events()).singleElement().isEqualTo(new OfferRevoked(offer.offerId(), reason, NOW));
    }

    @Test
    void anOverbookedCampaignWhoseMoneyLeftCannotPayTheCouponLeavesItOutOfPricesAndQuotesAndRefusesIt() {
        fx.price("sku-2", "10.00", null);
        var kit = knownShopper(shopperId());
        fx.create(Campaigns.with(
                Campaigns.withCaps(Campaigns.campaign(campaignA, Campaigns.amountOff("2"), "3"), 1, 30),
                d -> d.overbooking = 2.0));
        var offer = offers(kit, NOW).get(0);
        var items = List.of(new CartItem("sku-2", 1, null));
        assertThat(priceOfSku2(kit).couponIds()).as("while the money pays it").containsExactly(offer.couponId());
        // another shopper's coupon of the same campaign is redeemed first and spends 2 of the 3
        var money = fx.testKit.<CampaignEntity.ReserveReply>createTestProbe();
        fx.campaign(campaignA)
                .tell(new CampaignEntity.Reserve(
                        "other", new BigDecimal("2"), NOW.plus(Duration.ofDays(7)), NOW, money.getRef()));
        money.receiveMessage();
        var settled = fx.testKit.<CampaignEntity.SettleReply>createTestProbe();
        fx.campaign(campaignA)
                .tell(new CampaignEntity.Commit("other", "other-order", new BigDecimal("2"), NOW, settled.getRef()));
        settled.receiveMessage();

        // 1 left, the coupon takes 2 off: the shopper's price and the quote no longer count it
        var price = priceOfSku2(kit);
        assertThat(price.couponIds()).isEmpty();
        assertThat(price.unpaid()).containsExactly(offer.couponId());
        assertThat(price.youPay()).isEqualByComparingTo("10.00");
        var quote = (Quoted) kit.<QuoteReply>runCommand(r -> new QuoteCheckout(items, null, null, fx.prices(), NOW, r))
                .reply();
        assertThat(quote.quote().best().discount()).isEqualByComparingTo("0");
        assertThat(quote.unusable())
                .singleElement()
                .satisfies(u -> assertThat(u.couponId()).isEqualTo(offer.couponId()))
                .satisfies(u -> assertThat(u.reason()).contains("has 1 left", "the 2.00 it would take off"));

        orderIsRefusedAndTheCouponRevoked(kit, offer, "ob-1", "campaign: budget");
        assertThat(fx.snapshot(campaignA).spent()).isEqualByComparingTo("2");
        assertThat(fx.snapshot(campaignA).reserved()).isEqualByComparingTo("0");
        // without the coupon the order goes through at the full price
        var full = kit.<OrderReply>runCommand(r -> new PlaceOrder("ob-2", items, List.of(), null, fx.prices(), NOW, r));
        assertThat(full.reply()).isInstanceOf(OrderAccepted.class);
    }

    private ShopperPrice priceOfSku2(EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit) {
        var reply = kit.<PricesReply>runCommand(r -> new GetPrices(List.of("sku-2"), fx.prices(), NOW, r));
        return ((ShopperPrices) reply.reply()).prices().get(0);
    }

    @Test
    void twoHundredConcurrentRedemptionsOfOneCouponSucceedExactlyOnce() throws Exception {
        fx.price("sku-3", "25.00", null);
        var id = shopperId();
        fx.create(Campaigns.campaign(campaignA, Campaigns.amountOff("5"), "100"));
        var shopper = fx.shopper(id);
        fx.ask(shopper, (ActorRef<Recorded> r) -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW, r));
        var offer = ((Decided) fx.ask(shopper, (ActorRef<DecideReply> r) -> new DecideOffers(null, NOW, r)))
                .offers()
                .get(0);
        var items = List.of(new CartItem("sku-3", 1, null));
        var replies = IntStream.range(0, 200)
                .mapToObj(i -> akka.actor.typed.javadsl.AskPattern.<ShopperCommand, OrderReply>ask(
                                shopper,
                                r -> new PlaceOrder(
                                        "race-" + i, items, List.of(offer.couponId()), null, fx.prices(), NOW, r),
                                Duration.ofSeconds(20),
                                fx.testKit.scheduler())
                        .toCompletableFuture())
                .toList();
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        var accepted = replies.stream()
                .map(CompletableFuture::join)
                .filter(r -> r instanceof OrderAccepted)
                .toList();
        assertThat(accepted).hasSize(1);
        assertThat(replies.stream()
                        .map(CompletableFuture::join)
                        .filter(r ->
                                r instanceof OrderRejected rej && rej.reason() == OrderRejection.COUPON_NOT_USABLE))
                .hasSize(199);
        var snapshot = fx.snapshot(campaignA);
        assertThat(snapshot.redeemed()).isEqualTo(1);
        assertThat(snapshot.spent()).isEqualByComparingTo("5");
    }

    @Test
    void cancellingAnOrderGivesTheCouponsUsageAndBudgetBack() {
        var id = shopperId();
        var kit = knownShopper(id);
        var offer = issueOne(kit, Campaigns.amountOff("6"));
        fx.price("sku-4", "30.00", null); // the price the order pays
        var items = List.of(new CartItem("sku-4", 1, null));
        kit.<OrderReply>runCommand(
                r -> new PlaceOrder("c-" + id, items, List.of(offer.couponId()), null, fx.prices(), NOW, r));
        assertThat(fx.snapshot(campaignA).spent()).isEqualByComparingTo("6");

        var cancelled = kit.<OrderReply>runCommand(r -> new CancelOrder("c-" + id, NOW.plusSeconds(60), r));
        assertThat(((OrderAccepted) cancelled.reply()).order().cancelled()).isTrue();
        var snapshot = fx.snapshot(campaignA);
        assertThat(snapshot.spent()).isEqualByComparingTo("0");
        assertThat(snapshot.reserved()).isEqualByComparingTo("6");
        assertThat(snapshot.redeemed()).isZero();
        assertThat(snapshot.returned()).isEqualTo(1);
        // the coupon is usable again, by a new order; never claimed, it comes back issued, not claimed
        var returned =
                ((Person) kit.getState()).offers().byCoupon(offer.couponId()).orElseThrow();
        assertThat(returned.status()).isEqualTo(OfferStatus.ISSUED);
        assertThat(returned.claimedAt()).isNull();
        assertThat(kit.<OrderReply>runCommand(r -> new PlaceOrder(
                                "c2-" + id,
                                items,
                                List.of(offer.couponId()),
                                null,
                                fx.prices(),
                                NOW.plusSeconds(120),
                                r))
                        .reply())
                .isInstanceOf(OrderAccepted.class);
        // cancelling again is idempotent
        assertThat(((OrderAccepted) kit.<OrderReply>runCommand(r -> new CancelOrder("c-" + id, NOW.plusSeconds(180), r))
                                .reply())
                        .repeated())
                .isTrue();
    }

    @Test
    void theShoppersPriceIsTheOnePriceLessTheBestCouponAndNeverUnderTheFloor() {
        var id = shopperId();
        var kit = knownShopper(id);
        issueOne(kit, Campaigns.amountOff("6"));
        fx.price("cheap", "8.00", "5.00");
        fx.price("dear", "30.00", null);
        var skus = List.of("dear", "cheap", "unknown");

        var reply = (ShopperPrices) kit.<PricesReply>runCommand(r -> new GetPrices(skus, fx.prices(), NOW, r))
                .reply();
        assertThat(reply.guest()).isFalse();
        assertThat(reply.prices()).extracting(ShopperPrice::sku).containsExactly("dear", "cheap");
        var dear = reply.prices().get(0);
        assertThat(dear.price().price()).isEqualByComparingTo("30.00");
        assertThat(dear.discount()).isEqualByComparingTo("6.00");
        assertThat(dear.youPay()).isEqualByComparingTo("24.00");
        assertThat(dear.couponIds()).hasSize(1);
        assertThat(dear.floorCapped()).isFalse();
        // the coupon would take 6 off 8: the floor of 5 limits it to 3
        var cheap = reply.prices().get(1);
        assertThat(cheap.discount()).isEqualByComparingTo("3.00");
        assertThat(cheap.youPay()).isEqualByComparingTo("5.00");
        assertThat(cheap.floorCapped()).as("the floor cut the discount down").isTrue();

        var guest = (ShopperPrices) fx.kit(shopperId())
                .<PricesReply>runCommand(r -> new GetPrices(skus, fx.prices(), NOW, r))
                .reply();
        assertThat(guest.guest()).isTrue();
        assertThat(guest.prices()).allSatisfy(p -> {
            assertThat(p.discount()).isEqualByComparingTo("0");
            assertThat(p.youPay()).isEqualByComparingTo(p.price().price());
        });
    }

    /**
     * Once a price read reached the shopper's actor, the node's live wallets answer the next reads as the actor would,
     * follow each durable change of the wallet, and forget the shopper as it stops.
     */
    @Test
    void theLiveWalletsAnswerAsTheActorFromItsLastDurableStateUntilItStops() {
        var wallets = LiveWallets.get(fx.testKit.system());
        var id = shopperId();
        var kit = knownShopper(id);
        fx.price("dear", "30.00", null);
        var skus = List.of("dear");
        assertThat(wallets.prices(id, skus, fx.prices(), NOW))
                .as("no read reached the actor yet")
                .isEmpty();

        var before = (ShopperPrices) kit.<PricesReply>runCommand(r -> new GetPrices(skus, fx.prices(), NOW, r))
                .reply();
        assertThat(before.prices().get(0).discount()).isEqualByComparingTo("0");
        assertThat(wallets.prices(id, skus, fx.prices(), NOW)).contains(before);

        issueOne(kit, Campaigns.amountOff("6")); // persisted: the entry follows
        var after = (ShopperPrices) kit.<PricesReply>runCommand(r -> new GetPrices(skus, fx.prices(), NOW, r))
                .reply();
        assertThat(after.prices().get(0).discount()).isEqualByComparingTo("6.00");
        assertThat(wallets.prices(id, skus, fx.prices(), NOW)).contains(after);
    }

    @Test
    void aShopperThatStopsLeavesTheLiveWallets() throws Exception {
        var wallets = LiveWallets.get(fx.testKit.system());
        var id = shopperId();
        var shopper = fx.shopper(id);
        fx.ask(shopper, (ActorRef<Recorded> r) -> new RecordEvents(List.of(view(NOW.minusSeconds(60))), NOW, r));
        var skus = List.of("dear");
        fx.ask(shopper, (ActorRef<PricesReply> r) -> new GetPrices(skus, fx.prices(), NOW, r));
        assertThat(wallets.prices(id, skus, fx.prices(), NOW)).isPresent();

        var watcher = fx.testKit.createTestProbe();
        shopper.tell(new ShopperCommand.Passivate()); // as the shard sends it
        watcher.expectTerminated(shopper, Duration.ofSeconds(10));
        assertThat(wallets.prices(id, skus, fx.prices(), NOW)).as("stopped").isEmpty();
    }

    @Test
    void liveWalletsHoldNoMoreThanTheirCapacityAndReadTheActorAgainAfterTheirRefresh() throws Exception {
        var person = Person.empty();
        var prices = fx.prices();
        var read = new GetPrices(List.of(), prices, NOW, null); // a read that reached the actor
        var full = new LiveWallets(1, Duration.ofDays(1));
        full.answer("a", person, read, MoneyLeft.ANY);
        full.answer("b", person, read, MoneyLeft.ANY);
        assertThat(full.prices("a", List.of(), prices, NOW)).isPresent();
        assertThat(full.prices("b", List.of(), prices, NOW))
                .as("beyond the capacity")
                .isEmpty();
        full.changed("b", person);
        assertThat(full.prices("b", List.of(), prices, NOW))
                .as("a change enters nobody")
                .isEmpty();
        full.changed("a", new ShopperState.Alias("c", null, NOW));
        assertThat(full.prices("a", List.of(), prices, NOW))
                .as("no longer a person")
                .isEmpty();

        var stale = new LiveWallets(10, Duration.ofMillis(1));
        stale.answer("a", person, read, MoneyLeft.ANY);
        Thread.sleep(5);
        assertThat(stale.prices("a", List.of(), prices, NOW))
                .as("older than the refresh")
                .isEmpty();
    }

    /** A category coupon covers a SKU by the catalogue's category in quotes and orders, as in the shopper's price. */
    @Test
    void aCategoryCouponAppliesByTheCataloguesCategoryNotTheCartsClaim() {
        var id = shopperId();
        var kit = knownShopper(id);
        var offer = issueOne(
                kit,
                new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("2"), null, null, List.of(), List.of("tea"), null));
        fx.catalogued("tea-9", "12.50", "tea");
        fx.catalogued("mug-9", "8.00", "kitchen");
        var tea = (Quoted) kit.<QuoteReply>runCommand(r ->
                        new QuoteCheckout(List.of(new CartItem("tea-9", 1, null)), null, null, fx.prices(), NOW, r))
                .reply();
        assertThat(tea.quote().best().itemDiscount()).isEqualByComparingTo("2.00");
        // a cart that calls the mug tea gets no discount on it
        var mug = (Quoted) kit.<QuoteReply>runCommand(r ->
                        new QuoteCheckout(List.of(new CartItem("mug-9", 1, "tea")), null, null, fx.prices(), NOW, r))
                .reply();
        assertThat(mug.quote().best().itemDiscount()).isEqualByComparingTo("0");
        var placed = (OrderAccepted) kit.<OrderReply>runCommand(r -> new PlaceOrder(
                        "cat-" + id,
                        List.of(new CartItem("tea-9", 1, null)),
                        List.of(offer.couponId()),
                        null,
                        fx.prices(),
                        NOW,
                        r))
                .reply();
        assertThat(placed.order().applied()).singleElement().satisfies(a -> assertThat(a.discount())
                .isEqualByComparingTo("2.00"));
    }

    @Test
    void aGuestIsQuotedThePricesEveryonePays() {
        fx.price("g-sku", "12.50", null);
        var kit = fx.kit(shopperId());
        var items = List.of(new CartItem("g-sku", 2, null));
        var result = kit.<QuoteReply>runCommand(r -> new QuoteCheckout(items, null, null, fx.prices(), NOW, r));
        assertThat(result.events()).isEmpty();
        var quote = (Quoted) result.reply();
        assertThat(quote.quote().best().total()).isEqualByComparingTo("25.00");
        assertThat(quote.quote().best().applied()).isEmpty();
        var missing = kit.<QuoteReply>runCommand(
                r -> new QuoteCheckout(List.of(new CartItem("nowhere", 1, null)), null, null, fx.prices(), NOW, r));
        assertThat(((QuoteRejected) missing.reply()).reason()).isEqualTo(QuoteRejection.NO_PRICE);
    }

    @Test
    void aClaimedCouponComesBackClaimedAfterItsOrderIsCancelled() {
        var id = shopperId();
        var kit = knownShopper(id);
        var offer = issueOne(kit, Campaigns.amountOff("6"));
        kit.<ClaimReply>runCommand(r -> new ClaimCoupon(offer.couponId(), NOW.plusSeconds(1), r));
        fx.price("sku-4", "30.00", null);
        var items = List.of(new CartItem("sku-4", 1, null));
        kit.<OrderReply>runCommand(
                r -> new PlaceOrder("k-" + id, items, List.of(offer.couponId()), null, fx.prices(), NOW, r));
        kit.<OrderReply>runCommand(r -> new CancelOrder("k-" + id, NOW.plusSeconds(60), r));
        var returned =
                ((Person) kit.getState()).offers().byCoupon(offer.couponId()).orElseThrow();
        assertThat(returned.status()).isEqualTo(OfferStatus.CLAIMED);
        assertThat(returned.claimedAt()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void ordersInsideAnExposureWindowAreRecordedAsItsOutcomes() {
        fx.price("sku-5", "50.00", null);
        var id = shopperId();
        var kit = knownShopper(id);
        var offer = issueOne(kit, Campaigns.amountOff("5"));
        var placed = kit.<OrderReply>runCommand(r -> new PlaceOrder(
                "out-" + id,
                List.of(new CartItem("sku-5", 1, null)),
                List.of(offer.couponId()),
                null,
                fx.prices(),
                NOW.plusSeconds(30),
                r));
        var outcome = only(placed.events(), OutcomeRecorded.class);
        assertThat(outcome.decisionId()).isEqualTo(offer.decisionId());
        assertThat(outcome.netAmount()).isEqualByComparingTo("45.00");
        var cancelled = kit.<OrderReply>runCommand(r -> new CancelOrder("out-" + id, NOW.plusSeconds(60), r));
        assertThat(only(cancelled.events(), OutcomeRecorded.class).netAmount()).isEqualByComparingTo("0");
    }

    @Test
    void aSnapshotWrittenBeforeOffersExistedStillReads() throws Exception {
        var system = fx.testKit.system();
        var mapper = akka.serialization.jackson.JacksonObjectMapperProvider.get(system)
                .getOrCreate("jackson-cbor", java.util.Optional.empty());
        var person = Person.empty()
                .apply(new PolicyAdopted(OfferFixture.SHOPPER.recording()))
                .apply(new BehaviourRecorded(BehaviourEvent.of("old-1", EventType.VIEW, NOW), NOW, null));
        // the form written by the release before offers: no "offers" field
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(person);
        tree.remove("offers");
        var serialization = akka.serialization.SerializationExtension.get(system.classicSystem());
        var serializer = serialization.findSerializerFor(person);
        var manifest = akka.serialization.Serializers.manifestFor(serializer, person);
        var read = serialization
                .deserialize(mapper.writeValueAsBytes(tree), serializer.identifier(), manifest)
                .get();
        assertThat(read).isEqualTo(person);
        assertThat(((Person) read).offers()).isEqualTo(io.kairos.offer.OfferBook.EMPTY);
    }

    /** The status of {@code offer} in the shopper's state after {@code result}. */
    private static OfferStatus statusOf(
            EventSourcedBehaviorTestKit.CommandResultWithReply<?, ?, ?, ?> result, Offer offer) {
        return ((Person) result.state())
                .offers()
                .byOffer(offer.offerId())
                .orElseThrow()
                .status();
    }
}

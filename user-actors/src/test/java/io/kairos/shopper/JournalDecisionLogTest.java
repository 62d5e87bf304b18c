package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import akka.actor.typed.ActorRef;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import io.kairos.campaign.Campaigns;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftTrainer;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The decision log read back from the shopper journal trains the next uplift model: offers issued with their
 * propensities, the holdout as control, and orders inside the outcome window as outcomes. The shoppers respond with a
 * known truth (north: 20 % buy without an offer, 60 % with one; south: 20 % and 25 %), which the trained model
 * recovers.
 */
class JournalDecisionLogTest {
    // 5 % exploration with or without a model (not the node's 25 % cold start): nearly every decision is a training
    // row.
    private static final OfferFixture fx = new OfferFixture(OfferFixture.OFFERS.withEpsilon(0.05));
    private static final Instant NOW = Campaigns.START.plus(Duration.ofDays(2));
    private static final int SHOPPERS = 800;

    @AfterAll
    static void shutdown() {
        fx.close();
    }

    /** The fixture's journal as the decision log, read when the clock says {@code now}. */
    private static JournalDecisionLog journalLog(Instant now) {
        var journal = PersistenceQuery.get(fx.testKit.system().classicSystem())
                .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
        return new JournalDecisionLog(
                fx.testKit.system(),
                journal,
                OfferFixture.SHOPPER.projectionTags(),
                t -> Offset.noOffset(),
                OfferFixture.OFFERS.outcomeWindow(),
                OfferFixture.clock(now),
                Duration.ofSeconds(30));
    }

    @Test
    void decisionsAndTheirOutcomesComeBackFromTheJournalAndTrainAModel() {
        fx.scope.set("learn");
        fx.create(Campaigns.withHoldout(Campaigns.campaign("learn", Campaigns.amountOff("5"), "100000"), 30));
        var random = new Random(3);
        var expectedConverted = new HashMap<String, Boolean>();
        for (int i = 0; i < SHOPPERS; i++) {
            var id = "learner-" + i;
            boolean north = i % 2 == 0;
            var shopper = fx.shopper(id);
            var profile = new Profile(
                    null, null, north ? "north" : "south", null, null, null, Map.of(), Map.of(), List.of(), null);
            fx.ask(shopper, (ActorRef<ShopperReply> r) -> new UpdateProfile(profile, null, NOW.minusSeconds(60), r));
            fx.ask(
                    shopper,
                    (ActorRef<Recorded> r) -> new RecordEvents(
                            List.of(BehaviourEvent.of(id + "-v", EventType.VIEW, NOW.minusSeconds(30))),
                            NOW.minusSeconds(30),
                            r));
            var offers =
                    ((Decided) fx.ask(shopper, (ActorRef<DecideReply> r) -> new DecideOffers(null, NOW, r))).offers();
            boolean treated = !offers.isEmpty();
            double rate = north ? (treated ? 0.6 : 0.2) : (treated ? 0.25 : 0.2);
            boolean buys = random.nextDouble() < rate;
            expectedConverted.put(id, buys);
            if (buys) {
                var order = BehaviourEvent.of(id + "-o", EventType.ORDER, NOW.plus(Duration.ofHours(2)))
                        .withOrder(id + "-order", new BigDecimal("40"));
                fx.ask(
                        shopper,
                        (ActorRef<Recorded> r) -> new RecordEvents(List.of(order), NOW.plus(Duration.ofHours(2)), r));
            }
        }

        var log = journalLog(NOW.plus(Duration.ofDays(15)));
        List<LoggedDecision> rows = log.decisions(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)))
                .toList();

        // every shopper was decided once: an offer, or the holdout (exploration's "no offer" leaves no row)
        assertThat(rows.size()).isBetween(SHOPPERS - 40, SHOPPERS);
        var holdouts = rows.stream().filter(LoggedDecision::holdout).toList();
        assertThat(holdouts.size() / (double) rows.size()).isCloseTo(0.3, within(0.06));
        assertThat(holdouts).allSatisfy(h -> {
            assertThat(h.offer()).isEmpty();
            assertThat(h.propensity()).isEqualTo(0.3);
        });
        var treated = rows.stream().filter(d -> !d.holdout()).toList();
        // P(not held out) × P(the greedy offer under ε = 0.05 with one candidate and "no offer")
        assertThat(treated).allSatisfy(t -> {
            assertThat(t.propensity()).isCloseTo(0.7 * (1 - 0.05 + 0.05 / 2), within(1e-9));
            assertThat(t.offer().get("couponType")).isEqualTo("amount_off");
        });
        assertThat(rows).allSatisfy(d -> assertThat(d.shopper()).containsKey("region"));
        // the outcome of each decision is its shopper's order inside the window (shoppers without a row may have bought
        // too)
        // (an order can set off a lifecycle decision two hours later, after it: only the first decisions count here)
        var first = rows.stream().filter(d -> d.decidedAt().equals(NOW)).toList();
        long converted = first.stream().filter(LoggedDecision::converted).count();
        long expected = expectedConverted.values().stream().filter(b -> b).count();
        assertThat(converted).isBetween(expected - (SHOPPERS - first.size()), expected);
        assertThat(rows.stream().filter(LoggedDecision::converted))
                .allSatisfy(d -> assertThat(d.orderValue()).isEqualTo(40.0));
        assertThat(rows.stream().filter(d -> !d.converted()))
                .allSatisfy(d -> assertThat(d.orderValue()).isNaN());
        // read at a rate, one tag after another (a learning run in a serving node): the same decisions
        var paced = log.withReadRate(500)
                .decisions(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)))
                .toList();
        assertThat(paced).hasSameSizeAs(rows);
        assertThat(paced.stream().map(LoggedDecision::decisionId))
                .containsExactlyInAnyOrderElementsOf(
                        rows.stream().map(LoggedDecision::decisionId).toList());

        var settings = UpliftTrainer.Settings.of(List.of("region"), List.of("couponType"))
                .withParams(new BoostingParams(60, 2, 0.1, 5, 1.0, 1, 1));
        var model = new UpliftTrainer()
                .train(
                        log.examples(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1))),
                        settings,
                        "offer-uplift",
                        "2");
        var offer = List.of(OfferFeatures.of("o", Map.of("couponType", "amount_off")));
        double north = model.score(ShopperFeatures.of(Map.of("region", "north")), offer)
                .get(0)
                .uplift();
        double south = model.score(ShopperFeatures.of(Map.of("region", "south")), offer)
                .get(0)
                .uplift();
        assertThat(north).isCloseTo(0.40, within(0.12));
        assertThat(south).isCloseTo(0.05, within(0.12));
        assertThat(north - south).isGreaterThan(0.2);
    }

    /**
     * While a promotion is watched, each decision records the arm it was drawn into and what scored it; the log of
     * every opportunity gives them back, a decision for no offer with its best-ranked candidate's economics (what the
     * live comparison values it at), and a holdout with neither (it is drawn before scoring).
     */
    @Test
    void decisionsOfAWatchedPromotionComeBackWithTheirArm() {
        fx.scope.set("arms");
        var at = NOW.plus(Duration.ofDays(3)); // apart from the other test's decisions
        // half the decisions explore, so about a quarter issue nothing
        fx.create(Campaigns.with(
                Campaigns.withHoldout(Campaigns.campaign("arms", Campaigns.amountOff("5"), "100000"), 30),
                d -> d.exploration = 0.5));
        var arms = new HashMap<String, String>();
        try {
            for (int i = 0; i < 60; i++) {
                var id = "armed-" + i;
                var arm = i % 3 == 0 ? LoggedDecision.CHAMPION : LoggedDecision.PROMOTED;
                arms.put(id, arm);
                fx.arm.set(arm);
                var shopper = fx.shopper(id);
                fx.ask(
                        shopper,
                        (ActorRef<Recorded> r) -> new RecordEvents(
                                List.of(BehaviourEvent.of(id + "-v", EventType.VIEW, at.minusSeconds(30))),
                                at.minusSeconds(30),
                                r));
                fx.ask(shopper, (ActorRef<DecideReply> r) -> new DecideOffers(null, at, r));
                if (i % 2 == 0) {
                    var order = BehaviourEvent.of(id + "-o", EventType.ORDER, at.plus(Duration.ofHours(1)))
                            .withOrder(id + "-order", new BigDecimal("40"));
                    // the same order sent again as another event: it counts once, as the order book counts it
                    var again = BehaviourEvent.of(id + "-o2", EventType.ORDER, at.plus(Duration.ofHours(1)))
                            .withOrder(id + "-order", new BigDecimal("40"));
                    fx.ask(
                            shopper,
                            (ActorRef<Recorded> r) ->
                                    new RecordEvents(List.of(order, again), at.plus(Duration.ofHours(1)), r));
                }
            }
        } finally {
            fx.arm.set(null);
        }
        var log = journalLog(at.plus(Duration.ofDays(15))).withNoOfferDecisions();
        var rows = log.decisions(at.minus(Duration.ofHours(1)), at.plus(Duration.ofDays(1)))
                .filter(d -> arms.containsKey(d.shopperId()))
                .filter(d -> d.decidedAt().equals(at)) // not the lifecycle decisions the orders set off
                .toList();

        var decided = rows.stream().filter(d -> !d.holdout()).toList();
        assertThat(decided).hasSizeGreaterThan(20);
        assertThat(decided).allSatisfy(d -> {
            assertThat(d.arm()).isEqualTo(arms.get(d.shopperId()));
            assertThat(d.scoredBy()).startsWith("safe-rule@");
            assertThat(d.action()).as("valued by its campaign's economics").isNotNull();
        });
        assertThat(decided).extracting(LoggedDecision::arm).contains(LoggedDecision.CHAMPION, LoggedDecision.PROMOTED);
        // every other shopper ordered within the outcome window: a decision for no offer converted through its
        // shopper's own order, as one that issued an offer did through the outcome attributed to it
        assertThat(decided.stream().filter(d -> !d.treated())).isNotEmpty().allSatisfy(d -> {
            boolean ordered = Integer.parseInt(d.shopperId().substring("armed-".length())) % 2 == 0;
            assertThat(d.converted()).as(d.shopperId()).isEqualTo(ordered);
            if (ordered) assertThat(d.orderValue()).isEqualTo(40.0);
        });
        assertThat(rows).allSatisfy(d -> assertThat(d.converted())
                .as(d.shopperId())
                .isEqualTo(Integer.parseInt(d.shopperId().substring("armed-".length())) % 2 == 0));
        assertThat(rows.stream().filter(LoggedDecision::holdout)).allSatisfy(h -> {
            assertThat(h.arm()).isNull();
            assertThat(h.scoredBy()).isNull();
        });
    }
}

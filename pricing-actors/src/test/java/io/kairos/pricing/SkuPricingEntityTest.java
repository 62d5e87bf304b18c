package io.kairos.pricing;

import static io.kairos.pricing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.kairos.pricing.Guardrails.Guardrail;
import io.kairos.pricing.PriceDecision.Reason;
import io.kairos.pricing.SkuCommand.Configure;
import io.kairos.pricing.SkuCommand.DemandAck;
import io.kairos.pricing.SkuCommand.GetDecision;
import io.kairos.pricing.SkuCommand.GetPrice;
import io.kairos.pricing.SkuCommand.GetPriceHistory;
import io.kairos.pricing.SkuCommand.GetSku;
import io.kairos.pricing.SkuCommand.Outcome;
import io.kairos.pricing.SkuCommand.RecordDemand;
import io.kairos.pricing.SkuCommand.Reprice;
import io.kairos.pricing.SkuCommand.RepriceResult;
import io.kairos.pricing.SkuConfig.Policy;
import io.kairos.pricing.SkuPricingEntity.Configured;
import io.kairos.pricing.SkuPricingEntity.DemandRecorded;
import io.kairos.pricing.SkuPricingEntity.Event;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import io.kairos.pricing.SkuPricingEntity.PriceHeld;
import io.kairos.pricing.SkuPricingState.Priced;
import io.kairos.testkit.EntityTestKit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SkuPricingEntityTest {

    @RegisterExtension
    static final EntityTestKit kits = new EntityTestKit();

    private static final ActorTestKit testKit = kits.testKit();
    private static final AtomicInteger ids = new AtomicInteger();

    private final io.kairos.time.ManualClock clock = new io.kairos.time.ManualClock(T0);
    private final Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
    private String sku;
    private EventSourcedBehaviorTestKit<SkuCommand, Event, SkuPricingState> kit;

    @BeforeEach
    void setUp() {
        sku = "sku-" + ids.incrementAndGet();
        var env = new SkuPricingEntity.Env(
                Fixtures.settings(), clock, DemandPriors.constant(Fixtures.ELASTIC_PRIOR), publisher, Optional.empty());
        kit = kits.of(SkuPricingEntity.create(sku, "sku-0", env));
    }

    // --- given / when helpers -------------------------------------------------------------------------------------

    private PriceQuote givenConfigured(SkuConfig config, Instant at) {
        var result = kit.<SkuCommand.ConfigureReply>runCommand(r -> new Configure(config, at, "ops-1", r));
        assertThat((result.reply() instanceof SkuCommand.ConfigAccepted))
                .as("configure: %s", result.reply())
                .isTrue();
        return ((SkuCommand.ConfigAccepted) result.reply()).quote();
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<SkuCommand, Event, SkuPricingState, RepriceResult>
            reprice(Instant now) {
        return kit.runCommand(r -> new Reprice(now, r));
    }

    private DemandAck record(DemandObservation... observations) {
        return kit.<DemandAck>runCommand(r -> new RecordDemand(List.of(observations), r))
                .reply();
    }

    private Priced priced() {
        return (Priced) kit.getState();
    }

    // --- configuration --------------------------------------------------------------------------------------------

    @Test
    void firstConfigurationPersistsTheConfigAndTheListPriceAsInitialPrice() {
        var result = kit.<SkuCommand.ConfigureReply>runCommand(
                r -> new Configure(Fixtures.config(Policy.FIXED), T0, "ops-1", r));

        assertThat(result.events()).hasSize(2);
        assertThat(result.events().get(0)).isInstanceOf(Configured.class);
        var initial = (PriceChanged) result.events().get(1);
        assertThat(initial.decision().reason()).isEqualTo(Reason.INITIAL);
        assertThat(initial.price()).isEqualByComparingTo("20.00");
        assertThat(initial.previousPrice()).isEmpty();
        assertThat(initial.decision().decisionId()).isEqualTo(SkuPricingEntity.decisionId(sku, 2));
        var quote = ((SkuCommand.ConfigAccepted) result.reply()).quote();
        assertThat(quote.price()).isEqualByComparingTo("20.00");
        assertThat(quote.lowestPrice30d()).isEqualByComparingTo("20.00");
        assertThat(quote.validFrom()).isEqualTo(T0);
        assertThat(quote.decisionId()).isEqualTo(initial.decision().decisionId());
        assertThat(publisher.published).last().isEqualTo(quote);
    }

    @Test
    void persistedPriceChangesAreCountedOnceAndRecoveryCountsNothing() {
        var manual = io.kairos.metrics.KairosMetrics.PRICE_CHANGES.labelValues("manual");
        double before = manual.get();
        givenConfigured(Fixtures.config(Policy.FIXED), T0);
        kit.<SkuCommand.ConfigureReply>runCommand(r ->
                new Configure(Fixtures.config(Policy.FIXED, c -> c.floor = "23.50"), T0.plusSeconds(600), "ops-1", r));
        assertThat(manual.get() - before).isEqualTo(2.0); // the initial price and the correction
        kit.restart();
        assertThat(manual.get() - before).isEqualTo(2.0);
    }

    @Test
    void aListPriceOutsideTheGuardrailsStartsAtTheNearestLegalPrice() {
        var quote = givenConfigured(Fixtures.config(Policy.FIXED, c -> c.listPrice = "30.00"), T0);

        assertThat(quote.price()).isEqualByComparingTo("26.00");
        assertThat(priced().history().get(0).boundBy()).containsExactly(Guardrail.CEILING);
    }

    @Test
    void anInvalidConfigurationIsRejectedWithItsFieldsAndChangesNothing() {
        var bad = Fixtures.config(Policy.FIXED, c -> c.floor = "30.00");

        var result = kit.<SkuCommand.ConfigureReply>runCommand(r -> new Configure(bad, T0, "ops-1", r));

        assertThat((result.reply() instanceof SkuCommand.ConfigRejected)).isTrue();
        assertThat(((SkuCommand.ConfigRejected) result.reply()).detail()).contains("ceiling");
        assertThat(result.hasNoEvents()).isTrue();
        assertThat(kit.getState()).isInstanceOf(SkuPricingState.Unconfigured.class);
    }

    @Test
    void aConfigChangeThatMakesThePriceIllegalMovesItAtOnceWithoutStepOrCadence() {
        givenConfigured(Fixtures.config(Policy.FIXED), T0);

        var result = kit.<SkuCommand.ConfigureReply>runCommand(r ->
                new Configure(Fixtures.config(Policy.FIXED, c -> c.floor = "23.50"), T0.plusSeconds(600), "ops-1", r));

        assertThat(result.events()).hasSize(2);
        var correction = (PriceChanged) result.events().get(1);
        assertThat(correction.decision().reason()).isEqualTo(Reason.CONFIG);
        assertThat(correction.price()).isEqualByComparingTo("23.50");
        assertThat(correction.decision().boundBy()).containsExactly(Guardrail.FLOOR);
        assertThat(((SkuCommand.ConfigAccepted) result.reply()).quote().price()).isEqualByComparingTo("23.50");
        // the correction did not restart the cadence: the repricing due at T0 + 1h still happens then
        assertThat(reprice(T0.plus(Duration.ofHours(1))).reply().outcome()).isNotEqualTo(Outcome.NOT_DUE);
    }

    @Test
    void aConfigChangeThatKeepsThePriceLegalOnlyChangesTheQuotesFields() {
        givenConfigured(Fixtures.config(Policy.FIXED), T0);

        var result = kit.<SkuCommand.ConfigureReply>runCommand(r -> new Configure(
                Fixtures.config(Policy.THOMPSON, c -> c.listPrice = "22.00"), T0.plusSeconds(60), "ops-1", r));

        assertThat(result.events()).singleElement().isInstanceOf(Configured.class);
        var quote = ((SkuCommand.ConfigAccepted) result.reply()).quote();
        assertThat(quote.price()).isEqualByComparingTo("20.00");
        assertThat(quote.listPrice()).isEqualByComparingTo("22.00");
        assertThat(quote.policy()).isEqualTo(Policy.THOMPSON);
        assertThat(publisher.published).last().isEqualTo(quote);
    }

    @Test
    void aChangeOfCurrencyWritesThePriceInTheNewCurrencysMinorUnits() {
        givenConfigured(Fixtures.config(Policy.FIXED), T0); // 20.00 EUR, legal in [14.00, 26.00]
        var eur = Fixtures.config(Policy.FIXED);
        var yen = new SkuConfig(
                eur.listPrice(),
                eur.unitCost(),
                eur.floor(),
                eur.ceiling(),
                eur.maxStepPercent(),
                eur.minMarginPercent(),
                eur.repriceEvery(),
                eur.policy(),
                eur.objective(),
                "JPY",
                eur.inventory(),
                eur.sellThroughBy(),
                eur.competitorPrices(),
                eur.prior());

        var result = kit.<SkuCommand.ConfigureReply>runCommand(r -> new Configure(yen, T0.plusSeconds(60), "ops-1", r));

        // 20 is still legal, but a yen price has no minor units: 20.00 becomes 20 at once
        var quote = ((SkuCommand.ConfigAccepted) result.reply()).quote();
        assertThat(quote.price()).isEqualByComparingTo("20");
        assertThat(quote.price().scale()).isZero();
        var correction = (PriceChanged) result.events().get(1);
        assertThat(correction.decision().reason()).isEqualTo(Reason.CONFIG);
        assertThat(correction.decision().note()).contains("writes 20.00 as 20");
    }

    // --- repricing ------------------------------------------------------------------------------------------------

    @Test
    void repricingBeforeTheCadenceIsDueChangesNothing() {
        givenConfigured(Fixtures.config(Policy.THOMPSON), T0);

        var result = reprice(T0.plus(Duration.ofMinutes(59)));

        assertThat(result.reply().outcome()).isEqualTo(Outcome.NOT_DUE);
        assertThat(result.hasNoEvents()).isTrue();
    }

    @Test
    void thompsonRepricingMovesAtMostOneStepAndRecordsTheWholeDecision() {
        givenConfigured(Fixtures.config(Policy.THOMPSON), T0);
        Instant now = T0.plus(Duration.ofHours(1));

        var result = reprice(now);

        var changed = (PriceChanged) result.event();
        var decision = changed.decision();
        // the prior says demand is elastic (-3): lower prices earn more, but one step is at most 10 %
        assertThat(decision.target()).isLessThan(new BigDecimal("18.00"));
        assertThat(changed.price()).isEqualByComparingTo("18.00");
        assertThat(decision.boundBy()).containsExactly(Guardrail.MAX_STEP);
        assertThat(decision.reason()).isEqualTo(Reason.REPRICE);
        assertThat(decision.policy()).isEqualTo(Policy.THOMPSON);
        assertThat(decision.decisionId()).isEqualTo(SkuPricingEntity.decisionId(sku, 3));
        assertThat(decision.candidates()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.price()).isBetween(new BigDecimal("14.00"), new BigDecimal("26.00"));
            assertThat(c.sample()).isPositive();
        });
        assertThat(decision.candidates())
                .extracting(PriceDecision.Candidate::price)
                .contains(decision.target());
        assertThat(changed.previousPrice()).contains(new BigDecimal("20.00"));
        assertThat(changed.lowestPrice30d()).isEqualByComparingTo("20.00");
        assertThat(result.reply().outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(result.reply().quote().orElseThrow().validFrom()).isEqualTo(now);
        assertThat(publisher.published).last().extracting(PriceQuote::price).isEqualTo(changed.price());
    }

    @Test
    void aDecisionThatKeepsThePriceIsRecordedAndStillRestartsTheCadence() {
        givenConfigured(Fixtures.config(Policy.FIXED), T0);

        var held = reprice(T0.plus(Duration.ofHours(1)));
        var early = reprice(T0.plus(Duration.ofMinutes(90)));

        assertThat(held.event()).isInstanceOf(PriceHeld.class);
        assertThat(held.reply().outcome()).isEqualTo(Outcome.HELD);
        assertThat(early.reply().outcome()).isEqualTo(Outcome.NOT_DUE);
    }

    @Test
    void theProductionTickRepricesAtTheInjectedClocksTimeWhenDue() {
        givenConfigured(Fixtures.config(Policy.THOMPSON), T0);

        clock.set(T0.plus(Duration.ofMinutes(30)));
        var early = kit.runCommand(SkuCommand.Tick.INSTANCE);
        clock.set(T0.plus(Duration.ofHours(1)));
        var due = kit.runCommand(SkuCommand.Tick.INSTANCE);

        assertThat(early.hasNoEvents()).isTrue();
        assertThat(due.event()).isInstanceOf(PriceChanged.class);
        assertThat(((PriceChanged) due.event()).validFrom()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void qLearningLearnsFromTheRewardOfThePeriodThatEnded() {
        givenConfigured(Fixtures.config(Policy.QLEARNING), T0);
        var first = reprice(T0.plus(Duration.ofHours(1))).reply();
        record(new DemandObservation("e1", T0.plus(Duration.ofMinutes(80)), 100, 10, 5, 6));

        var second = reprice(T0.plus(Duration.ofHours(2)));

        var step = decisionOf(second.event()).qLearning().orElseThrow();
        var previous = first.decision().orElseThrow().qLearning().orElseThrow();
        assertThat(step.previousState()).contains(previous.state());
        assertThat(step.previousAction()).isEqualTo(previous.action());
        double reward = step.reward().orElseThrow();
        double price = first.quote().orElseThrow().price().doubleValue();
        assertThat(reward).isCloseTo(6 * price / (100 * 20.0), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(step.rows()).containsKey(previous.state());
        assertThat(priced().qTable().rows()).containsKeys(previous.state(), step.state());
    }

    // --- demand ---------------------------------------------------------------------------------------------------

    @Test
    void demandIsRecordedOnceAtThePriceInForceWhenItHappened() {
        givenConfigured(Fixtures.config(Policy.THOMPSON), T0);
        reprice(T0.plus(Duration.ofHours(1)));
        var newPrice = priced().price();

        var first = kit.<DemandAck>runCommand(r -> new RecordDemand(
                List.of(
                        DemandObservation.view("v1", T0.plus(Duration.ofMinutes(30))),
                        DemandObservation.order("o1", T0.plus(Duration.ofMinutes(90)), 2)),
                r));
        var again = record(
                DemandObservation.view("v1", T0.plus(Duration.ofMinutes(30))),
                DemandObservation.order("o1", T0.plus(Duration.ofMinutes(90)), 2));

        assertThat(first.reply()).isEqualTo(new DemandAck(2, 0, 0, 0));
        var recorded = ((DemandRecorded) first.event()).observations();
        assertThat(recorded)
                .extracting(DemandBook.Recorded::price)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("20.00"), newPrice);
        assertThat(recorded).extracting(DemandBook.Recorded::hour).containsExactly(8, 9);
        assertThat(((DemandRecorded) first.event()).earlier()).isEmpty();
        assertThat(again).isEqualTo(new DemandAck(0, 2, 0, 0));
        assertThat(priced().demand().views()).isEqualTo(1);
        assertThat(priced().demand().units()).isEqualTo(2);
    }

    @Test
    void demandDatedBeforeTheConfigurationTeachesTheDemandEstimateAtTheListPrice() {
        // the SKU: 3 units sold on 1 view at 49, both before its configuration
        var config = Fixtures.config(Policy.THOMPSON, c -> {
                    c.listPrice = "49.00";
                    c.unitCost = "20.00";
                    c.floor = "30.00";
                    c.ceiling = "60.00";
                    c.prior = Fixtures.settings().defaultPrior();
                })
                .withInventory(Optional.of(10L));
        givenConfigured(config, T0);
        var thompson = new io.kairos.pricing.policy.ThompsonPolicy(Fixtures.settings());
        var list = new BigDecimal("49.00");
        var prior = thompson.posterior(config.prior().orElseThrow(), priced().demand(), list, 12);

        var result = kit.<DemandAck>runCommand(r -> new RecordDemand(
                List.of(
                        DemandObservation.view("v0", T0.minus(Duration.ofHours(2))),
                        DemandObservation.order("o0", T0.minus(Duration.ofHours(1)), 3)),
                r));

        assertThat(result.reply()).isEqualTo(new DemandAck(2, 0, 0, 0));
        var event = (DemandRecorded) result.event();
        assertThat(event.observations()).isEmpty();
        assertThat(event.earlier()).extracting(DemandBook.Recorded::price).containsExactly(list, list);
        var learnt = thompson.posterior(config.prior().orElseThrow(), priced().demand(), list, 12);
        // log units per view at the list price: the prior's ln 0.03, pulled towards the observed ln 3
        assertThat(learnt.mean()[0]).isGreaterThan(prior.mean()[0] + 0.5);
        // sold before the stock was configured, and not in the period the next decision closes
        assertThat(priced().config().inventory()).contains(10L);
        assertThat(priced().demand().sinceDecision().views()).isZero();
        assertThat(priced().demand().units()).isEqualTo(3);
        var decision = decisionOf(reprice(T0.plus(Duration.ofHours(1))).event());
        assertThat(decision.candidates())
                .filteredOn(c -> c.price().compareTo(list) == 0)
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.views()).isEqualTo(1);
                    assertThat(c.units()).isEqualTo(3);
                });
        var before = priced();
        kit.restart();
        assertThat(kit.getState()).isEqualTo(before);
    }

    @Test
    void demandBeforeTheHistoryKeptIsStaleOnceTheHistoryNoLongerReachesTheConfiguration() {
        var settings = PricingSettings.fromConfig(ConfigFactory.parseString("history.max-entries = 2")
                .atPath("kairos.pricing")
                .withFallback(ConfigFactory.parseString("kairos.pricing.reprice-timer.enabled = off"))
                .withFallback(ConfigFactory.load()));
        var env = new SkuPricingEntity.Env(
                settings, clock, DemandPriors.constant(Fixtures.ELASTIC_PRIOR), publisher, Optional.empty());
        kit = kits.of(SkuPricingEntity.create(sku, "sku-0", env));
        givenConfigured(Fixtures.config(Policy.FIXED), T0);
        var early = DemandObservation.view("v0", T0.minus(Duration.ofHours(1)));
        givenConfigured(Fixtures.config(Policy.FIXED, c -> c.floor = "21.00"), T0.plusSeconds(60));
        assertThat(record(DemandObservation.view("v-1", T0.minus(Duration.ofHours(2)))))
                .isEqualTo(new DemandAck(1, 0, 0, 0));

        // a third price drops the first one, set by the configuration, from the history kept
        givenConfigured(Fixtures.config(Policy.FIXED, c -> c.floor = "22.00"), T0.plusSeconds(120));

        assertThat(priced().historyTruncated()).isTrue();
        assertThat(record(early)).isEqualTo(new DemandAck(0, 0, 1, 0));
    }

    @Test
    void invalidObservationsAreIgnoredAndDuplicatesInOneBatchCountOnce() {
        givenConfigured(Fixtures.config(Policy.FIXED), T0);

        var ack = record(
                new DemandObservation("bad", T0.plusSeconds(5), -1, 0, 0, 0),
                DemandObservation.view("v", T0.plusSeconds(5)),
                DemandObservation.view("v", T0.plusSeconds(6)));

        assertThat(ack).isEqualTo(new DemandAck(1, 1, 0, 1));
    }

    @Test
    void ordersDrawDownTheInventory() {
        var config = Fixtures.config(Policy.FIXED).withInventory(Optional.of(10L));
        givenConfigured(config, T0);

        record(DemandObservation.order("o1", T0.plusSeconds(60), 3));

        var status = kit.<SkuCommand.SkuStatus>runCommand(GetSku::new).reply();
        assertThat(status.config().orElseThrow().inventory()).contains(7L);
        assertThat(status.units()).isEqualTo(3);
    }

    // --- history, audit, recovery ---------------------------------------------------------------------------------

    @Test
    void lowestPrice30dIsTheLowestPriceInForceDuringThe30DaysBeforeAChange() {
        var fixed = Fixtures.config(Policy.FIXED);
        givenConfigured(fixed, T0);
        givenConfigured(Fixtures.config(Policy.FIXED, c -> c.listPrice = "16.00"), T0.plusSeconds(60));
        for (int h = 1; h <= 3; h++) reprice(T0.plus(Duration.ofHours(h))); // 18.00, 16.20, 16.00
        Instant day1 = T0.plus(Duration.ofDays(1));
        givenConfigured(fixed, day1);
        var up = (PriceChanged) reprice(day1.plus(Duration.ofHours(1))).event(); // 17.60
        for (int h = 2; h <= 3; h++) reprice(day1.plus(Duration.ofHours(h))); // 19.36, 20.00
        Instant day40 = T0.plus(Duration.ofDays(40));
        givenConfigured(Fixtures.config(Policy.FIXED, c -> c.listPrice = "19.00"), day40);
        var down = (PriceChanged) reprice(day40.plus(Duration.ofHours(1))).event(); // 19.00

        assertThat(up.price()).isEqualByComparingTo("17.60");
        assertThat(up.lowestPrice30d()).isEqualByComparingTo("16.00");
        assertThat(down.price()).isEqualByComparingTo("19.00");
        assertThat(down.lowestPrice30d()).isEqualByComparingTo("20.00");
        assertThat(priced().quote().lowestPrice30d()).isEqualByComparingTo("20.00");
    }

    @Test
    void recoveryRestoresPriceHistoryAndTheDecisionsBehindIt() {
        givenConfigured(Fixtures.config(Policy.THOMPSON), T0);
        for (int h = 1; h <= 4; h++) {
            record(new DemandObservation("e" + h, T0.plus(Duration.ofHours(h)).minusSeconds(60), 50, 5, 2, 2));
            reprice(T0.plus(Duration.ofHours(h)));
        }
        var before = priced();
        int publishedBefore = publisher.published.size();

        kit.restart();

        assertThat(kit.getState()).isEqualTo(before);
        var history = kit.<SkuCommand.PriceHistory>runCommand(
                        r -> new GetPriceHistory(T0, T0.plus(Duration.ofHours(5)), r))
                .reply();
        assertThat(history.complete()).isTrue();
        assertThat(history.points())
                .extracting(PricePoint::validFrom)
                .isSorted()
                .first()
                .isEqualTo(T0);
        assertThat(history.points()).last().extracting(PricePoint::price).isEqualTo(before.price());
        var lastId = history.points().get(history.points().size() - 1).decisionId();
        var decision = kit.<SkuCommand.DecisionReply>runCommand(r -> new GetDecision(lastId, r))
                .reply();
        assertThat(decision.decision()).isEqualTo(before.decision(lastId));
        assertThat(decision.decision().orElseThrow().candidates()).isNotEmpty();
        var price = kit.<SkuCommand.PriceReply>runCommand(GetPrice::new).reply();
        assertThat(price.quote()).contains(before.quote());
        assertThat(publisher.published).hasSize(publishedBefore + 1).last().isEqualTo(before.quote());
    }

    @Test
    void anUnconfiguredSkuAnswersEmptyAndIgnoresDemand() {
        var price = kit.<SkuCommand.PriceReply>runCommand(GetPrice::new);
        var ack = record(DemandObservation.view("v", T0));
        var repriced = reprice(T0);

        assertThat(price.reply().quote()).isEmpty();
        assertThat(ack).isEqualTo(new DemandAck(0, 0, 0, 1));
        assertThat(repriced.reply().outcome()).isEqualTo(Outcome.NOT_CONFIGURED);
        assertThat(repriced.hasNoEvents()).isTrue();
    }

    @Test
    void everyReplySurvivesSerialization() {
        givenConfigured(Fixtures.config(Policy.QLEARNING).withInventory(Optional.of(5L)), T0);
        var repriced = reprice(T0.plus(Duration.ofHours(1))).reply();
        var serialization = new akka.actor.testkit.typed.javadsl.SerializationTestKit(testKit.system());
        var decisionId = repriced.decision().orElseThrow().decisionId();

        var replies = List.<Object>of(
                repriced,
                kit.<SkuCommand.SkuStatus>runCommand(GetSku::new).reply(),
                kit.<SkuCommand.PriceReply>runCommand(GetPrice::new).reply(),
                kit.<SkuCommand.PriceHistory>runCommand(r -> new GetPriceHistory(T0, T0.plusSeconds(7200), r))
                        .reply(),
                kit.<SkuCommand.DecisionReply>runCommand(r -> new GetDecision(decisionId, r))
                        .reply(),
                record(DemandObservation.view("v", T0.plusSeconds(4000))),
                new SkuCommand.PriceReply(Optional.empty()));

        for (var reply : replies) serialization.verifySerialization(reply, true);
        assertThat(repriced.decision().orElseThrow().qLearning()).isPresent();
    }

    private static PriceDecision decisionOf(Event e) {
        return e instanceof PriceChanged pc ? pc.decision() : ((PriceHeld) e).decision();
    }
}

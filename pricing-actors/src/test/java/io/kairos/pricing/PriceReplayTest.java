package io.kairos.pricing;

import static io.kairos.pricing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import io.kairos.audit.Rederivation;
import io.kairos.pricing.PriceDecision.Reason;
import io.kairos.pricing.SkuCommand.Configure;
import io.kairos.pricing.SkuCommand.RecordDemand;
import io.kairos.pricing.SkuCommand.Reprice;
import io.kairos.pricing.SkuConfig.Policy;
import io.kairos.pricing.SkuPricingEntity.Event;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import io.kairos.pricing.SkuPricingEntity.PriceHeld;
import io.kairos.testkit.EntityTestKit;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pricing decisions taken by a real SKU entity (Thompson sampling, which draws from its seed; then a configuration
 * change that forces a correction), re-derived from the journal by {@link PriceReplay}: every one identical, and an
 * altered record names the altered field.
 */
class PriceReplayTest {
    @RegisterExtension
    static final EntityTestKit kits = new EntityTestKit();

    private final List<Event> journal = new ArrayList<>();

    @Test
    void everyDecisionOfASkusJournalReplaysIdenticalAndAnAlteredOneIsNamed() {
        var env = new SkuPricingEntity.Env(
                Fixtures.settings(),
                new io.kairos.time.ManualClock(T0),
                DemandPriors.constant(Fixtures.ELASTIC_PRIOR),
                new Fixtures.RecordingPublisher(),
                Optional.empty());
        EventSourcedBehaviorTestKit<SkuCommand, Event, SkuPricingState> kit =
                kits.of(SkuPricingEntity.create("replayed", "sku-0", env));
        journal.addAll(kit.<SkuCommand.ConfigureReply>runCommand(
                        r -> new Configure(Fixtures.config(Policy.THOMPSON), T0, "ops-1", r))
                .events());
        var random = new Random(5);
        for (int hour = 1; hour <= 12; hour++) {
            var at = T0.plus(Duration.ofHours(hour));
            long views = 50 + random.nextInt(50);
            long orders = random.nextInt(8);
            var observations =
                    List.of(new DemandObservation("h" + hour, at.minusSeconds(600), views, orders, orders, orders));
            journal.addAll(kit.<SkuCommand.DemandAck>runCommand(r -> new RecordDemand(observations, r))
                    .events());
            journal.addAll(kit.<SkuCommand.RepriceResult>runCommand(r -> new Reprice(at, r))
                    .events());
        }
        journal.addAll(kit.<SkuCommand.ConfigureReply>runCommand(r -> new Configure(
                        Fixtures.config(Policy.THOMPSON, c -> c.floor = "25.00"),
                        T0.plus(Duration.ofHours(13)),
                        "ops-1",
                        r))
                .events());

        var reasons = new ArrayList<Reason>();
        for (int i = 0; i < journal.size(); i++) {
            var decision = decision(journal.get(i));
            if (decision == null) continue;
            reasons.add(decision.reason());
            var result =
                    PriceReplay.replay("replayed", journal.subList(0, i), journal.get(i), i + 1, Fixtures.settings());
            assertThat(result.rederivable()).as("%s", result).isTrue();
            assertThat(result.identical()).as("%s: %s", decision, result).isTrue();
            assertThat(result.decisionId()).isEqualTo(decision.decisionId());
        }
        assertThat(reasons).contains(Reason.INITIAL, Reason.REPRICE, Reason.CONFIG);
        // one pass over the whole journal gives the same verdicts, for the decisions selected
        var all = PriceReplay.replayAll("replayed", journal, d -> true, Fixtures.settings());
        assertThat(all).hasSize(reasons.size()).allMatch(Rederivation.Result::identical);
        var late = T0.plus(Duration.ofHours(6));
        assertThat(PriceReplay.replayAll("replayed", journal, d -> !d.at().isBefore(late), Fixtures.settings()))
                .hasSize((int) journal.stream()
                        .map(PriceReplayTest::decision)
                        .filter(d -> d != null && !d.at().isBefore(late))
                        .count())
                .allMatch(Rederivation.Result::identical);
        assertThat(journal.stream()
                        .map(PriceReplayTest::decision)
                        .filter(d -> d != null && d.reason() == Reason.REPRICE))
                .as("Thompson sampling drew candidates")
                .anyMatch(d -> !d.candidates().isEmpty());

        int last = lastReprice();
        var recorded = decision(journal.get(last));
        var altered = new PriceDecision(
                recorded.decisionId(),
                recorded.at(),
                recorded.reason(),
                recorded.policy(),
                recorded.objective(),
                recorded.model(),
                recorded.seed(),
                recorded.currentPrice(),
                recorded.target().add(new BigDecimal("0.01")),
                recorded.price(),
                recorded.boundBy(),
                recorded.candidates(),
                recorded.observations(),
                recorded.competitorPrices(),
                recorded.note(),
                recorded.qLearning());
        Event event = journal.get(last) instanceof PriceChanged c
                ? new PriceChanged(c.sku(), c.validFrom(), c.previousPrice(), c.price(), c.lowestPrice30d(), altered)
                : new PriceHeld(((PriceHeld) journal.get(last)).sku(), altered);
        var result = PriceReplay.replay("replayed", journal.subList(0, last), event, last + 1, Fixtures.settings());
        assertThat(result.identical()).isFalse();
        assertThat(result.differences())
                .extracting(Rederivation.Difference::field)
                .containsExactly("target");

        var gap = PriceReplay.replay(
                "replayed", journal.subList(1, last), journal.get(last), last + 1, Fixtures.settings());
        assertThat(gap.rederivable()).isFalse();
    }

    private int lastReprice() {
        for (int i = journal.size() - 1; i >= 0; i--) {
            var d = decision(journal.get(i));
            if (d != null && d.reason() == Reason.REPRICE) return i;
        }
        throw new AssertionError("no repricing in " + journal);
    }

    private static PriceDecision decision(Event e) {
        if (e instanceof PriceChanged c) return c.decision();
        if (e instanceof PriceHeld h) return h.decision();
        return null;
    }
}

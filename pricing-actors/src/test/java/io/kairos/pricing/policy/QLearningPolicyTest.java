package io.kairos.pricing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.pricing.DemandBook;
import io.kairos.pricing.Fixtures;
import io.kairos.pricing.PriceDecision;
import io.kairos.pricing.QTable;
import io.kairos.pricing.SkuConfig.Objective;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QLearningPolicyTest {

    private final QLearningPolicy policy = new QLearningPolicy(Fixtures.settings());
    private final io.kairos.pricing.SkuConfig config = PolicyFixtures.config(Objective.REVENUE, "8.00");

    @Test
    void aFirstDecisionStartsFromTheDemandPriorAndLearnsNothing() {
        var input = PolicyFixtures.input(config, PolicyFixtures.book(config, p -> 0.0, 0), "20.00", 3);

        var proposal = policy.propose(input);

        var step = proposal.qLearning().orElseThrow();
        assertThat(step.reward()).isEmpty();
        assertThat(step.previousState()).isEmpty();
        assertThat(step.state()).isEqualTo("w2|i-|h1|p2");
        var row = step.rows().get(step.state());
        assertThat(row.visits()).isEqualTo(1);
        // prior elasticity -2 < -1: a lower price is worth more under the prior
        assertThat(row.down()).isGreaterThan(row.hold()).isGreaterThan(row.up());
        assertThat(step.explored()).isEqualTo(step.draw() < step.epsilon());
        var expected = new BigDecimal[] {new BigDecimal("19.00"), new BigDecimal("20.00"), new BigDecimal("21.00")};
        assertThat(proposal.target()).isEqualByComparingTo(expected[step.action()]);
    }

    @Test
    void theRewardOfTheEndedPeriodUpdatesThePreviousStateAction() {
        var previousState = "w1|i-|h1|p2";
        var table = QTable.EMPTY.withRows(Map.of(
                previousState, new QTable.Row(0.10, 0.20, 0.30, 4), "w2|i-|h1|p2", new QTable.Row(0.5, 0.4, 0.45, 9)));
        // 200 views bought 10 units at 18.00: revenue 180, reward 180 / (200 * 20) = 0.045
        var book = DemandBook.empty(io.kairos.pricing.RecentIds.empty(8, 2))
                .withRecorded(List.of(
                        new DemandBook.Recorded("e", Fixtures.T0, 11, new BigDecimal("18.00"), 200, 0, 10, 10)));
        var last = new PriceDecision.QLearningStep(
                Optional.empty(), -1, Optional.empty(), previousState, QTable.UP, 0.1, 0.5, false, Map.of());
        var input = new PolicyInput(
                "sku",
                config,
                PolicyFixtures.VAGUE,
                new BigDecimal("20.00"),
                io.kairos.pricing.Guardrails.legalRange(config).orElseThrow(),
                Fixtures.T0,
                12,
                1,
                book,
                table,
                Optional.of(last),
                Fixtures.settings());

        var step = policy.propose(input).qLearning().orElseThrow();

        assertThat(step.reward()).hasValueSatisfying(r -> assertThat(r).isCloseTo(0.045, within(1e-12)));
        double expected = 0.30 + 0.1 * (0.045 + 0.9 * 0.5 - 0.30);
        assertThat(step.rows().get(previousState).up()).isCloseTo(expected, within(1e-12));
        assertThat(step.rows().get(previousState).down()).isEqualTo(0.10);
        assertThat(step.previousAction()).isEqualTo(QTable.UP);
    }
}

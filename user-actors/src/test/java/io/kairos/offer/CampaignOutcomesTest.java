package io.kairos.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The stats' effect estimates and intervals, against published and hand-computed values. */
class CampaignOutcomesTest {

    @Test
    void newcombesHybridScoreIntervalMatchesThePublishedExample() {
        // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, example (a): 56/70 − 48/80, method 10
        var i = CampaignOutcomes.newcombe(56, 70, 48, 80);
        assertThat(i.estimate()).isCloseTo(0.2, within(1e-12));
        assertThat(i.low()).isCloseTo(0.0524, within(1e-4));
        assertThat(i.high()).isCloseTo(0.3339, within(1e-4));
    }

    @Test
    void wilsonIntervalsStayInsideZeroAndOne() {
        var zero = CampaignOutcomes.wilson(0, 10);
        assertThat(zero[0]).isCloseTo(0.0, within(1e-12));
        assertThat(zero[1]).isCloseTo(0.2775, within(1e-4));
        var all = CampaignOutcomes.wilson(10, 10);
        assertThat(all[1]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void peopleAreComparedPersonByPersonWithCancelledOrdersCountingNothing() {
        var b = new CampaignOutcomes.Builder();
        // treated: a bought 30 then 20 (two orders), b bought and cancelled, c bought nothing
        b.exposure("a", false);
        b.order("a", "o1", new BigDecimal("30"));
        b.order("a", "o2", new BigDecimal("20"));
        b.exposure("b", false);
        b.order("b", "o3", new BigDecimal("0"));
        b.exposure("c", false);
        b.claimed("c");
        // holdout: d bought 10, e nothing; f has outcomes but no exposure row yet and is left out
        b.exposure("d", true);
        b.order("d", "o4", new BigDecimal("10"));
        b.exposure("e", true);
        b.order("f", "o5", new BigDecimal("99"));
        var e = CampaignOutcomes.effect(b.people());
        assertThat(e.treated().people()).isEqualTo(3);
        assertThat(e.treated().converted()).isEqualTo(1);
        assertThat(e.treated().revenue()).isEqualByComparingTo("50");
        assertThat(e.holdout().people()).isEqualTo(2);
        assertThat(e.holdout().converted()).isEqualTo(1);
        assertThat(e.conversionRate().estimate()).isCloseTo(1.0 / 3 - 0.5, within(1e-12));
        // revenue per person: 50/3 − 10/2; Welch: var(treated) = (2500 − 3 × (50/3)²)/2, var(holdout) = (100 − 2 ×
        // 25)/1
        double diff = 50.0 / 3 - 5;
        double se = Math.sqrt(((2500 - 3 * Math.pow(50.0 / 3, 2)) / 2) / 3 + 50.0 / 2);
        assertThat(e.revenuePerPerson().estimate()).isCloseTo(diff, within(1e-9));
        assertThat(e.revenuePerPerson().high() - e.revenuePerPerson().estimate())
                .isCloseTo(1.959963984540054 * se, within(1e-9));
        assertThat(e.revenue().estimate()).isCloseTo(3 * diff, within(1e-9));
        assertThat(CampaignOutcomes.claimed(b.people())).isEqualTo(1);
    }

    @Test
    void withoutAHoldoutThereIsNoEffectToReport() {
        var b = new CampaignOutcomes.Builder();
        b.exposure("a", false);
        var e = CampaignOutcomes.effect(b.people());
        assertThat(e.conversionRate()).isNull();
        assertThat(e.treated().people()).isEqualTo(1);
    }
}

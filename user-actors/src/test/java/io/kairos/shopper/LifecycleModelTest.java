package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.lifecycle.BgNbdModel;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleModelTest {
    // The published CDNOW fit (Fader, Hardie and Lee 2005), in weeks.
    private static final BgNbdModel CDNOW = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
    private static final LifecycleModel WEEKLY = new LifecycleModel(CDNOW, Duration.ofDays(7), "1");
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");

    private static OrderBook orders(int count, Instant first, Instant last) {
        return new OrderBook(count, BigDecimal.TEN, first, last, List.of());
    }

    @Test
    void convertsTheShoppersHistoryIntoTheModelsTimeUnit() {
        // 3 orders: x = 2 repeats, last order 20 weeks after the first, now 40 weeks after the first
        var book = orders(3, FIRST, FIRST.plus(Duration.ofDays(140)));
        var p = WEEKLY.pAlive(book, FIRST.plus(Duration.ofDays(280)));
        assertThat(p).isCloseTo(CDNOW.pAlive(2, 20, 40), within(1e-12));
        // the same history measured in days by a model fitted in days gives the same T/t_x ratio, different numbers
        var daily = new LifecycleModel(CDNOW, Duration.ofDays(1), "1");
        assertThat(daily.pAlive(book, FIRST.plus(Duration.ofDays(280))))
                .isCloseTo(CDNOW.pAlive(2, 140, 280), within(1e-12));
    }

    @Test
    void aLongSilenceLowersPAliveAndNoOrdersMeansNoEstimate() {
        var book = orders(5, FIRST, FIRST.plus(Duration.ofDays(70)));
        double soon = WEEKLY.pAlive(book, FIRST.plus(Duration.ofDays(77)));
        double later = WEEKLY.pAlive(book, FIRST.plus(Duration.ofDays(700)));
        // x = 4, t_x = 10, T = 11 and T = 100 weeks: 0.8373 and 0.0015 by the closed form, evaluated separately
        assertThat(soon).isCloseTo(0.8373, within(1e-4));
        assertThat(later).isCloseTo(0.0015, within(1e-4));
        // one order only: no repeat yet, alive by the model's definition
        assertThat(WEEKLY.pAlive(orders(1, FIRST, FIRST), FIRST.plus(Duration.ofDays(300))))
                .isEqualTo(1.0);
        assertThat(WEEKLY.pAlive(OrderBook.EMPTY, FIRST)).isNull();
    }

    @Test
    void pAliveFallsToAThresholdAtTheInstantTheClosedFormGives() {
        var book = orders(5, FIRST, FIRST.plus(Duration.ofDays(70)));
        var at = WEEKLY.fallsBelow(0.5, book).orElseThrow();
        assertThat(WEEKLY.pAlive(book, at)).isCloseTo(0.5, within(1e-6));
        assertThat(WEEKLY.pAlive(book, at.minus(Duration.ofDays(1)))).isGreaterThan(0.5);
        assertThat(WEEKLY.fallsBelow(0.2, book).orElseThrow()).isAfter(at);
        assertThat(WEEKLY.fallsBelow(0.5, orders(1, FIRST, FIRST))).isEmpty();
    }

    @Test
    void withAModelRepeatBuyersWhoStoppedBecomeDormantThenChurnedByPAlive() {
        var rules = new LifecycleRules(
                Duration.ofDays(90), Duration.ofDays(180), Duration.ofDays(60), 2.0, Duration.ofDays(30), 0.5, 0.2);
        var book = orders(5, FIRST, FIRST.plus(Duration.ofDays(70)));
        var last = book.lastOrderAt();
        var dormantAt = WEEKLY.fallsBelow(0.5, book).orElseThrow();
        var churnedAt = WEEKLY.fallsBelow(0.2, book).orElseThrow();
        var model = java.util.Optional.of(WEEKLY);

        var dormant = rules.place(last, book, dormantAt.plusSeconds(1), model);
        assertThat(dormant.stage()).isEqualTo(LifecycleStage.DORMANT);
        assertThat(dormant.effectiveAt()).isEqualTo(dormantAt);
        assertThat(dormant.reason()).contains("lifecycle model 1");
        // the inactivity rules alone would still call this shopper a repeat buyer (or declining), not dormant
        assertThat(rules.place(last, book, dormantAt.plusSeconds(1)).stage()).isNotEqualTo(LifecycleStage.DORMANT);

        assertThat(rules.place(last, book, churnedAt.plusSeconds(1), model).stage())
                .isEqualTo(LifecycleStage.CHURNED);
        // any activity after the crossing: still around, the model's verdict does not apply
        var browsedLater = dormantAt.plus(Duration.ofDays(1));
        assertThat(rules.place(browsedLater, book, browsedLater.plusSeconds(1), model)
                        .stage())
                .isNotIn(LifecycleStage.DORMANT, LifecycleStage.CHURNED);
    }
}

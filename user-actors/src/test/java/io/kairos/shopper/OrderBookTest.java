package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderBookTest {
    private static final Instant D1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant D2 = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void anOrderIdCountsOnce() {
        var b = OrderBook.EMPTY.place("o1", D1, new BigDecimal("10"), 5).place("o1", D2, new BigDecimal("10"), 5);
        assertThat(b.orders()).isEqualTo(1);
        assertThat(b.monetary()).isEqualByComparingTo("10");
    }

    @Test
    void cancellingRemovesTheOrderAndMovesTheLastOrderTimeBack() {
        var b = OrderBook.EMPTY
                .place("o1", D1, new BigDecimal("10"), 5)
                .place("o2", D2, new BigDecimal("30"), 5)
                .cancel("o2");
        assertThat(b.orders()).isEqualTo(1);
        assertThat(b.monetary()).isEqualByComparingTo("10");
        assertThat(b.lastOrderAt()).isEqualTo(D1);
    }

    @Test
    void partialRefundsReduceMonetaryAndAFullRefundRemovesTheOrder() {
        var b = OrderBook.EMPTY.place("o1", D1, new BigDecimal("40"), 5).refund("o1", new BigDecimal("15"));
        assertThat(b.orders()).isEqualTo(1);
        assertThat(b.monetary()).isEqualByComparingTo("25");
        b = b.refund("o1", new BigDecimal("100"));
        assertThat(b.orders()).isZero();
        assertThat(b.monetary()).isEqualByComparingTo("0");
        assertThat(b.lastOrderAt()).isNull();
    }

    @Test
    void unknownOrdersAreIgnoredByCancelAndRefund() {
        var b = OrderBook.EMPTY.place("o1", D1, new BigDecimal("40"), 5);
        assertThat(b.cancel("nope")).isEqualTo(b);
        assertThat(b.refund("nope", BigDecimal.ONE)).isEqualTo(b);
    }

    @Test
    void mergingCountsSharedOrdersOnceAndKeepsEvictedTotals() {
        var mine = OrderBook.EMPTY.place("o1", D1, new BigDecimal("10"), 2);
        var other = OrderBook.EMPTY
                .place("o0", D1.minusSeconds(86400 * 30), new BigDecimal("5"), 2)
                .place("o1", D1, new BigDecimal("10"), 2)
                .place("o2", D2, new BigDecimal("20"), 2);
        // capacity 2: o0 was evicted from the other's window but still counts in its totals
        var merged = mine.merge(other, 2);
        assertThat(merged.orders()).isEqualTo(3);
        assertThat(merged.monetary()).isEqualByComparingTo("35");
        assertThat(merged.firstOrderAt()).isEqualTo(D1.minusSeconds(86400 * 30));
        assertThat(merged.lastOrderAt()).isEqualTo(D2);
    }
}

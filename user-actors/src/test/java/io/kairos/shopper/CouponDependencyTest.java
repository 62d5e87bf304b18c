package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A shopper who buys only with coupons, right after they come, has learned to wait; one who pays full price has not.
 */
class CouponDependencyTest {
    private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    private static final Coupon FIVE_OFF =
            new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null);

    private static OfferBook offer(OfferBook book, String id, Instant at) {
        return book.issued(
                new Offer(
                        id,
                        "cp-" + id,
                        "winter",
                        FIVE_OFF,
                        OfferStatus.ISSUED,
                        at,
                        at.plus(Duration.ofDays(7)),
                        "in_app",
                        "d-" + id,
                        new BigDecimal("5.00"),
                        null,
                        null,
                        null),
                "d-" + id,
                at.plus(Duration.ofDays(14)));
    }

    private static OfferBook order(OfferBook book, String id, Instant at, String offerId) {
        var applied = offerId == null
                ? List.<Applied>of()
                : List.of(new Applied(
                        "cp-" + offerId,
                        offerId,
                        "winter",
                        CouponType.AMOUNT_OFF,
                        new BigDecimal("5.00"),
                        Map.of(),
                        false));
        return book.placed(new OrderRecord(
                id,
                at,
                List.of(),
                applied,
                new BigDecimal("30.00"),
                BigDecimal.ZERO,
                offerId == null ? BigDecimal.ZERO : new BigDecimal("5.00"),
                BigDecimal.ZERO,
                new BigDecimal(offerId == null ? "30.00" : "25.00"),
                null,
                List.of()));
    }

    @Test
    void onlyCouponOrdersRightAfterTheCouponsCameIsFullDependency() {
        var book = OfferBook.EMPTY;
        for (int week = 1; week <= 4; week++) {
            var sent = NOW.minus(Duration.ofDays(7L * week));
            book = offer(book, "o" + week, sent);
            book = order(book, "r" + week, sent.plus(Duration.ofDays(1)), "o" + week);
        }
        assertThat(CouponDependency.of(book, NOW)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void fullPricePurchasesThatKeepComingAreNoDependency() {
        var book = OfferBook.EMPTY;
        for (int week = 1; week <= 10; week++)
            book = order(book, "f" + week, NOW.minus(Duration.ofDays(8L * week)), null);
        var sent = NOW.minus(Duration.ofDays(20));
        book = order(offer(book, "o1", sent), "r1", sent.plus(Duration.ofDays(10)), "o1");
        // one coupon order in 12, not right after its offer, and full-price orders as many late as early
        assertThat(CouponDependency.of(book, NOW)).isLessThan(0.05);
    }

    @Test
    void fullPricePurchasesFallingWhileCouponOrdersGrowIsPartialDependency() {
        var book = OfferBook.EMPTY;
        for (int i = 1; i <= 4; i++) book = order(book, "early" + i, NOW.minus(Duration.ofDays(50L + 8 * i)), null);
        book = order(book, "late1", NOW.minus(Duration.ofDays(10)), null);
        for (int i = 1; i <= 3; i++) {
            var sent = NOW.minus(Duration.ofDays(6L * i + 5));
            book = order(offer(book, "o" + i, sent), "c" + i, sent.plus(Duration.ofDays(6)), "o" + i);
        }
        // 3 of 8 orders with a coupon; full-price orders fell from 4 to 1 (three quarters)
        assertThat(CouponDependency.of(book, NOW)).isCloseTo(3.0 / 8 * 0.75, within(1e-9));
    }

    @Test
    void fewOrdersAreNoEvidence() {
        var sent = NOW.minus(Duration.ofDays(5));
        var book = order(offer(OfferBook.EMPTY, "o1", sent), "r1", sent.plus(Duration.ofDays(1)), "o1");
        assertThat(CouponDependency.of(book, NOW)).isZero();
    }
}

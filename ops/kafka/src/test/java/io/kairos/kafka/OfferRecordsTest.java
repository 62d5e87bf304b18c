package io.kairos.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferStatus;
import io.kairos.shopper.ShopperEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferRecordsTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static Offer offer() {
        var coupon = new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null);
        return new Offer(
                "of-1",
                "cp-1",
                "c1",
                coupon,
                OfferStatus.ISSUED,
                T,
                T.plus(Duration.ofDays(7)),
                "email",
                "d-1",
                new BigDecimal("5"),
                null,
                null,
                null);
    }

    @Test
    void anIssuedOfferIsOneRecordKeyedByOfferIdWithTheCouponAndADedupKeyOfIdStatusAndSequenceNumber() {
        var decision = new DecisionRecord(2, "d-1", "s-1", "request", T, null, null, null, List.of(), null);
        var changes = OfferRecords.of("s-1", 17, new ShopperEvent.OfferIssued(offer(), decision, T));

        assertThat(changes).hasSize(1);
        var issued = changes.get(0);
        assertThat(issued.offerId()).isEqualTo("of-1");
        assertThat(issued.shopperId()).isEqualTo("s-1");
        assertThat(issued.status()).isEqualTo("issued");
        assertThat(issued.dedupKey()).isEqualTo("of-1:issued:17");
        assertThat(issued.offer().couponType()).isEqualTo("amount_off");
        assertThat(issued.offer().expiresAt()).isEqualTo(T.plus(Duration.ofDays(7)));
    }

    @Test
    void theSameEventGivesTheSameRecordsEveryTime() {
        var event = new ShopperEvent.OfferClaimed("of-1", "c1", "d-1", T);
        assertThat(OfferRecords.of("s-1", 3, event)).isEqualTo(OfferRecords.of("s-1", 3, event));
    }

    @Test
    void anOrderRedeemingTwoOffersIsOneRecordPerOfferAndItsCancelGivesThemBack() {
        var applied = List.of(
                new Applied("cp-1", "of-1", "c1", CouponType.AMOUNT_OFF, BigDecimal.ONE, Map.of(), false),
                new Applied("cp-2", "of-2", "c2", CouponType.AMOUNT_OFF, BigDecimal.ONE, Map.of(), false));
        var order = new OrderRecord(
                "o1",
                T,
                List.of(),
                applied,
                BigDecimal.TEN,
                BigDecimal.ZERO,
                BigDecimal.ONE,
                BigDecimal.ZERO,
                new BigDecimal("8"),
                null,
                List.of());

        var redeemed = OfferRecords.of("s-1", 5, new ShopperEvent.OrderPlaced(order));
        assertThat(redeemed)
                .extracting(OfferRecords.OfferChange::dedupKey)
                .containsExactly("of-1:redeemed:5", "of-2:redeemed:5");
        assertThat(redeemed).allSatisfy(c -> assertThat(c.orderId()).isEqualTo("o1"));

        var cancelled = OfferRecords.of(
                "s-1",
                6,
                new ShopperEvent.OrderCancelled(
                        "o1",
                        T,
                        List.of(
                                new ShopperEvent.ReturnedCoupon("of-1", "c1", true),
                                new ShopperEvent.ReturnedCoupon("of-2", "c2", false))));
        assertThat(cancelled).extracting(OfferRecords.OfferChange::status).containsExactly("reinstated", "returned");
    }

    @Test
    void eventsThatChangeNoOfferGiveNoRecord() {
        assertThat(OfferRecords.of("s-1", 1, new ShopperEvent.IdentityUnlinked("x", T)))
                .isEmpty();
    }
}

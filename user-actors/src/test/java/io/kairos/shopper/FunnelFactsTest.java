package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.CouponType;
import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.CouponFunnel;
import io.kairos.offer.CouponFunnel.Fact;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.shopper.ShopperEvent.OrderCancelled;
import io.kairos.shopper.ShopperEvent.OrderPlaced;
import io.kairos.shopper.ShopperEvent.ReturnedCoupon;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FunnelFactsTest {
    static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    static Applied applied(String offerId, String campaignId, String discount) {
        return new Applied(
                "cp-" + offerId, offerId, campaignId, CouponType.AMOUNT_OFF, new BigDecimal(discount), Map.of(), false);
    }

    static OrderRecord order(String id, String subtotal, String itemDiscount, List<Applied> applied) {
        return new OrderRecord(
                id,
                AT,
                List.of(),
                applied,
                new BigDecimal(subtotal),
                BigDecimal.ZERO,
                new BigDecimal(itemDiscount),
                BigDecimal.ZERO,
                new BigDecimal(subtotal).subtract(new BigDecimal(itemDiscount)),
                null,
                List.of());
    }

    @Test
    void anOrderCountsOnceForEachCampaignItRedeemedSplitBetweenThatCampaignsCoupons() {
        var facts = FunnelFacts.of(new OrderPlaced(order(
                "o1",
                "110.00",
                "10.00",
                List.of(
                        applied("b", "c1", "3"),
                        applied("a", "c1", "3"),
                        applied("c", "c1", "2"),
                        applied("d", "c2", "2")))));
        assertThat(facts).extracting(Fact::offerId).containsExactly("a", "b", "c", "d");
        assertThat(facts)
                .extracting(Fact::revenue)
                .containsExactly(
                        new BigDecimal("33.34"),
                        new BigDecimal("33.33"),
                        new BigDecimal("33.33"),
                        new BigDecimal("100.00"));
        assertThat(facts)
                .extracting(Fact::amount)
                .containsExactly(new BigDecimal("3"), new BigDecimal("3"), new BigDecimal("2"), new BigDecimal("2"));
        assertThat(facts).allMatch(f -> f.entry().equals("order:o1") && !f.cancel());
    }

    @Test
    void redeliveredOrReorderedFactsOfOneOfferGiveTheSameFunnel() {
        var history = new ArrayList<Fact>();
        history.add(Fact.issued("c1", "a", "amount_off", "email"));
        history.add(Fact.issued("c1", "b", "percent_off", "sms"));
        history.add(Fact.delivered("c1", "a", new BigDecimal("0.002")));
        history.addAll(FunnelFacts.of(new ShopperEvent.DeliveryFailed("b", "c1", "d-b", "email", "bounced", AT)));
        history.add(Fact.delivered("c1", "b", new BigDecimal("0.05")));
        history.add(Fact.opened("c1", "a"));
        history.add(Fact.opened("c1", "a"));
        history.add(Fact.claimed("c1", "a"));
        history.addAll(FunnelFacts.of(new OrderPlaced(order("o1", "40.00", "5.00", List.of(applied("a", "c1", "5"))))));
        history.addAll(FunnelFacts.of(new OrderPlaced(order("o2", "20.00", "4.00", List.of(applied("b", "c1", "4"))))));
        history.addAll(FunnelFacts.of(new OrderCancelled("o2", AT, List.of(new ReturnedCoupon("b", "c1", true)))));
        var once = fold(history);

        assertThat(once.total())
                .isEqualTo(new CouponFunnel.Row(
                        null,
                        null,
                        2,
                        2,
                        1,
                        1,
                        1,
                        0,
                        new BigDecimal("35.00"),
                        new BigDecimal("5"),
                        new BigDecimal("0.052"),
                        new BigDecimal("5.052"),
                        5.927949));
        assertThat(once.rows())
                .extracting(CouponFunnel.Row::couponType, CouponFunnel.Row::channel, CouponFunnel.Row::redeemed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("amount_off", "email", 1L),
                        org.assertj.core.groups.Tuple.tuple("percent_off", "sms", 0L));
        // the cancelled order's offer: no revenue, no discount, still delivered
        assertThat(once.rows().get(1).cost()).isEqualByComparingTo("0.05");
        assertThat(once.rows().get(1).roi()).isEqualTo(-1.0);

        // at least once: everything again (a cancellation seen twice too), and in any order
        var twice = new ArrayList<>(history);
        twice.addAll(history);
        assertThat(fold(twice)).isEqualTo(once);
        var shuffled = new ArrayList<>(history);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(fold(shuffled)).isEqualTo(once);
    }

    @Test
    void factsOfAnOfferWhoseIssueIsNotKnownYetCountNothingAndRoiIsNullWithoutCost() {
        var funnel = fold(List.of(
                Fact.claimed("c1", "x"),
                Fact.opened("c1", "x"),
                Fact.issued("c1", "y", "free_shipping", "in_app"),
                Fact.failed("c1", "y")));
        assertThat(funnel.total().issued()).isEqualTo(1);
        assertThat(funnel.total().undelivered()).isEqualTo(1);
        assertThat(funnel.total().claimed()).isZero();
        assertThat(funnel.total().roi()).isNull();
    }

    private static CouponFunnel.Result fold(List<Fact> facts) {
        var b = new CouponFunnel.Builder();
        facts.forEach(b::add);
        return b.result();
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.CouponType;
import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.CouponFunnel;
import io.kairos.offer.CouponFunnel.Fact;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.FeatureValues;
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

    /** A decision over campaigns a (chosen or not, per {@code chosen}) and b, with campaign c capped and d held out. */
    private static DecisionRecord decision(String chosen, String rule, boolean explored) {
        var candidates = List.of(candidate("a", "in_app"), candidate("a", "email"), candidate("b", "in_app"));
        return new DecisionRecord(
                DecisionRecord.VERSION,
                "d1",
                "s1",
                "request",
                AT,
                new DecisionRecord.Inputs(FeatureValues.EMPTY, FeatureValues.EMPTY.hash(), null),
                new DecisionRecord.Scoring(null, "safe-rule", null, candidates),
                new DecisionRecord.Choice(
                        chosen,
                        chosen == null ? null : "in_app",
                        false,
                        0.25,
                        rule,
                        new DecisionRecord.Exploration(0.25, explored, 1L),
                        chosen == null ? null : new DecisionRecord.Reservation(chosen, "of-d1", new BigDecimal("5")),
                        List.of()),
                List.of("campaign-cap:c", "holdout:d", "live-offer:a"),
                null);
    }

    private static DecisionRecord.CandidateScore candidate(String campaign, String channel) {
        return new DecisionRecord.CandidateScore(
                campaign,
                channel,
                FeatureValues.EMPTY,
                0,
                new DecisionRecord.Response(0.1, 0.05, 0.05),
                new DecisionRecord.Value(
                        "profit",
                        BigDecimal.TEN,
                        "default",
                        0.3,
                        BigDecimal.ONE,
                        BigDecimal.ONE,
                        BigDecimal.ZERO,
                        BigDecimal.ONE.negate()));
    }

    private static Map<String, String> reasons(List<Fact> facts) {
        var out = new java.util.TreeMap<String, String>();
        for (var f : facts) {
            if (f.entry().startsWith("decision:")) {
                assertThat(f.offerId()).isEqualTo("d1");
                out.put(f.campaignId(), f.entry().substring("decision:".length()));
            }
        }
        return out;
    }

    @Test
    void everyDecisionSaysForEachCampaignItConsideredHowItEndedForIt() {
        var offer = new io.kairos.offer.Offer(
                "of-d1",
                "CODE",
                "a",
                io.kairos.campaign.Campaigns.amountOff("5"),
                io.kairos.offer.OfferStatus.ISSUED,
                AT,
                AT.plusSeconds(3600),
                "in_app",
                "d1",
                new BigDecimal("5"),
                null,
                null,
                null);
        var issued =
                FunnelFacts.of(new ShopperEvent.OfferIssued(offer, decision("a", "highest-expected-value", false), AT));
        assertThat(reasons(issued))
                .containsExactlyEntriesOf(
                        new java.util.TreeMap<>(Map.of("a", "issued", "b", "not-chosen", "c", "limited-campaign-cap")));
        assertThat(issued).filteredOn(f -> f.entry().startsWith("decision:")).allMatch(f -> f.amount() == null);

        var explored = FunnelFacts.of(new ShopperEvent.OfferIssued(offer, decision("a", "exploration", true), AT));
        assertThat(reasons(explored)).containsEntry("a", "explored");
        assertThat(explored)
                .filteredOn(f -> f.entry().equals("decision:explored"))
                .extracting(Fact::amount)
                .containsExactly(new BigDecimal("5"));

        assertThat(reasons(FunnelFacts.of(new ShopperEvent.NoOfferDecided(
                        decision(null, "no-positive-value", false), ShopperEvent.NoOfferDecided.NO_OFFER))))
                .containsEntry("a", "no-offer-best")
                .containsEntry("b", "no-offer-best");
        assertThat(reasons(FunnelFacts.of(new ShopperEvent.NoOfferDecided(
                        decision(null, "exploration", true), ShopperEvent.NoOfferDecided.NO_OFFER))))
                .containsEntry("b", "no-offer-explored");
        assertThat(reasons(FunnelFacts.of(new ShopperEvent.NoOfferDecided(
                        decision("b", "highest-expected-value", false), "refused:pacing"))))
                .containsEntry("b", "refused-pacing")
                .containsEntry("a", "not-chosen");
        assertThat(reasons(FunnelFacts.of(new ShopperEvent.HoldoutAssigned("d", decision(null, "holdout", false), AT))))
                .containsExactlyEntriesOf(Map.of("d", "holdout"));
    }

    @Test
    void theFunnelCountsDecisionsByReasonAndWhatExplorationReserved() {
        var b = new CouponFunnel.Builder();
        b.add(Fact.decided("a", "d1", "issued", null));
        b.add(Fact.decided("a", "d2", "explored", new BigDecimal("5")));
        b.add(Fact.decided("a", "d3", "explored", new BigDecimal("2.50")));
        b.add(Fact.decided("a", "d4", "no-offer-best", null));
        var decisions = b.result().decisions();
        assertThat(decisions.byReason())
                .containsExactlyEntriesOf(
                        new java.util.TreeMap<>(Map.of("explored", 2L, "issued", 1L, "no-offer-best", 1L)));
        assertThat(decisions.exploredReserved()).isEqualByComparingTo("7.50");
        // decisions are not offers: the funnel's stages stay empty
        assertThat(b.result().total().issued()).isZero();
    }
}

package io.kairos.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.offer.Checkout.Held;
import io.kairos.offer.Checkout.PricedLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each coupon type's arithmetic, the margin floor, rounding and the stacking rules, in exact decimals. */
class CheckoutTest {
    private static final Instant EXPIRES = Instant.parse("2026-12-01T00:00:00Z");

    private static PricedLine line(String sku, int qty, String price, String floor) {
        return new PricedLine(sku, qty, null, new BigDecimal(price), floor == null ? null : new BigDecimal(floor));
    }

    private static PricedLine line(String sku, int qty, String category, String price, String floor) {
        return new PricedLine(sku, qty, category, new BigDecimal(price), floor == null ? null : new BigDecimal(floor));
    }

    private static Coupon coupon(
            CouponType type,
            String value,
            String minSpend,
            String maxDiscount,
            List<String> skus,
            List<String> categories,
            String group) {
        return new Coupon(
                type,
                new BigDecimal(value),
                minSpend == null ? null : new BigDecimal(minSpend),
                maxDiscount == null ? null : new BigDecimal(maxDiscount),
                skus,
                categories,
                group);
    }

    private static Held held(String id, Coupon c) {
        return new Held(id, "of-" + id, "camp", c, EXPIRES);
    }

    private static Checkout.Result apply(List<PricedLine> lines, String shipping, Held... coupons) {
        return Checkout.apply(lines, shipping == null ? null : new BigDecimal(shipping), List.of(coupons));
    }

    @Test
    void percentOffRoundsHalfUpToCentsAndIsCappedByMaxDiscount() {
        // 3 × 3.33 = 9.99; 15 % = 1.4985 → 1.50
        var r = apply(
                List.of(line("a", 3, "3.33", null)),
                null,
                held("p", coupon(CouponType.PERCENT_OFF, "15", null, "100", List.of(), List.of(), null)));
        assertThat(r.itemDiscount()).isEqualByComparingTo("1.50");
        assertThat(r.total()).isEqualByComparingTo("8.49");
        var capped = apply(
                List.of(line("a", 1, "200.00", null)),
                null,
                held("p", coupon(CouponType.PERCENT_OFF, "20", null, "25", List.of(), List.of(), null)));
        assertThat(capped.itemDiscount()).isEqualByComparingTo("25.00");
    }

    @Test
    void amountOffNeverExceedsTheEligibleItems() {
        var r = apply(
                List.of(line("a", 1, "4.00", null)),
                null,
                held("x", coupon(CouponType.AMOUNT_OFF, "5", null, null, List.of(), List.of(), null)));
        assertThat(r.itemDiscount()).isEqualByComparingTo("4.00");
        assertThat(r.total()).isEqualByComparingTo("0.00");
    }

    @Test
    void thresholdAmountOffNeedsTheMinimumSpendOnEligibleItemsBeforeDiscount() {
        var c = coupon(CouponType.THRESHOLD_AMOUNT_OFF, "10", "100", null, List.of(), List.of("shoes"), null);
        var below = apply(
                List.of(line("a", 1, "shoes", "99.99", null), line("b", 1, "hats", "50", null)), null, held("t", c));
        assertThat(below.applied()).isEmpty();
        assertThat(below.rejected().get(0).reason()).contains("below the minimum spend 100");
        var reached =
                apply(List.of(line("a", 2, "shoes", "50", null), line("b", 1, "hats", "50", null)), null, held("t", c));
        assertThat(reached.itemDiscount()).isEqualByComparingTo("10.00");
        assertThat(reached.applied().get(0).bySku()).isEqualTo(Map.of("a", new BigDecimal("10.00")));
    }

    @Test
    void freeShippingWaivesTheFeeUpToItsValue() {
        var c = coupon(CouponType.FREE_SHIPPING, "6", null, null, List.of(), List.of(), null);
        var r = apply(List.of(line("a", 1, "20", null)), "8.90", held("s", c));
        assertThat(r.shippingDiscount()).isEqualByComparingTo("6.00");
        assertThat(r.total()).isEqualByComparingTo("22.90");
        assertThat(apply(List.of(line("a", 1, "20", null)), "0", held("s", c)).applied())
                .isEmpty();
    }

    @Test
    void aBundleNeedsEveryListedSkuAndSpreadsOverThem() {
        var c = coupon(CouponType.BUNDLE, "9", null, null, List.of("a", "b"), List.of(), null);
        assertThat(apply(List.of(line("a", 1, "10", null), line("c", 1, "10", null)), null, held("b", c))
                        .applied())
                .isEmpty();
        var r = apply(
                List.of(line("a", 1, "10", null), line("b", 1, "20", null), line("c", 1, "30", null)),
                null,
                held("b", c));
        assertThat(r.itemDiscount()).isEqualByComparingTo("9.00");
        // 9.00 over 10 and 20 in proportion: 3.00 and 6.00; c is not part of the bundle
        assertThat(r.applied().get(0).bySku())
                .isEqualTo(Map.of("a", new BigDecimal("3.00"), "b", new BigDecimal("6.00")));
    }

    @Test
    void sharesAddUpToTheDiscountByLargestRemainder() {
        // 10.00 over three equal lines: 3.34, 3.33, 3.33
        var r = apply(
                List.of(line("a", 1, "7", null), line("b", 1, "7", null), line("c", 1, "7", null)),
                null,
                held("x", coupon(CouponType.AMOUNT_OFF, "10", null, null, List.of(), List.of(), null)));
        assertThat(r.applied().get(0).bySku().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("10.00");
        assertThat(r.applied().get(0).bySku().get("a")).isEqualByComparingTo("3.34");
    }

    @Test
    void noItemIsDiscountedBelowItsMarginFloor() {
        // a: 10.00 with floor 9.00 (headroom 1.00); b: 10.00 with no floor; 6.00 off would be 3.00 each
        var r = apply(
                List.of(line("a", 1, "10", "9"), line("b", 1, "10", null)),
                null,
                held("x", coupon(CouponType.AMOUNT_OFF, "6", null, null, List.of(), List.of(), null)));
        assertThat(r.applied().get(0).bySku())
                .isEqualTo(Map.of("a", new BigDecimal("1.00"), "b", new BigDecimal("5.00")));
        assertThat(r.applied().get(0).floorCapped()).isFalse();
        // when every line is near its floor the coupon gives less, and says so
        var floored = apply(
                List.of(line("a", 2, "10", "9.50")),
                null,
                held("x", coupon(CouponType.PERCENT_OFF, "50", null, "100", List.of(), List.of(), null)));
        assertThat(floored.itemDiscount()).isEqualByComparingTo("1.00");
        assertThat(floored.applied().get(0).floorCapped()).isTrue();
        assertThat(apply(
                                List.of(line("a", 1, "10", "10")),
                                null,
                                held("x", coupon(CouponType.AMOUNT_OFF, "1", null, null, List.of(), List.of(), null)))
                        .applied())
                .isEmpty();
    }

    @Test
    void percentAppliesBeforeAmountAndLaterCouponsSeeTheHeadroomLeft() {
        var lines = List.of(line("a", 1, "100", "80"));
        var pct = held("p", coupon(CouponType.PERCENT_OFF, "10", null, "50", List.of(), List.of(), "g1"));
        var amt = held("m", coupon(CouponType.AMOUNT_OFF, "15", null, null, List.of(), List.of(), "g2"));
        var r = apply(lines, null, amt, pct);
        assertThat(r.applied()).extracting(Checkout.Applied::couponId).containsExactly("p", "m");
        // 10 % of 100 = 10, then 15 off but only 10 of headroom remains above the floor of 80
        assertThat(r.applied().get(1).discount()).isEqualByComparingTo("10.00");
        assertThat(r.total()).isEqualByComparingTo("80.00");
    }

    @Test
    void theBestCombinationTakesOneCouponPerStackGroup() {
        var lines = List.of(line("a", 1, "100", null));
        var a = held("a", coupon(CouponType.AMOUNT_OFF, "10", null, null, List.of(), List.of(), "store"));
        var b = held("b", coupon(CouponType.AMOUNT_OFF, "12", null, null, List.of(), List.of(), "store"));
        var s = held("s", coupon(CouponType.FREE_SHIPPING, "5", null, null, List.of(), List.of(), "shipping"));
        var c = held("c", coupon(CouponType.PERCENT_OFF, "5", null, "50", List.of(), List.of(), null));
        var quote = Checkout.quote(lines, new BigDecimal("5"), List.of(a, b, s, c));
        // store: b (12) beats a (10); shipping: s (5); default group: c (5 % of 100 = 5)
        assertThat(quote.best().applied())
                .extracting(Checkout.Applied::couponId)
                .containsExactlyInAnyOrder("b", "s", "c");
        assertThat(quote.best().discount()).isEqualByComparingTo("22.00");
        assertThat(quote.standalone()).hasSize(4);
        // two coupons without a group are both in "default": never together
        var d = held("d", coupon(CouponType.AMOUNT_OFF, "1", null, null, List.of(), List.of(), null));
        var best = Checkout.quote(lines, null, List.of(c, d)).best();
        assertThat(best.applied()).extracting(Checkout.Applied::couponId).containsExactly("c");
    }

    @Test
    void tiesGoToFewerCouponsThenToTheOneExpiringFirst() {
        var lines = List.of(line("a", 1, "10", null));
        var early = amountOff("early", "10", "g", EXPIRES.minusSeconds(60));
        var late = amountOff("late", "10", "g", EXPIRES);
        assertThat(Checkout.quote(lines, null, List.of(late, early)).best().applied())
                .extracting(Checkout.Applied::couponId)
                .containsExactly("early");
        var other = amountOff("other", "5", "h", EXPIRES);
        // early alone already takes the whole 10: adding "other" gives nothing more, so one coupon wins
        assertThat(Checkout.quote(lines, null, List.of(early, other)).best().applied())
                .hasSize(1);
    }

    @Test
    void theMaxCostOfEachTypeIsWhatItCanTakeAtMost() {
        assertThat(coupon(CouponType.PERCENT_OFF, "30", null, "20", List.of(), List.of(), null)
                        .maxCost())
                .isEqualByComparingTo("20");
        assertThat(coupon(CouponType.AMOUNT_OFF, "5", null, null, List.of(), List.of(), null)
                        .maxCost())
                .isEqualByComparingTo("5");
        assertThat(coupon(CouponType.THRESHOLD_AMOUNT_OFF, "10", "100", null, List.of(), List.of(), null)
                        .maxCost())
                .isEqualByComparingTo("10");
        assertThat(coupon(CouponType.FREE_SHIPPING, "8", null, null, List.of(), List.of(), null)
                        .maxCost())
                .isEqualByComparingTo("8");
        assertThat(coupon(CouponType.BUNDLE, "9", null, "7", List.of("a", "b"), List.of(), null)
                        .maxCost())
                .isEqualByComparingTo("7");
        assertThat(Coupon.problems(CouponType.PERCENT_OFF, BigDecimal.TEN, null, null, List.of()))
                .anyMatch(p -> p.startsWith("maxDiscount"));
        assertThat(Coupon.problems(CouponType.THRESHOLD_AMOUNT_OFF, BigDecimal.TEN, null, null, List.of()))
                .anyMatch(p -> p.startsWith("minSpend"));
    }

    @Test
    void allocationIsExactForLargeAmounts() {
        var shares = Checkout.allocate(100_000_000_01L, new long[] {3, 3, 3}, new long[] {
            Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4
        });
        assertThat(shares[0] + shares[1] + shares[2]).isEqualTo(100_000_000_01L);
    }

    @Test
    void oneLineTakesTheWholeAmountUpToItsRoom() {
        assertThat(Checkout.allocate(200, new long[] {7}, new long[] {300})).containsExactly(200);
        assertThat(Checkout.allocate(500, new long[] {7}, new long[] {300})).containsExactly(300);
        assertThat(Checkout.allocate(500, new long[] {0}, new long[] {0})).containsExactly(0);
        // as two lines would share it when the other has no room
        assertThat(Checkout.allocate(500, new long[] {7, 5}, new long[] {300, 0}))
                .containsExactly(300, 0);
    }

    /** A held amount-off coupon of campaign "camp" in stacking group {@code group}. */
    private static Held amountOff(String couponId, String value, String group, Instant expires) {
        return new Held(
                couponId,
                "of-" + couponId,
                "camp",
                coupon(CouponType.AMOUNT_OFF, value, null, null, List.of(), List.of(), group),
                expires);
    }
}

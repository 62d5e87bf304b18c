package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.campaign.MoneyLeft;
import io.kairos.offer.Checkout;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shopper's own price tries only the coupons that can discount one unit of a SKU: ruling a coupon out must agree
 * with what checkout itself does with that coupon on that single line.
 */
class CheckoutRulesTest {

    private static List<Coupon> wallet() {
        var coupons = new ArrayList<Coupon>();
        for (var scope : List.of(
                new List<?>[] {List.of(), List.of()},
                new List<?>[] {List.of("a"), List.of()},
                new List<?>[] {List.of("z"), List.of()},
                new List<?>[] {List.of(), List.of("shoes")},
                new List<?>[] {List.of(), List.of("hats")})) {
            @SuppressWarnings("unchecked")
            List<String> skus = (List<String>) scope[0];
            @SuppressWarnings("unchecked")
            List<String> categories = (List<String>) scope[1];
            coupons.add(new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, skus, categories, null));
            coupons.add(new Coupon(
                    CouponType.PERCENT_OFF, new BigDecimal("10"), null, new BigDecimal("50"), skus, categories, null));
            for (var minSpend : List.of("19.99", "20.00", "20.01"))
                coupons.add(new Coupon(
                        CouponType.THRESHOLD_AMOUNT_OFF,
                        new BigDecimal("3"),
                        new BigDecimal(minSpend),
                        null,
                        skus,
                        categories,
                        null));
            coupons.add(
                    new Coupon(CouponType.FREE_SHIPPING, new BigDecimal("4.90"), null, null, skus, categories, null));
        }
        coupons.add(new Coupon(CouponType.BUNDLE, new BigDecimal("5"), null, null, List.of("a", "b"), List.of(), null));
        return coupons;
    }

    @Test
    void aCouponRuledOutForOneUnitIsOneCheckoutWouldNotApply() {
        var line = new Checkout.PricedLine("a", 1, "shoes", new BigDecimal("20.00"), new BigDecimal("10.00"));
        int ruledOut = 0;
        for (var coupon : wallet()) {
            var held = new Checkout.Held("c", "o", "camp", coupon, Instant.parse("2026-12-31T00:00:00Z"));
            boolean applies = !Checkout.apply(List.of(line), null, List.of(held))
                    .applied()
                    .isEmpty();
            boolean could = CheckoutRules.couldApply(coupon, "a", "shoes", line.unitPrice());
            assertThat(could).as("%s", coupon).isEqualTo(applies);
            if (!could) ruledOut++;
        }
        assertThat(ruledOut).as("the wallet has coupons of both kinds").isBetween(1, wallet().size() - 1);
    }

    /**
     * A coupon is left out only when its campaign's money left is known and less than what the coupon takes off the
     * lines on its own; up to the last cent it still pays, and the other coupons of the wallet stay.
     */
    @Test
    void onlyACouponItsCampaignsMoneyLeftCannotPayIsLeftOutWithWhy() {
        var line = List.of(new Checkout.PricedLine("a", 1, "shoes", new BigDecimal("20.00"), new BigDecimal("10.00")));
        var expiry = Instant.parse("2026-12-31T00:00:00Z");
        var fiveOff = new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null);
        var tenPercent = new Coupon(
                CouponType.PERCENT_OFF, new BigDecimal("10"), null, new BigDecimal("50"), List.of(), List.of(), null);
        var held = List.of(
                new Checkout.Held("c-low-5", "o1", "low", fiveOff, expiry), // takes 5.00, 2.00 left: out
                new Checkout.Held("c-low-10pct", "o2", "low", tenPercent, expiry), // takes 2.00, 2.00 left: pays
                new Checkout.Held("c-rich", "o3", "rich", fiveOff, expiry)); // its campaign pays any coupon
        MoneyLeft left = campaign -> campaign.equals("low") ? new BigDecimal("2.00") : null;
        var refused = new ArrayList<Checkout.NotApplicable>();

        var payable = CheckoutRules.payable(held, line, null, left, refused);

        assertThat(payable).extracting(Checkout.Held::couponId).containsExactly("c-low-10pct", "c-rich");
        assertThat(refused)
                .singleElement()
                .satisfies(r -> assertThat(r.couponId()).isEqualTo("c-low-5"))
                .satisfies(r -> assertThat(r.reason()).contains("has 2.00 left", "the 5.00 it would take off"));
        assertThat(CheckoutRules.payable(held, line, null, MoneyLeft.ANY, null))
                .as("no campaign low on money: the same list")
                .isSameAs(held);
    }

    /** The shopper's price applies a lone usable coupon directly: the same answer as the best combination of it. */
    @Test
    void oneCouponAppliedDirectlyIsTheBestCombinationOfIt() {
        for (var floor : List.of("10.00", "17.50", "20.00")) { // room, a floor that caps, a floor that leaves nothing
            var line =
                    List.of(new Checkout.PricedLine("a", 1, "shoes", new BigDecimal("20.00"), new BigDecimal(floor)));
            for (var coupon : wallet()) {
                var held = List.of(new Checkout.Held("c", "o", "camp", coupon, Instant.parse("2026-12-31T00:00:00Z")));
                var direct = Checkout.apply(line, null, held);
                var best = Checkout.quote(line, null, held).best();
                assertThat(direct.itemDiscount())
                        .as("%s, floor %s", coupon, floor)
                        .isEqualTo(best.itemDiscount());
                assertThat(direct.applied()).as("%s, floor %s", coupon, floor).isEqualTo(best.applied());
            }
        }
    }
}

package io.kairos.tools.shopsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.SharedData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shop simulator's world is fitted to the real data sets, is the same for every policy given a seed, and its local
 * policies never spend beyond their budget.
 */
class ShopSimulatorTest {
    private static ShopCalibration calibration;

    @BeforeAll
    static void fit() throws Exception {
        calibration = ShopCalibration.fit(SharedData.file("lifecycle/cdnow_customers_summary.csv")
                .getParent()
                .getParent());
    }

    @Test
    void theRhythmIsBgNbdOnCdnowAndTheResponseHillstromsAndTheElasticityDominicks() {
        // Fader, Hardie and Lee (2005) report r 0.243, alpha 4.414, a 0.793, b 2.426 on this CDNOW cohort
        assertThat(calibration.rhythm().r()).isCloseTo(0.243, within(0.005));
        assertThat(calibration.rhythm().alpha()).isCloseTo(4.414, within(0.05));
        assertThat(calibration.rhythm().a()).isCloseTo(0.793, within(0.01));
        assertThat(calibration.rhythm().b()).isCloseTo(2.426, within(0.05));
        // Hillstrom: 0.57 % of the control converted, the e-mailed groups about 1.9 times as often
        assertThat(calibration.controlConversion()).isCloseTo(0.0057, within(0.0003));
        assertThat(calibration.promotionLift()).isBetween(1.7, 2.0);
        assertThat(calibration.groupLifts()).hasSizeGreaterThan(10);
        assertThat(calibration.elasticity()).isBetween(-4.0, -2.0);
    }

    @Test
    void aSeedGivesTheSameShopAndTheSameBooksAndAnotherSeedOthers() throws Exception {
        var first = run(1, List.of(LocalShops.none(), LocalShops.blanket(LocalShops.GRID.get(3), 500)));
        var again = run(1, List.of(LocalShops.none(), LocalShops.blanket(LocalShops.GRID.get(3), 500)));
        var other = run(2, List.of(LocalShops.none()));
        assertThat(again.get("none").revenue).isEqualTo(first.get("none").revenue);
        assertThat(again.get("blanket-off5").profitByShopper).isEqualTo(first.get("blanket-off5").profitByShopper);
        assertThat(other.get("none").revenue).isNotEqualTo(first.get("none").revenue);
        assertThat(first.get("none").purchases).isPositive();
        // about 3 % of orders are cancelled before they ship: no purchase, nothing paid
        for (var books : first.values()) {
            double share = (double) books.cancelled / (books.purchases + books.cancelled);
            assertThat(share).as(books.policy).isBetween(0.015, 0.05);
        }
    }

    @Test
    void noPolicySpendsBeyondItsBudgetAndCouponsPayWhereShoppersRespond() throws Exception {
        var books = run(
                3,
                List.of(
                        LocalShops.none(),
                        LocalShops.blanket(LocalShops.GRID.get(4), 200),
                        LocalShops.rfm(200),
                        LocalShops.oracle(200)));
        for (var name : List.of("blanket-off10", "rfm", "oracle")) {
            assertThat(books.get(name).budgetUsed).as(name).isLessThanOrEqualTo(200.0 + 1e-9);
            assertThat(books.get(name).redeemed).as(name).isPositive();
        }
        // the oracle sends only what it expects to pay: it makes more than sending nothing
        var oracle = ShopSimulator.incremental(books.get("oracle"), books.get("none"));
        assertThat(oracle[0]).isPositive();
        assertThat(oracle[1]).isLessThan(oracle[0]).as("an interval around the estimate");
    }

    private static java.util.Map<String, ShopSimulator.Books> run(long seed, List<ShopSimulator.Shop> shops)
            throws Exception {
        return ShopSimulator.run(new ShopWorld(calibration, 2000, 100, seed), shops, 21, line -> {});
    }
}

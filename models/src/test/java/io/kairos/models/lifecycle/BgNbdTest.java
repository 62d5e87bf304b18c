package io.kairos.models.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.SharedData;
import io.kairos.models.data.CsvTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BgNbdTest {
    private static BgNbdFitter.Fit fit;

    @BeforeAll
    static void fitCdnow() throws Exception {
        CsvTable t = CsvTable.read(SharedData.file("lifecycle/cdnow_customers_summary.csv"));
        var rows = new ArrayList<BgNbdFitter.Summary>();
        for (int i = 0; i < t.size(); i++) {
            rows.add(new BgNbdFitter.Summary(
                    Double.parseDouble(t.get(i, t.column("frequency"))),
                    Double.parseDouble(t.get(i, t.column("recency"))),
                    Double.parseDouble(t.get(i, t.column("T")))));
        }
        fit = new BgNbdFitter().fit(rows);
    }

    @Test
    void reproducesFaderHardieLeeParametersOnCdnow() {
        BgNbdModel m = fit.model();
        assertThat(m.r()).isCloseTo(0.243, within(0.005));
        assertThat(m.alpha()).isCloseTo(4.414, within(0.005));
        assertThat(m.a()).isCloseTo(0.793, within(0.005));
        assertThat(m.b()).isCloseTo(2.426, within(0.005));
        // The published maximum: lifetimes reports -9582.43 for the same file.
        assertThat(fit.logLikelihood()).isCloseTo(-9582.43, within(0.01));
    }

    @Test
    void shopperWithoutRepeatPurchasesIsAlive() {
        assertThat(fit.model().pAlive(0, 0, 38)).isEqualTo(1.0);
    }

    @Test
    void longSilenceAfterFrequentBuyingLowersPAlive() {
        BgNbdModel m = fit.model();
        double recent = m.pAlive(10, 37, 38);
        double silent = m.pAlive(10, 5, 38);
        assertThat(recent).isGreaterThan(0.9);
        assertThat(silent).isLessThan(0.1);
    }

    @Test
    void conditionalExpectationOfABrandNewShopperIsTheUnconditionalOne() {
        BgNbdModel m = fit.model();
        assertThat(m.expectedPurchases(39, 0, 0, 0)).isCloseTo(m.expectedPurchasesNew(39), within(1e-9));
        assertThat(m.expectedPurchases(0, 3, 20, 30)).isZero();
    }

    @Test
    void hypergeometricMatchesAClosedForm() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for (double z : List.of(0.1, 0.5, 0.9, 0.99)) {
            assertThat(Hypergeometric.f21(1, 1, 2, z)).isCloseTo(-Math.log(1 - z) / z, within(1e-9));
        }
    }
}

package io.kairos.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.SharedData;
import io.kairos.models.data.CsvTable;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ElasticityTest {
    @Test
    void orangeJuiceElasticityWithBrandInterceptsIsAboutMinusThree() throws Exception {
        CsvTable t = CsvTable.read(SharedData.file("pricing/dominicks_oj.csv"));
        ElasticityFitter.Fit fit = new ElasticityFitter().fit(t, "price", "sales", "brand");
        assertThat(fit.model().elasticity()).isCloseTo(-3.1, within(0.1));
        assertThat(fit.rows()).isEqualTo(28_947);
        assertThat(fit.model().intercepts()).containsOnlyKeys("dominicks", "minute.maid", "tropicana");
        // Premium brands sell more at the same price.
        assertThat(fit.model().intercepts().get("tropicana"))
                .isGreaterThan(fit.model().intercepts().get("dominicks"));
    }

    @Test
    void recoversAKnownCurveExactly() {
        var obs = new ArrayList<ElasticityFitter.Observation>();
        var rnd = new Random(5);
        for (int i = 0; i < 200; i++) {
            double p = 1 + 4 * rnd.nextDouble();
            String g = i % 2 == 0 ? "a" : "b";
            double intercept = g.equals("a") ? 5 : 6;
            obs.add(new ElasticityFitter.Observation(p, Math.exp(intercept - 1.7 * Math.log(p)), g));
        }
        DemandModel m = new ElasticityFitter().fit(obs).model();
        assertThat(m.elasticity()).isCloseTo(-1.7, within(1e-9));
        assertThat(m.intercepts().get("a")).isCloseTo(5, within(1e-9));
        assertThat(m.intercepts().get("b")).isCloseTo(6, within(1e-9));
        // No noise: smearing is 1, so expected demand is the curve itself.
        assertThat(m.expectedDemand(2.0, "b")).isCloseTo(Math.exp(6 - 1.7 * Math.log(2)), within(1e-6));
        assertThat(m.expectedDemand(2.0, "unknown")).isCloseTo(Math.exp(5.5 - 1.7 * Math.log(2)), within(1e-6));
    }

    @Test
    void skipsRowsWhoseLogIsUndefined() throws Exception {
        CsvTable t = CsvTable.read(new java.io.StringReader("p,q\n1,10\n2,\n0,5\n3,-1\n2,4\n4,2\n"));
        ElasticityFitter.Fit fit = new ElasticityFitter().fit(t, "p", "q", null);
        assertThat(fit.rows()).isEqualTo(3);
        assertThat(fit.skipped()).isEqualTo(3);
        assertThat(fit.model().intercepts()).containsOnlyKeys(ElasticityFitter.ALL);
    }
}

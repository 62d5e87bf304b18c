package io.kairos.pricing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonRegressionTest {

    private static final PoissonRegression.Gaussian WEAK_PRIOR = new PoissonRegression.Gaussian(
            new double[] {Math.log(0.05), -2.0, 0.0}, new double[][] {{4, 0, 0}, {0, 4, 0}, {0, 0, 4}});

    @Test
    void recoversTheCurveFromPlentifulData() {
        double[] truth = {Math.log(0.04), -2.5, -0.8};
        var data = new ArrayList<PoissonRegression.Point>();
        for (double x = -0.35; x <= 0.25; x += 0.05) {
            double exposure = 1_000_000;
            data.add(new PoissonRegression.Point(x, exposure, exposure * Math.exp(PoissonRegression.eta(truth, x))));
        }

        var posterior = PoissonRegression.posterior(WEAK_PRIOR, data);

        assertThat(posterior.mean()[0]).isCloseTo(truth[0], within(0.01));
        assertThat(posterior.mean()[1]).isCloseTo(truth[1], within(0.02));
        assertThat(posterior.mean()[2]).isCloseTo(truth[2], within(0.05));
        assertThat(posterior.sd(1)).isLessThan(0.05);
    }

    @Test
    void withoutDataThePosteriorIsThePrior() {
        var posterior = PoissonRegression.posterior(WEAK_PRIOR, List.of());

        assertThat(posterior.mean()).containsExactly(WEAK_PRIOR.mean(), within(1e-9));
        assertThat(posterior.sd(1)).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void drawsFollowThePosterior() {
        var rng = new SplittableRandom(7);
        double sum = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) sum += WEAK_PRIOR.sample(rng)[1];

        assertThat(sum / n).isCloseTo(-2.0, within(0.15));
    }
}

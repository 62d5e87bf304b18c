package io.kairos.pricing.policy;

import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Bayesian Poisson regression of counts on a quadratic in one feature, with a log link and a Gaussian prior:
 * {@code count ~ Poisson(exposure * exp(a + b x + c x^2))}, {@code (a, b, c) ~ N(mean, cov)}. The posterior is
 * approximated by a Gaussian at its mode (Laplace): the mode by Newton's method with step halving, the covariance as
 * the inverse of the negative Hessian there. The log posterior is concave, so the mode is unique.
 *
 * <p>Used by {@link ThompsonPolicy} with {@code x = ln(price / list price)}, counts = units, exposure = views:
 * {@code b} is the elasticity at the list price, {@code c} lets the elasticity change with the price.
 */
public final class PoissonRegression {

    /** A data point: feature, exposure and observed count. */
    public record Point(double x, double exposure, double count) {}

    /** A Gaussian belief over (a, b, c); the covariance is made exactly symmetric (inversion leaves rounding noise). */
    public record Gaussian(double[] mean, double[][] cov) {

        public Gaussian {
            mean = mean.clone();
            cov = symmetric(cov);
        }

        public Gaussian widened(double[] extraSd) {
            var c = new double[3][3];
            for (int i = 0; i < 3; i++) {
                c[i] = cov[i].clone();
                c[i][i] += extraSd[i] * extraSd[i];
            }
            return new Gaussian(mean.clone(), c);
        }

        /** One draw, from standard normal draws of {@code rng}. */
        public double[] sample(RandomGenerator rng) {
            RealMatrix l = new CholeskyDecomposition(MatrixUtils.createRealMatrix(cov), SYMMETRY, POSITIVITY).getL();
            double[] z = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            RealVector draw = l.operate(MatrixUtils.createRealVector(z)).add(MatrixUtils.createRealVector(mean));
            return draw.toArray();
        }

        public double sd(int i) {
            return Math.sqrt(cov[i][i]);
        }
    }

    private static final int MAX_ITERATIONS = 50;
    private static final double SYMMETRY = 1e-9;
    private static final double POSITIVITY = 1e-300;
    private static final double MAX_ETA = 30.0;

    private PoissonRegression() {}

    public static double eta(double[] theta, double x) {
        return theta[0] + theta[1] * x + theta[2] * x * x;
    }

    /** The Laplace approximation of the posterior given {@code prior} and {@code data}. */
    public static Gaussian posterior(Gaussian prior, List<Point> data) {
        RealMatrix priorPrecision = MatrixUtils.createRealMatrix(symmetric(
                MatrixUtils.inverse(MatrixUtils.createRealMatrix(prior.cov())).getData()));
        double[] theta = prior.mean().clone();
        double current = logPosterior(theta, prior.mean(), priorPrecision, data);
        RealMatrix negHessian = negativeHessian(theta, priorPrecision, data);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            RealVector step = new CholeskyDecomposition(negHessian, SYMMETRY, POSITIVITY)
                    .getSolver()
                    .solve(gradient(theta, prior.mean(), priorPrecision, data));
            double scale = 1.0;
            double[] next = theta;
            double value = current;
            while (scale > 1e-6) {
                next = new double[3];
                for (int i = 0; i < 3; i++) next[i] = theta[i] + scale * step.getEntry(i);
                value = logPosterior(next, prior.mean(), priorPrecision, data);
                if (value >= current - 1e-12) break;
                scale /= 2;
            }
            double moved = step.getLInfNorm() * scale;
            theta = next;
            current = value;
            negHessian = negativeHessian(theta, priorPrecision, data);
            if (moved < 1e-9) break;
        }
        return new Gaussian(theta, MatrixUtils.inverse(negHessian).getData());
    }

    private static double[][] symmetric(double[][] m) {
        var out = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) out[i][j] = 0.5 * (m[i][j] + m[j][i]);
        return out;
    }

    private static double logPosterior(double[] theta, double[] mean, RealMatrix precision, List<Point> data) {
        double ll = 0;
        for (var p : data) {
            double eta = Math.min(eta(theta, p.x()), MAX_ETA);
            ll += p.count() * eta - p.exposure() * Math.exp(eta);
        }
        RealVector d = MatrixUtils.createRealVector(theta).subtract(MatrixUtils.createRealVector(mean));
        return ll - 0.5 * d.dotProduct(precision.operate(d));
    }

    private static RealVector gradient(double[] theta, double[] mean, RealMatrix precision, List<Point> data) {
        RealVector d = MatrixUtils.createRealVector(theta).subtract(MatrixUtils.createRealVector(mean));
        RealVector g = precision.operate(d).mapMultiply(-1);
        for (var p : data) {
            double eta = Math.min(eta(theta, p.x()), MAX_ETA);
            double r = p.count() - p.exposure() * Math.exp(eta);
            g.addToEntry(0, r);
            g.addToEntry(1, r * p.x());
            g.addToEntry(2, r * p.x() * p.x());
        }
        return g;
    }

    private static RealMatrix negativeHessian(double[] theta, RealMatrix precision, List<Point> data) {
        RealMatrix h = precision.copy();
        for (var p : data) {
            double mu = p.exposure() * Math.exp(Math.min(eta(theta, p.x()), MAX_ETA));
            double[] phi = {1, p.x(), p.x() * p.x()};
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) h.addToEntry(i, j, mu * phi[i] * phi[j]);
        }
        return h;
    }
}

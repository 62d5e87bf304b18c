package io.kairos.models.lifecycle;

import java.util.List;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Fits {@link BgNbdModel} by maximum likelihood with Commons Math's Nelder–Mead simplex over the logarithms of the four
 * parameters (so they stay positive without constraints). The simplex is restarted from its own optimum until the
 * log-likelihood stops improving, which guards against the early stalls Nelder–Mead is known for.
 */
public final class BgNbdFitter {
    /** One shopper's summary: repeat purchases, time of last purchase, age (same time unit throughout). */
    public record Summary(double frequency, double recency, double age) {
        public Summary {
            if (frequency < 0 || recency < 0 || age < recency) {
                throw new IllegalArgumentException("invalid summary: x=" + frequency + " t_x=" + recency + " T=" + age);
            }
        }
    }

    /** The fitted model and its total log-likelihood. */
    public record Fit(BgNbdModel model, double logLikelihood, int evaluations) {}

    private static final int MAX_RESTARTS = 20;

    /** The (frequency, recency, T) summary of a CSV with those columns, one shopper a row. */
    public static List<Summary> readSummary(java.nio.file.Path file) throws java.io.IOException {
        var t = io.kairos.models.data.CsvTable.read(file);
        int f = t.column("frequency");
        int r = t.column("recency");
        int age = t.column("T");
        var rows = new java.util.ArrayList<Summary>(t.size());
        for (int i = 0; i < t.size(); i++) {
            Double x = io.kairos.models.features.FeatureSchema.parseNumber(t.get(i, f));
            Double tx = io.kairos.models.features.FeatureSchema.parseNumber(t.get(i, r));
            Double tt = io.kairos.models.features.FeatureSchema.parseNumber(t.get(i, age));
            if (x == null || tx == null || tt == null) {
                throw new IllegalArgumentException(
                        file + " data row " + i + ": frequency, recency and T must be numbers");
            }
            rows.add(new Summary(x, tx, tt));
        }
        return rows;
    }

    public Fit fit(List<Summary> shoppers) {
        if (shoppers.isEmpty()) {
            throw new IllegalArgumentException("no shoppers to fit");
        }
        MultivariateFunction ll = p -> {
            var model = new BgNbdModel(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2]), Math.exp(p[3]));
            double sum = 0;
            for (Summary s : shoppers) {
                sum += model.logLikelihood(s.frequency(), s.recency(), s.age());
            }
            return Double.isNaN(sum) ? Double.NEGATIVE_INFINITY : sum;
        };
        var optimizer = new SimplexOptimizer(1e-12, 1e-12);
        double[] start = {0, 0, 0, 0};
        double best = Double.NEGATIVE_INFINITY;
        int evaluations = 0;
        for (int i = 0; i < MAX_RESTARTS; i++) {
            PointValuePair opt = optimizer.optimize(
                    new MaxEval(20_000),
                    new ObjectiveFunction(ll),
                    GoalType.MAXIMIZE,
                    new InitialGuess(start),
                    new NelderMeadSimplex(4, 0.5));
            evaluations += optimizer.getEvaluations();
            start = opt.getPoint();
            boolean improved = opt.getValue() > best + 1e-9;
            best = Math.max(best, opt.getValue());
            if (!improved) {
                break;
            }
        }
        var model = new BgNbdModel(Math.exp(start[0]), Math.exp(start[1]), Math.exp(start[2]), Math.exp(start[3]));
        return new Fit(model, best, evaluations);
    }
}

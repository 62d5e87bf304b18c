package io.kairos.models.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Uplift evaluation metrics over a scored, randomised test set, defined exactly as scikit-uplift defines them so our
 * figures compare with published ones.
 *
 * <ul>
 *   <li>{@link #upliftAtK}: rank all rows by predicted uplift (descending; ties by row position, later first, like
 *       {@code argsort(kind="mergesort")[::-1]}), take the top {@code floor(n·k)}, and return mean(outcome | treated) −
 *       mean(outcome | control) within them (scikit-uplift's {@code strategy="overall"}).
 *   <li>{@link #qiniCoefficient}: area between the Qini curve and the random line, divided by the same area for the
 *       perfect ranking that also puts negative-effect rows last ({@code qini_auc_score(negative_effect=True)}).
 *   <li>{@link #auuc}: the same normalisation applied to the uplift curve ({@code uplift_auc_score}).
 * </ul>
 *
 * Curves have one point per distinct score (tied rows enter together) plus the origin; areas use the trapezoid rule.
 * Outcomes for Qini/AUUC must be 0/1. Stateless.
 */
public final class UpliftMetrics {
    private UpliftMetrics() {}

    /** A curve: x = number of rows targeted, y = curve value. */
    record Curve(double[] x, double[] y) {
        double area() {
            double a = 0;
            for (int i = 1; i < x.length; i++) {
                a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
            }
            return a;
        }
    }

    public static double upliftAtK(double[] outcome, boolean[] treated, double[] uplift, double k) {
        check(outcome, treated, uplift);
        if (!(k > 0 && k <= 1)) {
            throw new IllegalArgumentException("k must be in (0, 1]: " + k);
        }
        Integer[] order = descending(uplift);
        int top = (int) (outcome.length * k);
        double sumT = 0, sumC = 0;
        int nT = 0, nC = 0;
        for (int i = 0; i < top; i++) {
            int r = order[i];
            if (treated[r]) {
                sumT += outcome[r];
                nT++;
            } else {
                sumC += outcome[r];
                nC++;
            }
        }
        // An empty arm has no mean: NaN, like numpy's mean of an empty array.
        return sumT / nT - sumC / nC;
    }

    public static double qiniCoefficient(double[] outcome, boolean[] treated, double[] uplift) {
        check(outcome, treated, uplift);
        double[] perfect = new double[outcome.length];
        for (int i = 0; i < perfect.length; i++) {
            perfect[i] = treated[i] ? outcome[i] : -outcome[i];
        }
        return normalised(curve(outcome, treated, uplift, true), curve(outcome, treated, perfect, true));
    }

    public static double auuc(double[] outcome, boolean[] treated, double[] uplift) {
        check(outcome, treated, uplift);
        int treatedResponders = 0, controlNonResponders = 0;
        for (int i = 0; i < outcome.length; i++) {
            if (treated[i] && outcome[i] == 1) {
                treatedResponders++;
            }
            if (!treated[i] && outcome[i] == 0) {
                controlNonResponders++;
            }
        }
        double[] perfect = new double[outcome.length];
        for (int i = 0; i < perfect.length; i++) {
            double t = treated[i] ? 1 : 0;
            double summand = treatedResponders > controlNonResponders ? outcome[i] : t;
            perfect[i] = 2 * (outcome[i] == t ? 1 : 0) + summand;
        }
        return normalised(curve(outcome, treated, uplift, false), curve(outcome, treated, perfect, false));
    }

    private static double normalised(Curve actual, Curve perfect) {
        int last = perfect.x().length - 1;
        double baseline = new Curve(new double[] {0, perfect.x()[last]}, new double[] {0, perfect.y()[last]}).area();
        return (actual.area() - baseline) / (perfect.area() - baseline);
    }

    /** Qini curve ({@code qini=true}) or uplift curve, one point per distinct score, starting at the origin. */
    static Curve curve(double[] outcome, boolean[] treated, double[] score, boolean qini) {
        Integer[] order = descending(score);
        int n = order.length;
        var xs = new double[n + 1];
        var ys = new double[n + 1];
        int points = 1;
        double nT = 0, yT = 0, yC = 0;
        for (int i = 0; i < n; i++) {
            int r = order[i];
            if (treated[r]) {
                nT++;
                yT += outcome[r];
            } else {
                yC += outcome[r];
            }
            boolean lastOfTie = i == n - 1 || score[order[i + 1]] != score[r];
            if (!lastOfTie) {
                continue;
            }
            double all = i + 1;
            double nC = all - nT;
            double value;
            if (qini) {
                value = yT - (nC == 0 ? 0 : yC * nT / nC);
            } else {
                value = ((nT == 0 ? 0 : yT / nT) - (nC == 0 ? 0 : yC / nC)) * all;
            }
            xs[points] = all;
            ys[points] = value;
            points++;
        }
        return new Curve(Arrays.copyOf(xs, points), Arrays.copyOf(ys, points));
    }

    private static Integer[] descending(double[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                Comparator.<Integer>comparingDouble(i -> -(score[i] + 0.0)).thenComparing(Comparator.reverseOrder()));
        return order;
    }

    private static void check(double[] outcome, boolean[] treated, double[] uplift) {
        if (outcome.length != treated.length || outcome.length != uplift.length) {
            throw new IllegalArgumentException("outcome, treated and uplift must have the same length");
        }
        if (outcome.length == 0) {
            throw new IllegalArgumentException("no rows to evaluate");
        }
        for (double u : uplift) {
            if (Double.isNaN(u)) {
                throw new IllegalArgumentException("uplift scores must not be NaN");
            }
        }
    }
}

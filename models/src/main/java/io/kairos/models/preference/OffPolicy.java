package io.kairos.models.preference;

import java.util.Arrays;
import java.util.Random;

/**
 * Off-policy value of a policy on logged, randomised units: inverse propensity scoring (IPS) and its self-normalised
 * form (SNIPS), with percentile bootstrap intervals that resample customers (all of a customer's units together, since
 * one customer's waves are not independent).
 *
 * <p>A unit contributes {@code w·y} with {@code w = π(a|x) / p(a)}, the policy's probability of the logged action over
 * the logging propensity. Per customer (the sum over their units): IPS = mean over customers of Σ w·y; SNIPS = units
 * per customer × Σ w·y / Σ w, which trades a little bias for much less variance when weights are large.
 */
public final class OffPolicy {
    private OffPolicy() {}

    /** An estimate with its 95 % interval. */
    public record Interval(double estimate, double low, double high) {}

    /**
     * The per-customer sums a policy's estimates are built from: Σ w·y and Σ w over each customer's units. With
     * {@code units} (each customer's number of units), estimates are per unit instead of per customer, for logs where
     * customers have different numbers of units.
     */
    public record Weighted(double[] weightedValue, double[] weight, int unitsPerCustomer, double[] units) {
        /** Per-customer estimates, every customer with {@code unitsPerCustomer} units. */
        public Weighted(double[] weightedValue, double[] weight, int unitsPerCustomer) {
            this(weightedValue, weight, unitsPerCustomer, null);
        }

        public double ips(int[] sample) {
            double s = 0, n = 0;
            for (int c : sample) {
                s += weightedValue[c];
                n += units == null ? 1 : units[c];
            }
            return n == 0 ? 0 : s / n;
        }

        public double snips(int[] sample) {
            double num = 0, den = 0;
            for (int c : sample) {
                num += weightedValue[c];
                den += weight[c];
            }
            if (den == 0) return 0;
            return (units == null ? unitsPerCustomer : 1) * num / den;
        }
    }

    /**
     * Per-customer sums for a policy. {@code customerOf[i]} indexes 0..customers-1; {@code policyProbability[i]} is
     * π(logged action | unit i), {@code propensity[i]} the logging probability of that action.
     */
    public static Weighted weigh(
            int customers,
            int unitsPerCustomer,
            int[] customerOf,
            double[] value,
            double[] policyProbability,
            double[] propensity) {
        var wy = new double[customers];
        var w = new double[customers];
        for (int i = 0; i < value.length; i++) {
            double weight = policyProbability[i] / propensity[i];
            wy[customerOf[i]] += weight * value[i];
            w[customerOf[i]] += weight;
        }
        return new Weighted(wy, w, unitsPerCustomer);
    }

    /** Which estimator. */
    public enum Estimator {
        IPS,
        SNIPS;

        double of(Weighted w, int[] sample) {
            return this == IPS ? w.ips(sample) : w.snips(sample);
        }
    }

    /**
     * The estimate of {@code a} minus {@code b} (b may be null: a alone), with a percentile interval over
     * {@code resamples} bootstrap draws of customers, paired (the same draw for both).
     */
    public static Interval estimate(Weighted a, Weighted b, Estimator estimator, int resamples, long seed) {
        int n = a.weightedValue().length;
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        double point = estimator.of(a, all) - (b == null ? 0 : estimator.of(b, all));
        var random = new Random(seed);
        var draws = new double[resamples];
        var sample = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) sample[i] = random.nextInt(n);
            draws[r] = estimator.of(a, sample) - (b == null ? 0 : estimator.of(b, sample));
        }
        Arrays.sort(draws);
        return new Interval(point, percentile(draws, 0.025), percentile(draws, 0.975));
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}

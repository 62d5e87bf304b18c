package io.kairos.tools.pricing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * A SKU's true demand, hidden from the policies: who comes and who buys at a posted price, hour by hour.
 *
 * <p>Shoppers view the SKU at a Poisson rate {@code baseViewsPerHour * intraday(hour) * weekday(day) * dayNoise}. A
 * viewer buys with a probability that depends on the price and on the hour's purchase intent {@code m_t}:
 *
 * <ul>
 *   <li>{@link Family#CONSTANT_ELASTICITY}: {@code min(0.95, m_t * q0 * (p / list)^e)};
 *   <li>{@link Family#LOGIT}: {@code qmax / (1 + exp(k - ln m_t + s (p / list - 1)))}, with {@code k} and {@code s} set
 *       so that the buying probability at the list price is {@code q0} and the elasticity there is {@code e}. Its
 *       elasticity grows in magnitude with the price, and with intent the best price moves.
 * </ul>
 *
 * Intent rises at the lunch and evening peaks and falls at night ({@code m_t = 1 + amplitude * shape(hour)}); a buyer
 * takes {@code 1 + Poisson(0.2)} units.
 */
public record HiddenDemand(
        Family family,
        double listPrice,
        double elasticityAtList,
        double buyProbabilityAtList,
        double saturation,
        double baseViewsPerHour,
        double intentAmplitude,
        double[] dayNoise) {

    public enum Family {
        CONSTANT_ELASTICITY,
        LOGIT
    }

    /** Mean units per buyer. */
    public static final double UNITS_PER_BUYER = 1.2;

    /** Traffic by hour of day, mean 1: quiet night, lunch and evening peaks. */
    private static final double[] TRAFFIC = normalised(new double[] {
        0.25, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1.0, 1.1, 1.3,
        1.7, 1.6, 1.1, 1.0, 1.0, 1.1, 1.4, 1.9, 2.1, 1.8, 1.2, 0.6
    });

    /** Purchase-intent shape by hour of day: -0.5 at night, +1 at the peaks. */
    private static final double[] INTENT = {
        -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.2, 0, 0, 0, 0, 0.5, 1, 1, 0.3, 0, 0, 0, 0.5, 1, 1, 1, 0.5, 0
    };

    private static final double[] WEEKDAY = {0.95, 0.95, 0.95, 1.0, 1.05, 1.2, 1.15};

    /** Draws a plausible SKU: elasticity at list in [-4, -1.2], buying probability 2-6 %, 200-2,000 views a day. */
    public static HiddenDemand draw(SplittableRandom rng, Family family, double listPrice, int days) {
        double elasticity = -1.2 - 2.8 * rng.nextDouble();
        double q0 = 0.02 + 0.04 * rng.nextDouble();
        double saturation = 0.15 + 0.25 * rng.nextDouble();
        double viewsPerDay = Math.exp(Math.log(200) + rng.nextDouble() * Math.log(10));
        double amplitude = 0.3 * rng.nextDouble();
        double[] noise = new double[days + 1];
        for (int d = 0; d < noise.length; d++) noise[d] = Math.exp(0.15 * rng.nextGaussian() - 0.5 * 0.15 * 0.15);
        return new HiddenDemand(family, listPrice, elasticity, q0, saturation, viewsPerDay / 24, amplitude, noise);
    }

    public double intent(int hourOfDay) {
        return 1 + intentAmplitude * INTENT[hourOfDay];
    }

    /** Probability that a viewer at hour {@code hourOfDay} buys at {@code price}. */
    public double buyProbability(double price, int hourOfDay) {
        double m = intent(hourOfDay);
        double relative = price / listPrice;
        if (family == Family.CONSTANT_ELASTICITY) {
            return Math.min(0.95, m * buyProbabilityAtList * Math.pow(relative, elasticityAtList));
        }
        double k = Math.log(saturation / buyProbabilityAtList - 1);
        double s = -elasticityAtList / (1 - buyProbabilityAtList / saturation);
        return saturation / (1 + Math.exp(k - Math.log(m) + s * (relative - 1)));
    }

    /** Expected views in the hour starting at {@code t} ({@code day} counted from the start of the run). */
    public double expectedViews(Instant t, int day) {
        var at = t.atZone(ZoneOffset.UTC);
        DayOfWeek dow = at.getDayOfWeek();
        return baseViewsPerHour
                * TRAFFIC[at.getHour()]
                * WEEKDAY[dow.getValue() - 1]
                * dayNoise[Math.min(day, dayNoise.length - 1)];
    }

    private static double[] normalised(double[] v) {
        double sum = 0;
        for (double x : v) sum += x;
        double mean = sum / v.length;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] / mean;
        return out;
    }
}

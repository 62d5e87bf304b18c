package io.kairos.models.lifecycle;

import org.apache.commons.math3.special.Gamma;

/**
 * A fitted BG/NBD customer-base model (Fader, Hardie &amp; Lee 2005): while alive a shopper buys as a Poisson process
 * with rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
 *
 * <p>A shopper is summarised as (x, t<sub>x</sub>, T): repeat purchases, time of the last one and age, all measured
 * from the first purchase in the model's time unit (weeks for CDNOW). Immutable; every method is pure and cheap, so
 * actors call it inline.
 *
 * @param r shape of the purchase-rate Gamma
 * @param alpha scale of the purchase-rate Gamma
 * @param a first Beta parameter of the drop-out probability
 * @param b second Beta parameter of the drop-out probability
 */
public record BgNbdModel(double r, double alpha, double a, double b) {
    public BgNbdModel {
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
            throw new IllegalArgumentException(
                    "BG/NBD parameters must be positive: " + r + ", " + alpha + ", " + a + ", " + b);
        }
    }

    /** Log-likelihood of one shopper's (x, t_x, T). */
    public double logLikelihood(double x, double tx, double age) {
        double a1 = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
        double a2 = Gamma.logGamma(a + b) + Gamma.logGamma(b + x) - Gamma.logGamma(b) - Gamma.logGamma(a + b + x);
        double a3 = -(r + x) * Math.log(alpha + age);
        if (x <= 0) {
            return a1 + a2 + a3;
        }
        double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        double max = Math.max(a3, a4);
        return a1 + a2 + max + Math.log(Math.exp(a3 - max) + Math.exp(a4 - max));
    }

    /** P(still alive at age T | x, t_x). */
    public double pAlive(double x, double tx, double age) {
        if (x <= 0) {
            return 1;
        }
        double logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + age) - Math.log(alpha + tx));
        return 1 / (1 + Math.exp(logRatio));
    }

    /** Expected purchases in the next {@code t} time units of a shopper with history (x, t_x, T). */
    public double expectedPurchases(double t, double x, double tx, double age) {
        if (t <= 0) {
            return 0;
        }
        double z = t / (alpha + age + t);
        double hyp = Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        double numerator =
                (a + b + x - 1) / (a - 1) * (1 - Math.exp((r + x) * Math.log((alpha + age) / (alpha + age + t))) * hyp);
        double denominator =
                x > 0 ? 1 + a / (b + x - 1) * Math.exp((r + x) * Math.log((alpha + age) / (alpha + tx))) : 1;
        return numerator / denominator;
    }

    /** Expected purchases of a new shopper in their first {@code t} time units. */
    public double expectedPurchasesNew(double t) {
        double hyp = Hypergeometric.f21(r, b, a + b - 1, t / (alpha + t));
        return (a + b - 1) / (a - 1) * (1 - Math.pow(alpha / (alpha + t), r) * hyp);
    }
}

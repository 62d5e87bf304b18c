package io.kairos.models.lifecycle;

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 by its power series, which is what BG/NBD's
 * expected-purchases formulas need (z = t / (α + T + t) is always in that range). Neither Commons Math nor Hipparchus
 * ships ₂F₁, hence this one function.
 */
final class Hypergeometric {
    private static final int MAX_TERMS = 100_000;

    private Hypergeometric() {}

    static double f21(double a, double b, double c, double z) {
        if (!(z >= 0 && z < 1)) {
            throw new IllegalArgumentException("series needs 0 <= z < 1: " + z);
        }
        double term = 1;
        double sum = 1;
        for (int j = 0; j < MAX_TERMS; j++) {
            term *= (a + j) * (b + j) / ((c + j) * (j + 1)) * z;
            sum += term;
            if (Math.abs(term) <= 1e-15 * Math.abs(sum)) {
                return sum;
            }
        }
        throw new ArithmeticException("2F1 series did not converge for z=" + z);
    }
}

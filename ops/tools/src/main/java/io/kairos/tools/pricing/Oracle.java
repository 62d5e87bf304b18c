package io.kairos.tools.pricing;

import io.kairos.pricing.Guardrails;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The clairvoyant benchmark: knows a SKU's hidden curve and, at the start of every period, posts the price that
 * maximises that period's expected revenue under it, subject to the same guardrails as the policies (legal range, at
 * most maxStep away from its own previous price, one price per period), starting from the list price like them. It is
 * greedy per period, which is optimal here: without an inventory limit, periods only interact through the step limit,
 * and the best price moves little from hour to hour.
 */
final class Oracle {

    private static final int GRID = 200;

    private final SimulatedSku sku;
    private BigDecimal price;

    Oracle(SimulatedSku sku) {
        this.sku = sku;
        this.price = Guardrails.legalise(sku.config().listPrice(), sku.config()).price();
    }

    /** Chooses the price of the period at {@code hourOfDay} and returns it. */
    BigDecimal priceFor(int hourOfDay) {
        var window = Guardrails.stepWindow(price, sku.config());
        double lo = window.lower().doubleValue();
        double hi = window.upper().doubleValue();
        BigDecimal best = window.lower();
        double bestValue = value(best.doubleValue(), hourOfDay);
        for (int i = 1; i <= GRID; i++) {
            var p = BigDecimal.valueOf(lo + (hi - lo) * i / GRID).setScale(2, RoundingMode.HALF_EVEN);
            if (p.compareTo(window.lower()) < 0 || p.compareTo(window.upper()) > 0) continue;
            double v = value(p.doubleValue(), hourOfDay);
            if (v > bestValue) {
                bestValue = v;
                best = p;
            }
        }
        price = best;
        return best;
    }

    private double value(double p, int hourOfDay) {
        return p * sku.demand().buyProbability(p, hourOfDay);
    }
}

package io.kairos.models.uplift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A synthetic decision log with a known truth, standing in for the journal: shoppers of segment A or B, a logging
 * policy that favours offers for segment A (propensities recorded), and true conversion rates base(A)=0.20,
 * base(B)=0.10; a "big" coupon adds 0.20 in A and 0.05 in B, a "small" one adds 0.05 everywhere.
 */
public final class SyntheticLog implements DecisionLogSource {
    private final List<LoggedDecision> rows;

    public SyntheticLog(int n, long seed) {
        var rnd = new Random(seed);
        var out = new ArrayList<LoggedDecision>(n);
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            boolean a = rnd.nextBoolean();
            double pHoldout = a ? 0.2 : 0.6;
            boolean holdout = rnd.nextDouble() < pHoldout;
            String type = rnd.nextBoolean() ? "big" : "small";
            double p = trueRate(a, holdout ? null : type);
            boolean converted = rnd.nextDouble() < p;
            Map<String, Object> shopper = Map.of("segment", a ? "A" : "B", "noise", rnd.nextGaussian());
            Map<String, Object> offer = holdout ? Map.of() : Map.of("type", type, "value", type.equals("big") ? 20 : 5);
            double propensity = holdout ? pHoldout : (1 - pHoldout) / 2;
            out.add(new LoggedDecision(
                    "d" + i,
                    t0.plusSeconds(i),
                    shopper,
                    offer,
                    holdout,
                    propensity,
                    converted,
                    converted ? 30 + (a ? 20 : 0) + rnd.nextGaussian() : Double.NaN));
        }
        this.rows = List.copyOf(out);
    }

    public static double trueRate(boolean segmentA, String offerType) {
        double base = segmentA ? 0.20 : 0.10;
        if (offerType == null) {
            return base;
        }
        return base + (offerType.equals("big") ? (segmentA ? 0.20 : 0.05) : 0.05);
    }

    @Override
    public Stream<LoggedDecision> decisions(Instant from, Instant to) {
        return rows.stream()
                .filter(d -> !d.decidedAt().isBefore(from) && d.decidedAt().isBefore(to));
    }
}

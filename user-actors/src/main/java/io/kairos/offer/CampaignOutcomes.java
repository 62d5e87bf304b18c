package io.kairos.offer;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A campaign's measured effect: the treated group (people issued at least one of its offers) against its holdout
 * (people held out of it), person by person, from the exposures and outcomes the shopper projection recorded.
 *
 * <p>Per person: converted = at least one order with a positive net amount inside an outcome window of one of their
 * decisions for the campaign; revenue = the sum of those orders' net amounts (each order counted once; a cancelled
 * order counts 0). Then, at 95 %:
 *
 * <ul>
 *   <li>incremental conversion rate = p(treated) − p(holdout), with Newcombe's hybrid score interval (method 10 of
 *       Newcombe 1998: Wilson score intervals of each rate combined), which stays within [−1, 1] and behaves at small
 *       counts and rates near 0 or 1, where the Wald interval does not;
 *   <li>incremental revenue per person = mean revenue (treated) − mean revenue (holdout), with a Welch normal interval
 *       (unequal variances); incremental revenue = that × the number of treated people, interval scaled alike.
 * </ul>
 *
 * Assignment to the holdout is random (a hash), so the difference estimates the campaign's causal effect on the people
 * it reached; it needs a few hundred people per group before the intervals are narrow.
 */
public final class CampaignOutcomes {
    static final double Z = 1.959963984540054;

    /** One group's totals. */
    public record Group(long people, long converted, BigDecimal revenue, double revenueSumOfSquares) {
        public double conversionRate() {
            return people == 0 ? Double.NaN : (double) converted / people;
        }

        public double meanRevenue() {
            return people == 0 ? Double.NaN : revenue.doubleValue() / people;
        }

        double revenueVariance() {
            if (people < 2) return Double.NaN;
            double mean = meanRevenue();
            return Math.max(0, (revenueSumOfSquares - people * mean * mean) / (people - 1));
        }
    }

    public record Interval(double estimate, double low, double high) {}

    /** Treated against holdout; the intervals are null while either group is empty. */
    public record Effect(
            Group treated, Group holdout, Interval conversionRate, Interval revenuePerPerson, Interval revenue) {}

    /** One person's record for the campaign as the table holds it. */
    public static final class Person {
        boolean treated;
        boolean holdout;
        boolean claimed;
        final Map<String, BigDecimal> orders = new HashMap<>();
    }

    private CampaignOutcomes() {}

    /** A person appears in the holdout if they were ever held out (a held-out person is never treated). */
    public static Effect effect(Collection<Person> people) {
        var treated = group(people, true);
        var holdout = group(people, false);
        if (treated.people() == 0 || holdout.people() == 0) return new Effect(treated, holdout, null, null, null);
        var rate = newcombe(treated.converted(), treated.people(), holdout.converted(), holdout.people());
        double diff = treated.meanRevenue() - holdout.meanRevenue();
        double se = Math.sqrt(nanToZero(treated.revenueVariance()) / treated.people()
                + nanToZero(holdout.revenueVariance()) / holdout.people());
        var perPerson = new Interval(diff, diff - Z * se, diff + Z * se);
        long n = treated.people();
        var total = new Interval(diff * n, perPerson.low() * n, perPerson.high() * n);
        return new Effect(treated, holdout, rate, perPerson, total);
    }

    public static long claimed(Collection<Person> people) {
        return people.stream().filter(p -> p.claimed).count();
    }

    private static Group group(Collection<Person> people, boolean treated) {
        long n = 0;
        long converted = 0;
        var revenue = BigDecimal.ZERO;
        double squares = 0;
        for (var p : people) {
            boolean inTreated = p.treated && !p.holdout;
            if (treated ? !inTreated : !p.holdout) continue;
            n++;
            var sum = p.orders.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (p.orders.values().stream().anyMatch(a -> a.signum() > 0)) converted++;
            revenue = revenue.add(sum);
            squares += sum.doubleValue() * sum.doubleValue();
        }
        return new Group(n, converted, revenue, squares);
    }

    /** Newcombe's hybrid score interval for p1 − p2 (Newcombe 1998, method 10). */
    static Interval newcombe(long x1, long n1, long x2, long n2) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        var w1 = wilson(x1, n1);
        var w2 = wilson(x2, n2);
        double d = p1 - p2;
        double low = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
        double high = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
        return new Interval(d, low, high);
    }

    /** The Wilson score interval of x successes in n trials. */
    static double[] wilson(long x, long n) {
        double p = (double) x / n;
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new double[] {centre - half, centre + half};
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Builds people from table rows: (shopper, entry, holdout, amount). */
    public static final class Builder {
        private final Map<String, Person> people = new HashMap<>();

        public void exposure(String shopperId, boolean holdout) {
            var p = people.computeIfAbsent(shopperId, k -> new Person());
            if (holdout) p.holdout = true;
            else p.treated = true;
        }

        public void claimed(String shopperId) {
            people.computeIfAbsent(shopperId, k -> new Person()).claimed = true;
        }

        /** The latest net amount of an order, for one person (two decisions' windows may both cover the same order). */
        public void order(String shopperId, String orderId, BigDecimal net) {
            people.computeIfAbsent(shopperId, k -> new Person()).orders.put(orderId, net);
        }

        public Collection<Person> people() {
            // People seen only through outcomes (their exposure row not written yet) are left out until it is.
            return people.values().stream().filter(p -> p.treated || p.holdout).toList();
        }
    }
}

package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SKU's demand data, as sufficient statistics: views, add-to-carts, orders and units per (hour of day, price in
 * force) cell, what happened since the last decision, slow moving averages of traffic and sales per period, and the
 * recently recorded source event ids that make recording idempotent.
 *
 * <p>Policy-independent: switching policy keeps it. Cells are keyed by absolute price, so a changed list price or
 * ladder still uses old data. Immutable; every {@code withX} returns a new book.
 */
public record DemandBook(
        Map<String, Cell> cells,
        long views,
        long addToCarts,
        long orders,
        long units,
        Period sinceDecision,
        double viewsPerPeriod,
        double unitsPerPeriod,
        RecentIds recentIds)
        implements CborSerializable {

    public DemandBook {
        cells = Map.copyOf(cells);
    }

    /** Demand at one price during one hour of the day, summed over the SKU's life. */
    public record Cell(int hour, BigDecimal price, long views, long addToCarts, long orders, long units)
            implements CborSerializable {

        Cell plus(Recorded o) {
            return new Cell(
                    hour,
                    price,
                    views + o.views(),
                    addToCarts + o.addToCarts(),
                    orders + o.orders(),
                    units + o.units());
        }
    }

    /** Demand since the last decision: the reward of the Q-learning policy and the traffic estimate's input. */
    public record Period(long views, long units, double revenue) implements CborSerializable {
        static final Period EMPTY = new Period(0, 0, 0.0);
    }

    /** An observation as recorded: attributed to the hour of day and the price in force when it happened. */
    public record Recorded(
            String eventId,
            Instant occurredAt,
            int hour,
            BigDecimal price,
            long views,
            long addToCarts,
            long orders,
            long units)
            implements CborSerializable {}

    public static DemandBook empty(RecentIds ids) {
        return new DemandBook(Map.of(), 0, 0, 0, 0, Period.EMPTY, 0.0, 0.0, ids);
    }

    static String key(int hour, BigDecimal price) {
        return hour + "|" + price.stripTrailingZeros().toPlainString();
    }

    /** The book with demand that happened while the SKU was priced: in its cells, its totals and the current period. */
    public DemandBook withRecorded(List<Recorded> observations) {
        return with(observations, true);
    }

    /**
     * The book with demand dated before the SKU was configured, attributed to its list price: it teaches the demand
     * cells and counts in the totals, but it is no part of the period since the last decision.
     */
    public DemandBook withEarlier(List<Recorded> observations) {
        return with(observations, false);
    }

    private DemandBook with(List<Recorded> observations, boolean inPeriod) {
        if (observations.isEmpty()) return this;
        var next = new HashMap<>(cells);
        long v = views, a = addToCarts, o = orders, u = units;
        long pv = sinceDecision.views(), pu = sinceDecision.units();
        double revenue = sinceDecision.revenue();
        for (var obs : observations) {
            next.merge(
                    key(obs.hour(), obs.price()),
                    new Cell(obs.hour(), obs.price(), obs.views(), obs.addToCarts(), obs.orders(), obs.units()),
                    (old, fresh) -> old.plus(obs));
            v += obs.views();
            a += obs.addToCarts();
            o += obs.orders();
            u += obs.units();
            if (inPeriod) {
                pv += obs.views();
                pu += obs.units();
                revenue += obs.units() * obs.price().doubleValue();
            }
        }
        return new DemandBook(
                next,
                v,
                a,
                o,
                u,
                new Period(pv, pu, revenue),
                viewsPerPeriod,
                unitsPerPeriod,
                recentIds.withAll(observations.stream().map(Recorded::eventId).toList()));
    }

    /**
     * Closes the period at a decision: folds its traffic into the moving averages with weight {@code alpha} (the first
     * period sets them) and starts an empty one.
     */
    public DemandBook withPeriodClosed(double alpha) {
        boolean first = viewsPerPeriod == 0.0 && unitsPerPeriod == 0.0;
        double vpp = first ? sinceDecision.views() : (1 - alpha) * viewsPerPeriod + alpha * sinceDecision.views();
        double upp = first ? sinceDecision.units() : (1 - alpha) * unitsPerPeriod + alpha * sinceDecision.units();
        return new DemandBook(cells, views, addToCarts, orders, units, Period.EMPTY, vpp, upp, recentIds);
    }
}

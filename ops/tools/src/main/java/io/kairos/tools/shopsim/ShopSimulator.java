package io.kairos.tools.shopsim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays every policy's shop against its own copy of one {@link ShopWorld}, day by day, with the same random numbers for
 * the same shopper, day and visit, and keeps each policy's books. A visit draws the same uniforms in the same order
 * whatever the policy does, so two policies differ only where their coupons and prices differ.
 */
final class ShopSimulator {
    /** What sending one coupon costs (an e-mail or push at scale), whoever sends it. */
    static final double MESSAGE_COST = 0.02;
    /** A percentage coupon takes at most this much off (Kairos needs a cap: it is what an issued coupon reserves). */
    static final double PERCENT_CAP = 10;

    /** A coupon a shop gave a shopper. {@code value}: percent for percent_off, else money. */
    record Coupon(String id, String type, double value, double minSpend, int expiresDay) {
        /** What it takes off one unit at {@code price} (0 when it does not apply). */
        double discount(double price) {
            double d =
                    switch (type) {
                        case "percent_off" -> Math.min(PERCENT_CAP, Math.round(price * value) / 100.0);
                        case "amount_off" -> Math.min(value, price);
                        case "threshold_amount_off" -> price >= minSpend ? Math.min(value, price) : 0;
                        default -> 0;
                    };
            return Math.max(0, d);
        }
    }

    /** What the shopper sees on a visit: the price everyone pays now, and her best coupon for it (null: none). */
    record Shown(double price, Coupon coupon, double discount) {}

    /** A policy: a shop that gives coupons and prices. One instance per run, on its own copy of the population. */
    interface Shop {
        String name();

        /** Before the first day (catalogue, campaigns). */
        default void setUp(ShopWorld world) throws Exception {}

        /** At the start of each day (blasts, the clock). */
        default void startDay(int day) throws Exception {}

        /** A visit of shopper {@code s} looking at {@code sku}. */
        Shown visit(ShopWorld.Shopper s, int day, ShopWorld.Sku sku) throws Exception;

        /**
         * She buys one unit as shown (with its coupon, if any), and then keeps it, returns it at once for a refund, or
         * cancels the order before it ships (nothing paid, the coupon back in her wallet and its budget back).
         */
        Paid buy(ShopWorld.Shopper s, int day, ShopWorld.Sku sku, Shown shown, After after) throws Exception;

        /** Coupons this shopper was sent on days {@code from} to {@code to} (inclusive). */
        int sent(int shopper, int from, int to);

        /** Coupons issued so far. */
        long issued();

        /** The budget this shop may spend on discounts (infinite when it has none). */
        double budget();
    }

    /** What becomes of an order once placed. */
    enum After {
        KEPT,
        RETURNED,
        CANCELLED;

        /**
         * From the visit's one uniform draw: {@link ShopWorld#RETURN_RATE} returned, then {@link ShopWorld#CANCEL_RATE}
         * cancelled.
         */
        static After of(double u) {
            if (u < ShopWorld.RETURN_RATE) return RETURNED;
            return u < ShopWorld.RETURN_RATE + ShopWorld.CANCEL_RATE ? CANCELLED : KEPT;
        }
    }

    /** What an order came to: revenue (after the discount and any refund), the discount granted, the goods' cost. */
    record Paid(double revenue, double discount, double cost, boolean redeemed) {}

    /** One policy's books. */
    static final class Books {
        final String policy;
        double revenue, couponCost, goodsCost, budgetUsed;
        long purchases, waited, redeemed, issued, cancelled;
        final double[] profitByShopper;
        final double[] cumulativeProfitByDay;
        /**
         * By day, what the coupons shown made the gross margin differ from the same visits without them: each visit
         * with a coupon is also played without it on the same random draw (a purchase without the coupon's lift at the
         * undiscounted price), so this is the coupons' realised effect on those visits, not an estimate.
         */
        final double[] couponEffectByDay;

        Books(String policy, int shoppers, int days) {
            this.policy = policy;
            this.profitByShopper = new double[shoppers];
            this.cumulativeProfitByDay = new double[days];
            this.couponEffectByDay = new double[days];
        }

        double grossMargin() {
            return revenue - goodsCost;
        }

        double messageCost() {
            return issued * MESSAGE_COST;
        }

        double profit() {
            return grossMargin() - messageCost();
        }
    }

    /** Per policy: its books. */
    static Map<String, Books> run(ShopWorld world, List<Shop> shops, int days, java.util.function.Consumer<String> log)
            throws Exception {
        var books = new LinkedHashMap<String, Books>();
        for (var shop : shops) {
            shop.setUp(world);
            var b = new Books(shop.name(), world.shoppers.size(), days);
            books.put(shop.name(), b);
            var alive = new boolean[world.shoppers.size()];
            var deferred = new boolean[world.shoppers.size()];
            java.util.Arrays.fill(alive, true);
            long started = System.nanoTime();
            for (int day = 0; day < days; day++) {
                shop.startDay(day);
                for (var s : world.shoppers) {
                    if (!alive[s.index()]) continue;
                    var r = world.stream(s.index(), day);
                    int visits = world.visits(s, r);
                    for (int v = 0; v < visits && alive[s.index()]; v++) {
                        var sku = world.pick(s, r);
                        double uWait = r.nextDouble(), uBuy = r.nextDouble(), uReturn = r.nextDouble();
                        double uDrop = r.nextDouble();
                        var shown = shop.visit(s, day, sku);
                        boolean withCoupon = shown.coupon() != null && shown.discount() > 0;
                        if (!withCoupon && uWait < ShopWorld.waitProbability(s, shop.sent(s.index(), day - 27, day))) {
                            deferred[s.index()] = true; // she waits for the next coupon
                            continue;
                        }
                        double lift = withCoupon ? world.lift(s, shown.discount() / shown.price()) : 1;
                        var after = After.of(uReturn);
                        if (withCoupon && after == After.KEPT && uBuy < ShopWorld.buyProbability(sku, shown.price(), 1))
                            b.couponEffectByDay[day] -= shown.price() - sku.unitCost(); // she'd have bought anyway
                        if (uBuy >= ShopWorld.buyProbability(sku, shown.price(), lift)) continue;
                        var paid = shop.buy(s, day, sku, shown, after);
                        if (after == After.CANCELLED) { // as if she had not bought: nothing paid, the coupon hers again
                            b.cancelled++;
                            continue;
                        }
                        if (withCoupon) b.couponEffectByDay[day] += paid.revenue() - paid.cost();
                        b.purchases++;
                        if (paid.redeemed()) {
                            b.redeemed++;
                            if (deferred[s.index()]) b.waited++;
                        }
                        deferred[s.index()] = false;
                        b.revenue += paid.revenue();
                        b.couponCost += paid.discount();
                        b.budgetUsed += paid.discount();
                        b.goodsCost += paid.cost();
                        b.profitByShopper[s.index()] += paid.revenue() - paid.cost();
                        if (uDrop < s.dropout()) alive[s.index()] = false;
                    }
                }
                b.issued = shop.issued();
                b.cumulativeProfitByDay[day] = b.grossMargin() - b.messageCost();
                log.accept(String.format(
                        java.util.Locale.ROOT,
                        "%s: day %d of %d, %d purchases, %d coupons issued (%.0f s)",
                        shop.name(),
                        day + 1,
                        days,
                        b.purchases,
                        b.issued,
                        (System.nanoTime() - started) / 1e9));
            }
            // message costs by shopper are spread evenly: what the policy sent is its cost, whoever got it
            double perShopper = b.messageCost() / world.shoppers.size();
            for (int i = 0; i < b.profitByShopper.length; i++) b.profitByShopper[i] -= perShopper;
        }
        return books;
    }

    /** The difference of two policies' profit with a 95 % interval, paired by shopper: {estimate, low, high}. */
    static double[] incremental(Books policy, Books baseline) {
        int n = policy.profitByShopper.length;
        var d = new ArrayList<Double>(n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = policy.profitByShopper[i] - baseline.profitByShopper[i];
            d.add(x);
            sum += x;
        }
        double mean = sum / n, ss = 0;
        for (double x : d) ss += (x - mean) * (x - mean);
        double se = Math.sqrt(ss / (n - 1)) * Math.sqrt(n); // of the total
        double total = mean * n;
        return new double[] {total, total - 1.96 * se, total + 1.96 * se};
    }
}

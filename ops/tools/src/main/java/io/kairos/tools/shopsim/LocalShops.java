package io.kairos.tools.shopsim;

import io.kairos.tools.shopsim.ShopSimulator.Coupon;
import io.kairos.tools.shopsim.ShopSimulator.Paid;
import io.kairos.tools.shopsim.ShopSimulator.Shown;
import java.util.ArrayList;
import java.util.List;

/**
 * The policies a shop runs without Kairos, played inside the simulator (they need no engine): list prices, a wallet per
 * shopper, coupons sent every {@link #CADENCE} days and valid as long, and a discount budget no redemption may exceed
 * (a coupon that would is refused at checkout). Fixed in the code before Kairos is tuned against them.
 */
final class LocalShops {
    static final int CADENCE = 7;

    /** The grid a blanket coupon's value is chosen from (the best of them is reported as "blanket"). */
    static final List<Coupon> GRID = List.of(
            new Coupon("pct5", "percent_off", 5, 0, 0),
            new Coupon("pct10", "percent_off", 10, 0, 0),
            new Coupon("pct15", "percent_off", 15, 0, 0),
            new Coupon("off5", "amount_off", 5, 0, 0),
            new Coupon("off10", "amount_off", 10, 0, 0),
            new Coupon("spend50save10", "threshold_amount_off", 10, 50, 0));

    private LocalShops() {}

    /** Wallets, budget and sends, shared by the local policies. */
    abstract static class Local implements ShopSimulator.Shop {
        private final String name;
        private final double budget;
        ShopWorld world;
        private List<List<Coupon>> wallets;
        private List<List<Integer>> sentDays;
        private double spent;
        private long issued;
        /** Per shopper: purchases, spend and the last purchase day (what RFM sees). */
        int[] purchases;

        double[] spend;
        int[] lastPurchase;

        Local(String name, double budget) {
            this.name = name;
            this.budget = budget;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public double budget() {
            return budget;
        }

        @Override
        public void setUp(ShopWorld world) {
            this.world = world;
            int n = world.shoppers.size();
            wallets = new ArrayList<>(n);
            sentDays = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                wallets.add(new ArrayList<>(2));
                sentDays.add(new ArrayList<>(2));
            }
            purchases = new int[n];
            spend = new double[n];
            lastPurchase = new int[n];
            java.util.Arrays.fill(lastPurchase, -1);
        }

        @Override
        public void startDay(int day) {
            if (day % CADENCE != 0 || spent >= budget) return; // nothing is sent once the budget is spent
            for (var s : world.shoppers) {
                var c = choose(s, day);
                if (c == null) continue;
                wallets.get(s.index()).removeIf(h -> h.expiresDay() < day);
                wallets.get(s.index()).add(new Coupon(c.id(), c.type(), c.value(), c.minSpend(), day + CADENCE - 1));
                sentDays.get(s.index()).add(day);
                issued++;
            }
        }

        /** The coupon to send {@code s} today (a send day), or null. */
        abstract Coupon choose(ShopWorld.Shopper s, int day);

        @Override
        public Shown visit(ShopWorld.Shopper s, int day, ShopWorld.Sku sku) {
            Coupon best = null;
            double bestDiscount = 0;
            for (var c : wallets.get(s.index())) {
                double d = c.discount(sku.listPrice());
                // a coupon the remaining budget cannot pay is shown as unavailable, as Kairos's reservations do
                if (c.expiresDay() >= day && d > bestDiscount && spent + d <= budget + 1e-9) {
                    best = c;
                    bestDiscount = d;
                }
            }
            return new Shown(sku.listPrice(), best, bestDiscount);
        }

        @Override
        public Paid buy(ShopWorld.Shopper s, int day, ShopWorld.Sku sku, Shown shown, ShopSimulator.After after) {
            if (after == ShopSimulator.After.CANCELLED) return new Paid(0, 0, 0, false); // the coupon stays hers
            double discount = shown.coupon() == null ? 0 : shown.discount();
            if (discount > 0 && spent + discount > budget + 1e-9) discount = 0; // the budget is spent: refused
            if (discount > 0) {
                spent += discount;
                wallets.get(s.index()).remove(shown.coupon());
            }
            double paid = Math.round((shown.price() - discount) * 100) / 100.0;
            purchases[s.index()]++;
            spend[s.index()] += paid;
            lastPurchase[s.index()] = day;
            return after == ShopSimulator.After.RETURNED
                    ? new Paid(0, discount, 0, discount > 0)
                    : new Paid(paid, discount, sku.unitCost(), discount > 0);
        }

        @Override
        public int sent(int shopper, int from, int to) {
            int n = 0;
            for (int d : sentDays.get(shopper)) if (d >= from && d <= to) n++;
            return n;
        }

        @Override
        public long issued() {
            return issued;
        }
    }

    /** No coupons, list prices: the baseline every policy's incremental profit is measured against. */
    static Local none() {
        return new Local("none", 0) {
            @Override
            Coupon choose(ShopWorld.Shopper s, int day) {
                return null;
            }
        };
    }

    /** The same coupon for everyone, every send day. */
    static Local blanket(Coupon coupon, double budget) {
        return new Local("blanket-" + coupon.id(), budget) {
            @Override
            Coupon choose(ShopWorld.Shopper s, int day) {
                return coupon;
            }
        };
    }

    /**
     * The classic RFM layering on what the shop has seen (purchases, spend, days since the last one), a tiered coupon
     * per layer: high-value loyal (2+ purchases, average spend at or above the catalogue's median price) 5 % off;
     * frequent low-spend (2+, below) spend 50 save 10; infrequent high-potential (1 purchase at or above the median) 10
     * off; everyone else, dormant or not yet a buyer, 15 % off.
     */
    static Local rfm(double budget) {
        return new Local("rfm", budget) {
            double median;

            @Override
            public void setUp(ShopWorld world) {
                super.setUp(world);
                median = world.medianListPrice();
            }

            @Override
            Coupon choose(ShopWorld.Shopper s, int day) {
                int i = s.index();
                double average = purchases[i] == 0 ? 0 : spend[i] / purchases[i];
                boolean recent = lastPurchase[i] >= 0 && day - lastPurchase[i] <= 28;
                if (recent && purchases[i] >= 2) return average >= median ? GRID.get(0) : GRID.get(5);
                if (recent && purchases[i] == 1 && average >= median) return GRID.get(4);
                return GRID.get(2);
            }
        };
    }

    /**
     * The oracle: knows each shopper's true rate, lift, usual price and whether she learns to wait, and sends her the
     * grid coupon with the largest expected incremental profit over its week (extra purchases' margin, less the
     * discount given on purchases she would have made anyway, less the message), or nothing when none is positive or
     * she would learn to wait for coupons.
     */
    static Local oracle(double budget) {
        return new Local("oracle", budget) {
            @Override
            Coupon choose(ShopWorld.Shopper s, int day) {
                if (s.strategic()) return null; // she would learn to wait: what she buys later without one is lost
                var sku = world.byPriceRank((int) (s.priceQuantile() * (world.skus.size() - 1)));
                double visits = s.weeklyRate() / ShopWorld.CONVERSION * CADENCE / 7.0;
                double base = visits * ShopWorld.buyProbability(sku, sku.listPrice(), 1);
                Coupon best = null;
                double bestValue = 0;
                for (var c : GRID) {
                    double d = c.discount(sku.listPrice());
                    if (d <= 0) continue;
                    double lift = world.lift(s, d / sku.listPrice());
                    double with = visits * ShopWorld.buyProbability(sku, sku.listPrice(), lift);
                    double margin = sku.listPrice() - sku.unitCost();
                    // she uses it at most once: on the first purchase of the week
                    double pUse = 1 - Math.exp(-with);
                    double value = (with - base) * margin - pUse * d - ShopSimulator.MESSAGE_COST;
                    if (value > bestValue) {
                        best = c;
                        bestValue = value;
                    }
                }
                return best;
            }
        };
    }
}

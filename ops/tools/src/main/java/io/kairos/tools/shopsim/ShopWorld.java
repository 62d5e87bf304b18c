package io.kairos.tools.shopsim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * The simulated shop's catalogue and shoppers, drawn once per seed from a {@link ShopCalibration}; every policy plays
 * the same world with the same random streams ({@link #stream}), so their differences are the policies', not luck's.
 *
 * <p>A shopper visits at {@code rate / CONVERSION} visits a week (BG/NBD's purchase rate over the conversion of a
 * visit), looks at one SKU near the price she usually pays, and buys with probability {@code CONVERSION} × the price's
 * effect ({@code (price ÷ list)^elasticity}) × a held coupon's lift; after a purchase she drops out with her BG/NBD
 * probability. A coupon's lift is {@code 1 + (lift − 1) · (value ÷ 10 %)^valueSlope}: her own lift (that of a Hillstrom
 * group of customers, drawn by the groups' sizes) at a Hillstrom-sized promotion, scaled by the coupon's value as a
 * share of the price (Starbucks' slope). A strategic shopper who saw coupons in the last four weeks may put off a
 * purchase without one ({@link #waitProbability}).
 */
final class ShopWorld {
    /** A visit with intent ends in a purchase this often without a coupon. */
    static final double CONVERSION = 0.25;
    /** The promotion size Hillstrom's lift is read at (a coupon worth 10 % of the price). */
    static final double REFERENCE_VALUE = 0.10;
    /** The share of shoppers who learn to wait for coupons. */
    static final double STRATEGIC_SHARE = 0.25;
    /** A returned purchase (refunded in full; the coupon stays used). */
    static final double RETURN_RATE = 0.05;
    /** A purchase cancelled before it ships (nothing paid; the coupon goes back to the wallet and its budget back). */
    static final double CANCEL_RATE = 0.03;

    record Sku(int index, String id, double listPrice, double unitCost, String category, double elasticity) {}

    /** What a shopper is, hidden from every policy but the oracle. */
    record Shopper(
            int index, double weeklyRate, double dropout, double priceQuantile, double lift, boolean strategic) {}

    final ShopCalibration calibration;
    final long seed;
    final List<Sku> skus;
    final List<Shopper> shoppers;
    /** SKU indexes by list price, for a shopper's usual price point. */
    private final int[] byPrice;

    /** The catalogue's median list price (the upper one of an even count). */
    double medianListPrice() {
        return skus.stream()
                .mapToDouble(Sku::listPrice)
                .sorted()
                .skip(skus.size() / 2)
                .findFirst()
                .orElseThrow();
    }

    ShopWorld(ShopCalibration calibration, int shopperCount, int skuCount, long seed) {
        this.calibration = calibration;
        this.seed = seed;
        var random = new SplittableRandom(seed);
        var skus = new ArrayList<Sku>();
        for (int j = 0; j < skuCount; j++) {
            // list prices as CDNOW's order values, rounded to cents; margins 25–45 %
            double price = Math.max(
                    1.0,
                    Math.round(Math.exp(calibration.orderValueLogMean()
                                            + calibration.orderValueLogSd() * gaussian(random))
                                    * 100)
                            / 100.0);
            double margin = 0.25 + 0.20 * random.nextDouble();
            double elasticity =
                    Math.min(-0.5, calibration.elasticity() + 0.5 * gaussian(random)); // SKUs differ around OJ's
            skus.add(new Sku(
                    j, "sku-" + j, price, Math.round(price * (1 - margin) * 100) / 100.0, "c" + (j % 8), elasticity));
        }
        this.skus = List.copyOf(skus);
        this.byPrice = java.util.stream.IntStream.range(0, skuCount)
                .boxed()
                .sorted(java.util.Comparator.comparingDouble(j -> skus.get(j).listPrice()))
                .mapToInt(Integer::intValue)
                .toArray();
        var commons = new Well19937c(random.nextLong());
        var rate = new GammaDistribution(
                commons, calibration.rhythm().r(), 1 / calibration.rhythm().alpha());
        var dropout = new BetaDistribution(
                commons, calibration.rhythm().a(), calibration.rhythm().b());
        double groupWeights =
                calibration.groupLifts().stream().mapToDouble(g -> g[1]).sum();
        var people = new ArrayList<Shopper>();
        for (int i = 0; i < shopperCount; i++) {
            // her lift: the lift of a Hillstrom group drawn by its size
            double u = random.nextDouble() * groupWeights;
            double lift = calibration.promotionLift();
            for (var g : calibration.groupLifts()) {
                if ((u -= g[1]) <= 0) {
                    lift = g[0];
                    break;
                }
            }
            people.add(new Shopper(
                    i,
                    rate.sample(),
                    dropout.sample(),
                    random.nextDouble(),
                    lift,
                    random.nextDouble() < STRATEGIC_SHARE));
        }
        this.shoppers = List.copyOf(people);
    }

    /** The random stream of shopper {@code i} on {@code day}: the same for every policy. */
    SplittableRandom stream(int shopper, int day) {
        return new SplittableRandom(seed * 1_000_003L + shopper * 7_919L + day * 104_729L);
    }

    /** The SKU a shopper looks at: one near her usual price point. */
    Sku pick(Shopper s, SplittableRandom r) {
        double q = Math.min(0.999, Math.max(0, s.priceQuantile() + 0.15 * gaussian(r)));
        return byPriceRank((int) (q * byPrice.length));
    }

    /** The SKU of rank {@code rank} by list price (0: the cheapest; equal prices in catalogue order). */
    Sku byPriceRank(int rank) {
        return skus.get(byPrice[rank]);
    }

    /** Visits today (Poisson with her visit rate). */
    int visits(Shopper s, SplittableRandom r) {
        double mean = s.weeklyRate() / 7 / CONVERSION;
        int k = 0;
        double p = Math.exp(-mean), cumulative = p, u = r.nextDouble();
        while (u > cumulative && k < 20) {
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return k;
    }

    /** The multiplier of buying a coupon worth {@code value} (a share of the price) gives this shopper. */
    double lift(Shopper s, double value) {
        if (value <= 0) return 1;
        return 1 + (s.lift() - 1) * Math.pow(value / REFERENCE_VALUE, calibration.valueSlope());
    }

    /** The probability that a visit ends in a purchase. */
    static double buyProbability(Sku sku, double price, double lift) {
        return Math.min(0.95, CONVERSION * Math.pow(price / sku.listPrice(), sku.elasticity()) * lift);
    }

    /** How likely a strategic shopper who saw {@code recentCoupons} in four weeks puts off a purchase without one. */
    static double waitProbability(Shopper s, int recentCoupons) {
        return s.strategic() ? Math.min(0.8, 0.2 * recentCoupons) : 0;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

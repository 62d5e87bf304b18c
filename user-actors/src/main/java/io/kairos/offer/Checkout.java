package io.kairos.offer;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coupon arithmetic and stacking at checkout: pure functions of priced lines, a shipping fee and coupons.
 *
 * <p><b>Money.</b> Exact decimals ({@link BigDecimal}) in cents: line totals are price × quantity rounded half-up to 2
 * decimals; a percentage discount is rounded half-up to cents once per coupon; a coupon's discount is spread over its
 * eligible lines in proportion to their totals, in whole cents, by largest remainder (ties to the earlier line), so the
 * lines' shares always add up to the coupon's discount exactly.
 *
 * <p><b>Per type</b> (eligible lines = those the coupon covers; minimum spend is checked against their total before any
 * discount): {@code percent_off} value % of the eligible total, at most {@code maxDiscount}; {@code amount_off} value,
 * at most the eligible total; {@code threshold_amount_off} the same once the eligible total reaches {@code minSpend};
 * {@code free_shipping} the shipping fee up to value; {@code bundle} value once when every listed SKU is in the order.
 * A {@code maxDiscount}, when set, caps every type.
 *
 * <p><b>Margin floor.</b> No line is discounted below its SKU's floor price × quantity: a line's share is capped by its
 * remaining headroom and the excess goes to the coupon's other eligible lines with headroom; what cannot be placed is
 * not granted (the coupon gives less, and says so).
 *
 * <p><b>Stacking and precedence.</b> At most one coupon per stack group (no group = group {@code default}). Coupons
 * apply in this order: bundle, percent_off, amount_off, threshold_amount_off, then free_shipping; within a type by
 * coupon id. Each sees the headroom the earlier ones left. The best combination is the one with the largest total
 * discount; ties go to fewer coupons, then to the coupons that expire first (use them before they lapse), then by
 * coupon ids. Combinations are enumerated exhaustively up to {@value #MAX_COMBINATIONS}; beyond, one coupon per group
 * is taken greedily by its standalone discount.
 */
public final class Checkout {
    static final int MAX_COMBINATIONS = 4096;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Checkout() {}

    /** One order line with its price as of the quote. {@code floorPrice} is null when the SKU has no floor. */
    public record PricedLine(String sku, int quantity, String category, BigDecimal unitPrice, BigDecimal floorPrice)
            implements CborSerializable {
        public BigDecimal total() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP);
        }

        long headroomCents() {
            if (floorPrice == null) return cents(total());
            var floor = floorPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.UP);
            return Math.max(0, cents(total()) - cents(floor));
        }
    }

    /** A coupon as the shopper holds it: the id used at checkout, its offer and campaign, and expiry for tie-breaks. */
    public record Held(
            String couponId, String offerId, String campaignId, Coupon coupon, java.time.Instant expiresAt) {}

    /** A coupon that applies, with what it takes off and where; {@code floorCapped} when a floor cut it down. */
    public record Applied(
            String couponId,
            String offerId,
            String campaignId,
            CouponType type,
            BigDecimal discount,
            Map<String, BigDecimal> bySku,
            boolean floorCapped)
            implements CborSerializable {}

    /** Why a coupon gives nothing for this cart. */
    public record NotApplicable(String couponId, String reason) {}

    /** A set of coupons applied in precedence order, and the totals they lead to. */
    public record Result(
            List<Applied> applied,
            List<NotApplicable> rejected,
            BigDecimal subtotal,
            BigDecimal shippingFee,
            BigDecimal itemDiscount,
            BigDecimal shippingDiscount,
            BigDecimal total) {
        public BigDecimal discount() {
            return itemDiscount.add(shippingDiscount);
        }
    }

    /** A quote: every held coupon evaluated on its own, and the best allowed combination. */
    public record Quote(List<PricedLine> lines, List<Result> standalone, Result best) {}

    public static Quote quote(List<PricedLine> lines, BigDecimal shippingFee, List<Held> coupons) {
        var standalone = new ArrayList<Result>();
        for (var h : coupons) standalone.add(apply(lines, shippingFee, List.of(h)));
        return new Quote(lines, standalone, best(lines, shippingFee, coupons, standalone));
    }

    /** Applies exactly these coupons in precedence order (what an order redeems). */
    public static Result apply(List<PricedLine> lines, BigDecimal shippingFee, List<Held> coupons) {
        var shipping =
                shippingFee == null ? BigDecimal.ZERO.setScale(2) : shippingFee.setScale(2, RoundingMode.HALF_UP);
        // loops rather than streams: a shopper's prices run this for every coupon of the wallet, 20 SKUs a request
        var totals = new long[lines.size()];
        var headroom = new long[lines.size()];
        for (int i = 0; i < totals.length; i++) {
            totals[i] = cents(lines.get(i).total());
            headroom[i] = lines.get(i).headroomCents();
        }
        long shippingLeft = cents(shipping);
        long itemDiscount = 0;
        long shippingDiscount = 0;
        var applied = new ArrayList<Applied>();
        var rejected = new ArrayList<NotApplicable>();
        for (var h : inPrecedence(coupons)) {
            var c = h.coupon();
            var eligible = new ArrayList<Integer>(lines.size());
            long eligibleTotal = 0;
            for (int i = 0; i < lines.size(); i++) {
                var l = lines.get(i);
                if (c.eligible(l.sku(), l.category())) {
                    eligible.add(i);
                    eligibleTotal += totals[i];
                }
            }
            if (c.minSpend() != null && eligibleTotal < cents(c.minSpend())) {
                rejected.add(new NotApplicable(
                        h.couponId(),
                        "the eligible items total " + money(eligibleTotal) + ", below the minimum spend "
                                + c.minSpend()));
                continue;
            }
            if (c.type() == CouponType.FREE_SHIPPING) {
                long granted = Math.min(shippingLeft, cap(c, cents(c.value())));
                if (granted == 0) {
                    rejected.add(new NotApplicable(h.couponId(), "no shipping fee to waive"));
                    continue;
                }
                shippingLeft -= granted;
                shippingDiscount += granted;
                applied.add(new Applied(
                        h.couponId(), h.offerId(), h.campaignId(), c.type(), money(granted), Map.of(), false));
                continue;
            }
            if (eligible.isEmpty()) {
                rejected.add(new NotApplicable(h.couponId(), "no item in the order is covered by the coupon"));
                continue;
            }
            if (c.type() == CouponType.BUNDLE
                    && !eligible.stream().map(i -> lines.get(i).sku()).toList().containsAll(c.skus())) {
                rejected.add(new NotApplicable(h.couponId(), "the bundle needs every one of " + c.skus()));
                continue;
            }
            long nominal =
                    switch (c.type()) {
                        case PERCENT_OFF ->
                            cap(
                                    c,
                                    cents(money(eligibleTotal)
                                            .multiply(c.value())
                                            .divide(HUNDRED, 2, RoundingMode.HALF_UP)));
                        case AMOUNT_OFF, THRESHOLD_AMOUNT_OFF, BUNDLE ->
                            Math.min(eligibleTotal, cap(c, cents(c.value())));
                        case FREE_SHIPPING -> throw new IllegalStateException("handled above");
                    };
            var weights = new long[eligible.size()];
            var room = new long[eligible.size()];
            for (int k = 0; k < weights.length; k++) {
                weights[k] = totals[eligible.get(k)];
                room[k] = headroom[eligible.get(k)];
            }
            var shares = allocate(nominal, weights, room);
            long granted = 0;
            var bySku = new LinkedHashMap<String, BigDecimal>();
            for (int k = 0; k < eligible.size(); k++) {
                int i = eligible.get(k);
                headroom[i] -= shares[k];
                granted += shares[k];
                if (shares[k] > 0) bySku.merge(lines.get(i).sku(), money(shares[k]), BigDecimal::add);
            }
            if (granted == 0) {
                rejected.add(new NotApplicable(h.couponId(), "every covered item is at its margin floor"));
                continue;
            }
            itemDiscount += granted;
            applied.add(new Applied(
                    h.couponId(), h.offerId(), h.campaignId(), c.type(), money(granted), bySku, granted < nominal));
        }
        long subtotal = java.util.Arrays.stream(totals).sum();
        long total = subtotal - itemDiscount + cents(shipping) - shippingDiscount;
        return new Result(
                applied,
                rejected,
                money(subtotal),
                shipping,
                money(itemDiscount),
                money(shippingDiscount),
                money(total));
    }

    /** The best combination allowed by the stacking rules (see the class comment). */
    static Result best(List<PricedLine> lines, BigDecimal shippingFee, List<Held> coupons, List<Result> standalone) {
        var groups = new LinkedHashMap<String, List<Held>>();
        for (int i = 0; i < coupons.size(); i++) {
            if (standalone.get(i).applied().isEmpty()) continue;
            groups.computeIfAbsent(coupons.get(i).coupon().group(), g -> new ArrayList<>())
                    .add(coupons.get(i));
        }
        long combinations = 1;
        for (var g : groups.values()) combinations = Math.min(Long.MAX_VALUE / 64, combinations * (g.size() + 1));
        List<List<Held>> candidates = new ArrayList<>();
        if (combinations <= MAX_COMBINATIONS) {
            candidates.add(List.of());
            for (var g : groups.values()) {
                var next = new ArrayList<List<Held>>();
                for (var partial : candidates) {
                    next.add(partial);
                    for (var h : g) {
                        var with = new ArrayList<>(partial);
                        with.add(h);
                        next.add(with);
                    }
                }
                candidates = next;
            }
        } else {
            var greedy = new ArrayList<Held>();
            for (var g : groups.values()) {
                g.stream()
                        .max(Comparator.comparing((Held h) ->
                                        standalone.get(coupons.indexOf(h)).discount())
                                .thenComparing(Held::couponId, Comparator.reverseOrder()))
                        .ifPresent(greedy::add);
            }
            candidates.add(greedy);
        }
        Result best = null;
        List<Held> bestSet = null;
        for (var set : candidates) {
            // a single coupon was already applied on its own: the same result, without applying it again
            var r = set.size() == 1 ? standalone.get(coupons.indexOf(set.get(0))) : apply(lines, shippingFee, set);
            if (best == null || better(r, set, best, bestSet)) {
                best = r;
                bestSet = set;
            }
        }
        return best;
    }

    private static boolean better(Result r, List<Held> set, Result best, List<Held> bestSet) {
        int byDiscount = r.discount().compareTo(best.discount());
        if (byDiscount != 0) return byDiscount > 0;
        if (r.applied().size() != best.applied().size())
            return r.applied().size() < best.applied().size();
        var expiries = set.stream().map(Held::expiresAt).sorted().toList();
        var bestExpiries = bestSet.stream().map(Held::expiresAt).sorted().toList();
        for (int i = 0; i < Math.min(expiries.size(), bestExpiries.size()); i++) {
            int c = expiries.get(i).compareTo(bestExpiries.get(i));
            if (c != 0) return c < 0;
        }
        return ids(set).compareTo(ids(bestSet)) < 0;
    }

    private static String ids(List<Held> set) {
        return String.join(",", set.stream().map(Held::couponId).sorted().toList());
    }

    static List<Held> inPrecedence(List<Held> coupons) {
        if (coupons.size() < 2) return coupons; // a shopper's prices apply one coupon at a time, 20 SKUs a request
        return coupons.stream()
                .sorted(Comparator.comparingInt(
                                (Held h) -> precedence(h.coupon().type()))
                        .thenComparing(Held::couponId))
                .toList();
    }

    static int precedence(CouponType t) {
        return switch (t) {
            case BUNDLE -> 0;
            case PERCENT_OFF -> 1;
            case AMOUNT_OFF -> 2;
            case THRESHOLD_AMOUNT_OFF -> 3;
            case FREE_SHIPPING -> 4;
        };
    }

    /**
     * Splits {@code amount} cents over lines in proportion to {@code weights}, never giving a line more than its
     * {@code room}; what a full line cannot take goes to the others. Returns each line's share (their sum is
     * {@code amount}, or the total room if that is smaller).
     */
    static long[] allocate(long amount, long[] weights, long[] room) {
        int n = weights.length;
        if (n == 1) return new long[] {Math.max(0, Math.min(amount, room[0]))}; // one line takes what it has room for
        var share = new long[n];
        var left = room.clone();
        long remaining = amount;
        while (remaining > 0) {
            var active = new ArrayList<Integer>();
            for (int i = 0; i < n; i++) if (left[i] > 0) active.add(i);
            if (active.isEmpty()) break;
            // Exact integer shares: floor(remaining × w / W), then the leftover cents to the largest remainders.
            long totalWeight = active.stream().mapToLong(i -> weights[i]).sum();
            var portion = new long[n];
            var remainders = new BigInteger[n];
            long given = 0;
            for (int i : active) {
                var w = BigInteger.valueOf(totalWeight == 0 ? 1 : weights[i]);
                var total = BigInteger.valueOf(totalWeight == 0 ? active.size() : totalWeight);
                var qr = BigInteger.valueOf(remaining).multiply(w).divideAndRemainder(total);
                portion[i] = qr[0].longValueExact();
                remainders[i] = qr[1];
                given += portion[i];
            }
            var byRemainder = new ArrayList<>(active);
            byRemainder.sort(Comparator.comparing((Integer i) -> remainders[i], Comparator.reverseOrder())
                    .thenComparingInt(i -> i));
            for (int k = 0; given < remaining; k = (k + 1) % byRemainder.size()) {
                portion[byRemainder.get(k)]++;
                given++;
            }
            long overflow = 0;
            for (int i : active) {
                long take = Math.min(portion[i], left[i]);
                share[i] += take;
                left[i] -= take;
                overflow += portion[i] - take;
            }
            if (overflow == remaining) break;
            remaining = overflow;
        }
        return share;
    }

    private static long cap(Coupon c, long cents) {
        return c.maxDiscount() == null ? cents : Math.min(cents, cents(c.maxDiscount()));
    }

    static long cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).movePointRight(2).longValueExact();
    }

    static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** What one coupon is expected to take off an order of {@code orderValue} (for ranking, before any cart exists). */
    public static BigDecimal expectedDiscount(Coupon c, BigDecimal orderValue) {
        var v = orderValue.max(BigDecimal.ZERO);
        var d =
                switch (c.type()) {
                    case PERCENT_OFF -> v.multiply(c.value()).divide(HUNDRED, 2, RoundingMode.HALF_UP);
                    case AMOUNT_OFF -> c.value().min(v);
                    // A threshold or bundle coupon is used only by orders that qualify, which then take its whole
                    // value.
                    case THRESHOLD_AMOUNT_OFF, BUNDLE, FREE_SHIPPING -> c.value();
                };
        return c.maxDiscount() == null ? d : d.min(c.maxDiscount());
    }
}

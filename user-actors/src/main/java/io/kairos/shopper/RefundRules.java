package io.kairos.shopper;

import io.kairos.campaign.Coupon;
import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.Checkout.PricedLine;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OrderRefund;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperEvent.OrderRefunded;
import io.kairos.shopper.ShopperEvent.ReturnedCoupon;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arithmetic of refunds, pure. A refund names units per SKU (none: everything the order still stands for) and gives
 * back:
 *
 * <ul>
 *   <li>to each coupon's campaign, the part of the coupon's discount that went to the refunded units (pro rata per SKU,
 *       rounded half-up to the cent, never more than is left of it);
 *   <li>for a coupon with a minimum spend that the kept items no longer reach (a threshold coupon, typically): its
 *       whole remaining discount. The shopper no longer qualifies for it, so it is withheld from the refund and goes
 *       back to the campaign; the coupon stays used (it is not reinstated);
 *   <li>to the shopper, the refunded units at their price less what the campaigns got back (never below zero: a
 *       withheld discount larger than the refund is withheld only up to the refund, and the campaign gets back that
 *       much);
 *   <li>when nothing of the order is left (a full refund): everything the order still stood at, shipping included, and
 *       its coupons as a cancel gives them back (usable again until they expire, their whole budget returned).
 * </ul>
 *
 * A {@code refund} behaviour event for an order placed through the API names only an amount: its share of what the
 * order still stands for gives each coupon's campaign the same share of the coupon's remaining discount.
 */
final class RefundRules {
    private RefundRules() {}

    /** The refund to record, or why there is none. */
    record Plan(OrderRefunded refunded, OrderRejected rejected) {
        static Plan rejected(OrderRejection reason, String detail) {
            return new Plan(null, new OrderRejected(reason, detail));
        }
    }

    /** A refund of {@code requested} units per SKU ({@code null}: everything left) of {@code order}. */
    static Plan byUnits(Person s, OrderRecord order, String refundId, Map<String, Integer> requested, Instant now) {
        if (order.cancelled()) {
            return Plan.rejected(OrderRejection.NOT_REFUNDABLE, "order " + order.orderId() + " is cancelled");
        }
        var ordered = new LinkedHashMap<String, PricedLine>();
        for (var l : order.lines()) ordered.putIfAbsent(l.sku(), l);
        var units = new LinkedHashMap<String, Integer>();
        if (requested == null) {
            for (var sku : ordered.keySet()) {
                if (order.keptQuantity(sku) > 0) units.put(sku, order.keptQuantity(sku));
            }
        } else {
            var problems = new ArrayList<String>();
            requested.forEach((sku, q) -> {
                if (!ordered.containsKey(sku)) problems.add(sku + ": not in the order");
                else if (q > order.keptQuantity(sku)) {
                    problems.add(sku + ": " + q + " asked, " + order.keptQuantity(sku) + " left to refund");
                } else units.put(sku, q);
            });
            if (!problems.isEmpty()) {
                return Plan.rejected(OrderRejection.NOT_REFUNDABLE, String.join("; ", problems));
            }
        }
        if (units.isEmpty()) {
            return Plan.rejected(OrderRejection.NOT_REFUNDABLE, "nothing is left to refund of " + order.orderId());
        }
        boolean full = ordered.keySet().stream().allMatch(sku -> order.keptQuantity(sku) == units.getOrDefault(sku, 0));

        var returned = new LinkedHashMap<String, BigDecimal>();
        var withheld = new ArrayList<String>();
        var gross = BigDecimal.ZERO.setScale(2);
        for (var e : units.entrySet()) {
            gross = gross.add(money(ordered.get(e.getKey()).unitPrice().multiply(BigDecimal.valueOf(e.getValue()))));
        }
        for (var a : order.applied()) {
            var kept = order.keptDiscount(a.offerId());
            if (kept.signum() <= 0) continue;
            if (full) {
                returned.put(a.offerId(), kept);
                continue;
            }
            var share = BigDecimal.ZERO;
            for (var e : a.bySku().entrySet()) {
                int q = units.getOrDefault(e.getKey(), 0);
                int of = order.orderedQuantity(e.getKey());
                if (q > 0 && of > 0)
                    share = share.add(e.getValue()
                            .multiply(BigDecimal.valueOf(q))
                            .divide(BigDecimal.valueOf(of), 10, RoundingMode.HALF_UP));
            }
            share = money(share).min(kept);
            if (noLongerQualifies(coupon(s, a), order, units)) {
                withheld.add(a.offerId());
                share = kept;
            }
            if (share.signum() > 0) returned.put(a.offerId(), share);
        }
        BigDecimal amount;
        if (full) {
            amount = order.total().subtract(order.refundedAmount());
        } else {
            var back = returned.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            var excess = back.subtract(gross);
            // A withheld discount is taken from the refund only as far as the refund goes.
            for (var id : withheld) {
                if (excess.signum() <= 0) break;
                var cut = excess.min(returned.get(id));
                returned.put(id, returned.get(id).subtract(cut));
                excess = excess.subtract(cut);
            }
            amount = gross.subtract(returned.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                    .max(BigDecimal.ZERO.setScale(2));
        }
        var refund = new OrderRefund(refundId, now, units, money(amount), returned, withheld, full);
        return new Plan(new OrderRefunded(order.orderId(), refund, coupons(s, order, refund, now)), null);
    }

    /**
     * A {@code refund} event of {@code amount} for an order placed through the API: that share of what the order still
     * stands for, for each coupon too. Empty when nothing is left to refund (a repeat, or a cancelled order).
     */
    static Optional<OrderRefunded> byAmount(
            Person s, OrderRecord order, String refundId, BigDecimal amount, Instant at) {
        var standing = order.total().subtract(order.refundedAmount());
        if (order.cancelled() || order.fullyRefunded() || standing.signum() <= 0 || amount == null) {
            return Optional.empty();
        }
        boolean full = amount.compareTo(standing) >= 0;
        var share = full ? BigDecimal.ONE : amount.divide(standing, 10, RoundingMode.HALF_UP);
        var returned = new LinkedHashMap<String, BigDecimal>();
        for (var a : order.applied()) {
            var kept = order.keptDiscount(a.offerId());
            var back = full ? kept : money(kept.multiply(share)).min(kept);
            if (back.signum() > 0) returned.put(a.offerId(), back);
        }
        var refund = new OrderRefund(refundId, at, Map.of(), money(amount.min(standing)), returned, List.of(), full);
        return Optional.of(new OrderRefunded(order.orderId(), refund, coupons(s, order, refund, at)));
    }

    /**
     * The coupons whose campaigns get something back. A full refund gives them all back as a cancel does (usable again
     * if they have not expired); a partial one reinstates none.
     */
    private static List<ReturnedCoupon> coupons(Person s, OrderRecord order, OrderRefund refund, Instant now) {
        return order.applied().stream()
                .filter(a -> refund.full() || refund.returned().containsKey(a.offerId()))
                .map(a -> givenBack(s, a, refund.full(), now))
                .toList();
    }

    /**
     * A coupon of an order given back (cancelled, or refunded in full with {@code reinstate}): usable again if it has
     * not expired at {@code now}.
     */
    static ReturnedCoupon givenBack(Person s, Applied a, boolean reinstate, Instant now) {
        return new ReturnedCoupon(
                a.offerId(),
                a.campaignId(),
                reinstate
                        && s.offers()
                                .byOffer(a.offerId())
                                .map(o -> o.expiresAt().isAfter(now))
                                .orElse(false));
    }

    private static Optional<Coupon> coupon(Person s, Applied a) {
        return s.offers().byOffer(a.offerId()).map(Offer::coupon);
    }

    /** Whether the items kept after refunding {@code units} fall under the coupon's minimum spend. */
    private static boolean noLongerQualifies(Optional<Coupon> coupon, OrderRecord order, Map<String, Integer> units) {
        if (coupon.isEmpty() || coupon.get().minSpend() == null) return false;
        var c = coupon.get();
        var kept = BigDecimal.ZERO;
        var seen = new HashSet<String>();
        for (var l : order.lines()) {
            boolean eligible = c.eligible(l.sku(), l.category());
            if (!eligible || !seen.add(l.sku())) continue;
            int left = order.keptQuantity(l.sku()) - units.getOrDefault(l.sku(), 0);
            kept = kept.add(l.unitPrice().multiply(BigDecimal.valueOf(left)));
        }
        return money(kept).compareTo(c.minSpend()) < 0;
    }

    private static BigDecimal money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }
}

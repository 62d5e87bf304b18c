package io.kairos.shopper;

import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * How much a shopper has learned to wait for coupons, from 0 to 1, out of what her own state holds (nothing new is
 * recorded for it): her orders through {@code POST /v1/orders} in the last {@value #WINDOW_DAYS} days and the offers
 * she was sent. It is the share of those orders that used a coupon, times the stronger of two signs that the coupons
 * changed when she buys: her orders come within {@value #AFTER_DAYS} days after an offer was issued to her, or her
 * full-price orders fell (the last half of the window against the first; none in the whole window counts as fallen).
 * Fewer than {@value #MIN_ORDERS} orders in the window is no evidence: 0.
 *
 * <p>A decision discounts the uplift of every offer to such a shopper by it ({@code OfferPolicy}): part of what a
 * coupon seems to add to her buying is a purchase she only put off until the coupon came.
 */
public final class CouponDependency {
    static final int WINDOW_DAYS = 90;
    static final int AFTER_DAYS = 3;
    static final int MIN_ORDERS = 3;

    private CouponDependency() {}

    public static double of(OfferBook book, Instant now) {
        var from = now.minus(Duration.ofDays(WINDOW_DAYS));
        var half = now.minus(Duration.ofDays(WINDOW_DAYS / 2));
        var after = Duration.ofDays(AFTER_DAYS);
        // when offers were issued, sorted once: each order then asks for the latest issue at or before it
        var issued = book.offers().stream()
                .map(Offer::issuedAt)
                .filter(t -> !t.isBefore(from.minus(after)))
                .sorted()
                .toArray(Instant[]::new);
        int orders = 0, withCoupon = 0, rightAfterAnOffer = 0, fullPriceEarly = 0, fullPriceLate = 0;
        for (var o : book.orders()) {
            var placed = o.placedAt();
            if (o.cancelledAt() != null || placed.isBefore(from) || placed.isAfter(now)) continue;
            orders++;
            if (!o.applied().isEmpty()) withCoupon++;
            else if (placed.isBefore(half)) fullPriceEarly++;
            else fullPriceLate++;
            var latest = latestAtOrBefore(issued, placed);
            if (latest != null && latest.isAfter(placed.minus(after))) rightAfterAnOffer++;
        }
        if (orders < MIN_ORDERS || withCoupon == 0) return 0;
        double couponShare = (double) withCoupon / orders;
        double concentrated = (double) rightAfterAnOffer / orders;
        double fell = fullPriceEarly + fullPriceLate == 0
                ? 1
                : fullPriceEarly == 0 ? 0 : Math.max(0, 1 - (double) fullPriceLate / fullPriceEarly);
        return couponShare * Math.max(concentrated, fell);
    }

    /** The last of the sorted {@code times} at or before {@code t}, or null. */
    private static Instant latestAtOrBefore(Instant[] times, Instant t) {
        int i = Arrays.binarySearch(times, t);
        int at = i >= 0 ? i : -i - 2; // found: t itself; else the insertion point's left neighbour
        return at >= 0 ? times[at] : null;
    }
}

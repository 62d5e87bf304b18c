package io.kairos.shopper;

import io.kairos.offer.Checkout;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferStatus;
import io.kairos.offer.PriceLookup;
import io.kairos.shopper.ShopperCommand.CartItem;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.PlaceOrder;
import io.kairos.shopper.ShopperCommand.QuoteCheckout;
import io.kairos.shopper.ShopperCommand.QuoteRejected;
import io.kairos.shopper.ShopperCommand.QuoteRejection;
import io.kairos.shopper.ShopperCommand.QuoteReply;
import io.kairos.shopper.ShopperCommand.Quoted;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * What a cart costs a person with its wallet, and whether an order may redeem the coupons it names: prices from the
 * price list (the same for everyone), coupons from the wallet, the arithmetic of {@link Checkout}. Pure: it reads the
 * person and the prices and changes nothing; {@link Redemptions} acts on the answer.
 */
final class CheckoutRules {
    private CheckoutRules() {}

    /** The quote of a cart: every usable coupon of the wallet, or exactly those requested. */
    static QuoteReply quote(String shopperId, Person s, QuoteCheckout c, PriceLookup prices) {
        if (!s.isKnown()) return new QuoteRejected(QuoteRejection.UNKNOWN_SHOPPER, "no shopper " + shopperId);
        var lines = price(c.items(), prices);
        if (lines.missing() != null) return new QuoteRejected(QuoteRejection.NO_PRICE, lines.missing());
        var held = new ArrayList<Checkout.Held>();
        var unusable = new ArrayList<Checkout.NotApplicable>();
        var wanted = c.couponIds() == null ? null : new HashSet<>(c.couponIds());
        for (var o : s.offers().offers()) {
            if (wanted != null && !wanted.contains(o.couponId())) continue;
            if (o.usableAt(c.now())) held.add(held(o));
            else if (wanted != null) {
                unusable.add(new Checkout.NotApplicable(
                        o.couponId(), "the coupon is " + o.statusAt(c.now()).wireName()));
            }
        }
        if (wanted != null) {
            for (var id : c.couponIds()) {
                if (s.offers().byCoupon(id).isEmpty()) {
                    unusable.add(new Checkout.NotApplicable(id, "no such coupon in this wallet"));
                }
            }
        }
        held.sort(Comparator.comparing(Checkout.Held::couponId));
        return new Quoted(shopperId, Checkout.quote(lines.lines(), c.shippingFee(), held), unusable);
    }

    /** An order's record, or why it cannot be placed: its coupons must be usable, applicable, one per stack group. */
    record Placement(OrderRecord order, OrderRejected rejected) {
        static Placement rejected(OrderRejection reason, String detail) {
            return new Placement(null, new OrderRejected(reason, detail));
        }
    }

    static Placement order(Person s, PlaceOrder c, PriceLookup prices) {
        var lines = price(c.items(), prices);
        if (lines.missing() != null) return Placement.rejected(OrderRejection.NOT_APPLICABLE, lines.missing());
        var held = new ArrayList<Checkout.Held>();
        var groups = new HashSet<String>();
        for (var id : c.couponIds()) {
            var offer = s.offers().byCoupon(id);
            if (offer.isEmpty()) {
                return Placement.rejected(OrderRejection.NOT_APPLICABLE, "no coupon " + id + " in this wallet");
            }
            var status = offer.get().statusAt(c.now());
            if (status == OfferStatus.REDEEMED) {
                return Placement.rejected(OrderRejection.COUPON_NOT_USABLE, "coupon " + id + " is already used");
            }
            if (!status.live()) {
                return Placement.rejected(
                        OrderRejection.COUPON_NOT_USABLE, "coupon " + id + " is " + status.wireName());
            }
            if (!groups.add(offer.get().coupon().group())) {
                return Placement.rejected(
                        OrderRejection.NOT_APPLICABLE,
                        "coupons " + c.couponIds() + " break the stacking rule: one coupon per stack group");
            }
            held.add(held(offer.get()));
        }
        var result = Checkout.apply(lines.lines(), c.shippingFee(), held);
        if (!result.rejected().isEmpty()) {
            var r = result.rejected().get(0);
            return Placement.rejected(
                    OrderRejection.NOT_APPLICABLE, "coupon " + r.couponId() + " does not apply: " + r.reason());
        }
        return new Placement(
                new OrderRecord(
                        c.orderId(),
                        c.now(),
                        lines.lines(),
                        result.applied(),
                        result.subtotal(),
                        result.shippingFee(),
                        result.itemDiscount(),
                        result.shippingDiscount(),
                        result.total(),
                        null),
                null);
    }

    private record Priced(List<Checkout.PricedLine> lines, String missing) {}

    private static Priced price(List<CartItem> items, PriceLookup prices) {
        var lines = new ArrayList<Checkout.PricedLine>();
        var missing = new ArrayList<String>();
        for (var i : items) {
            var p = prices.price(i.sku());
            if (p.isEmpty()) missing.add(i.sku());
            else {
                lines.add(new Checkout.PricedLine(
                        i.sku(),
                        i.quantity(),
                        i.category(),
                        p.get().price(),
                        p.get().floorPrice()));
            }
        }
        return missing.isEmpty()
                ? new Priced(lines, null)
                : new Priced(List.of(), "no price known for " + String.join(", ", missing));
    }

    private static Checkout.Held held(Offer o) {
        return new Checkout.Held(o.couponId(), o.offerId(), o.campaignId(), o.coupon(), o.expiresAt());
    }
}

package io.kairos.shopper;

import io.kairos.campaign.MoneyLeft;
import io.kairos.offer.Checkout;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferStatus;
import io.kairos.offer.PriceLookup;
import io.kairos.offer.PriceLookup.SkuPrice;
import io.kairos.shopper.ShopperCommand.CartItem;
import io.kairos.shopper.ShopperCommand.GetPrices;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.PlaceOrder;
import io.kairos.shopper.ShopperCommand.QuoteCheckout;
import io.kairos.shopper.ShopperCommand.QuoteRejected;
import io.kairos.shopper.ShopperCommand.QuoteRejection;
import io.kairos.shopper.ShopperCommand.QuoteReply;
import io.kairos.shopper.ShopperCommand.Quoted;
import io.kairos.shopper.ShopperCommand.ShopperPrice;
import io.kairos.shopper.ShopperCommand.ShopperPrices;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * What a cart costs a person with its wallet, what one unit of a SKU costs them, and whether an order may redeem the
 * coupons it names: prices from the request's price list (the same for everyone), coupons from the wallet, the
 * arithmetic of {@link Checkout}. Pure: it reads the person and the prices and changes nothing; {@link Redemptions}
 * acts on the answer.
 */
final class CheckoutRules {
    private CheckoutRules() {}

    /**
     * The quote of a cart: every usable coupon of the wallet, or exactly those requested. A guest (a shopper never
     * seen) has an empty wallet: it is quoted the prices everyone pays.
     */
    static QuoteReply quote(String shopperId, Person s, QuoteCheckout c, MoneyLeft left) {
        var lines = price(c.items(), c.prices());
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
        var payable = payable(held, lines.lines(), c.shippingFee(), left, unusable);
        return new Quoted(shopperId, Checkout.quote(lines.lines(), c.shippingFee(), payable), unusable);
    }

    /** An order's record, or why it cannot be placed: its coupons must be usable, applicable, one per stack group. */
    record Placement(OrderRecord order, OrderRejected rejected) {
        static Placement rejected(OrderRejection reason, String detail) {
            return new Placement(null, new OrderRejected(reason, detail));
        }
    }

    static Placement order(Person s, PlaceOrder c) {
        var lines = price(c.items(), c.prices());
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
                        null,
                        List.of()),
                null);
    }

    /**
     * What the person pays for one unit of each SKU: the best combination of the wallet's usable coupons, never under
     * the SKU's margin floor (the arithmetic of {@link Checkout}). SKUs without a price are left out.
     */
    private static final BigDecimal ZERO_CENTS = BigDecimal.ZERO.setScale(2);

    static ShopperPrices shopperPrices(String shopperId, Person s, GetPrices c, MoneyLeft left) {
        return shopperPrices(shopperId, s, c.skus(), c.prices(), c.now(), left);
    }

    static ShopperPrices shopperPrices(
            String shopperId, Person s, List<String> skus, PriceLookup prices, Instant now, MoneyLeft left) {
        var held = s.offers().usableAt(now).stream()
                .map(CheckoutRules::held)
                .sorted(Comparator.comparing(Checkout.Held::couponId))
                .toList();
        var out = new ArrayList<ShopperPrice>();
        for (var sku : skus) {
            var p = prices.price(sku);
            if (p.isEmpty()) continue;
            var price = p.get();
            // Only coupons that can take something off one unit of this SKU are tried (most of a wallet cannot).
            var applicable = held.stream()
                    .filter(h -> couldApply(h.coupon(), sku, price.category(), price.price()))
                    .toList();
            if (applicable.isEmpty()) { // nothing to combine: the price everyone pays (most SKUs of most wallets)
                out.add(everyonePays(sku, price, List.of()));
                continue;
            }
            var line = List.of(new Checkout.PricedLine(sku, 1, price.category(), price.price(), price.floorPrice()));
            var usable = payable(applicable, line, null, left, null);
            var unpaid = usable.size() == applicable.size()
                    ? List.<String>of()
                    : applicable.stream()
                            .filter(h -> !usable.contains(h))
                            .map(Checkout.Held::couponId)
                            .toList();
            if (usable.isEmpty()) { // every coupon that applies is one its campaign can no longer pay
                out.add(everyonePays(sku, price, unpaid));
                continue;
            }
            // one usable coupon (the common wallet): the best combination is that coupon, or none if it gives nothing
            var best = usable.size() == 1
                    ? Checkout.apply(line, null, usable)
                    : Checkout.quote(line, null, usable).best();
            var coupons =
                    best.applied().stream().map(Checkout.Applied::couponId).toList();
            var youPay = price.price().subtract(best.itemDiscount());
            var capped = best.applied().stream().anyMatch(Checkout.Applied::floorCapped);
            out.add(new ShopperPrice(sku, price, coupons, best.itemDiscount(), youPay, capped, unpaid));
        }
        return new ShopperPrices(shopperId, !s.isKnown(), out);
    }

    /** The price everyone pays, no coupon taking anything off it ({@code unpaid}: those whose money is gone). */
    private static ShopperPrice everyonePays(String sku, SkuPrice price, List<String> unpaid) {
        return new ShopperPrice(sku, price, List.of(), ZERO_CENTS, price.price().subtract(ZERO_CENTS), false, unpaid);
    }

    /**
     * The coupons of {@code held} whose campaign can pay what each takes off {@code lines} on its own: an overbooked
     * campaign may have more coupons out than its money left pays, and would refuse the redemption (the others are
     * added to {@code refused}, when given, with why). Only a campaign low on money is asked to price its coupon.
     */
    static List<Checkout.Held> payable(
            List<Checkout.Held> held,
            List<Checkout.PricedLine> lines,
            BigDecimal shippingFee,
            MoneyLeft left,
            List<Checkout.NotApplicable> refused) {
        List<Checkout.Held> out = null; // a copy only once a coupon is left out (almost never)
        for (int i = 0; i < held.size(); i++) {
            var h = held.get(i);
            var money = left.of(h.campaignId());
            var takes = money == null
                    ? null
                    : Checkout.apply(lines, shippingFee, List.of(h)).discount();
            if (takes == null || takes.compareTo(money) <= 0) {
                if (out != null) out.add(h);
                continue;
            }
            if (out == null) out = new ArrayList<>(held.subList(0, i));
            if (refused != null) {
                refused.add(new Checkout.NotApplicable(
                        h.couponId(),
                        "its campaign's budget has " + money + " left, less than the " + takes + " it would take off"));
            }
        }
        return out == null ? held : out;
    }

    /**
     * Whether {@code coupon} may discount one unit of a SKU on its own: it covers the SKU, and it is not free shipping
     * (a price has no shipping), nor a bundle (one SKU is never every SKU of one), nor a threshold the unit does not
     * reach. A coupon ruled out here would be rejected by {@link Checkout#apply} for the same reason.
     */
    static boolean couldApply(io.kairos.campaign.Coupon coupon, String sku, String category, BigDecimal unitPrice) {
        return switch (coupon.type()) {
            case FREE_SHIPPING, BUNDLE -> false;
            default ->
                coupon.eligible(sku, category)
                        && (coupon.minSpend() == null || unitPrice.compareTo(coupon.minSpend()) >= 0);
        };
    }

    private record Priced(List<Checkout.PricedLine> lines, String missing) {}

    private static Priced price(List<CartItem> items, PriceLookup prices) {
        var lines = new ArrayList<Checkout.PricedLine>();
        var missing = new ArrayList<String>();
        for (var i : items) {
            var p = prices.price(i.sku());
            if (p.isEmpty()) missing.add(i.sku());
            else {
                // The catalogue's category when it has one (as the shopper's price reads it: a client cannot make a
                // SKU eligible for a category coupon by naming a category); else the one the cart item names.
                var category = p.get().category() != null ? p.get().category() : i.category();
                lines.add(new Checkout.PricedLine(
                        i.sku(),
                        i.quantity(),
                        category,
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

package io.kairos.http.offer;

import io.kairos.http.ApiException;
import io.kairos.http.Validator;
import io.kairos.offer.Checkout;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.shopper.ShopperCommand.CartItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bodies of checkout quotes and orders. Items may name a {@code category} and orders a {@code shippingFee}
 * (extensions).
 */
public final class CheckoutBodies {
    private CheckoutBodies() {}

    public record ItemBody(String sku, Integer quantity, String category) {}

    public record QuoteRequest(
            String shopperId, List<ItemBody> items, List<String> couponIds, BigDecimal shippingFee) {}

    public record OrderRequest(
            String orderId, String shopperId, List<ItemBody> items, List<String> couponIds, BigDecimal shippingFee) {}

    /** The distinct SKUs of a cart, in cart order. */
    static List<String> skus(List<CartItem> cart) {
        return cart.stream().map(CartItem::sku).distinct().toList();
    }

    /** Validates the parts quotes and orders share; returns the cart. */
    static List<CartItem> cart(Validator v, List<ItemBody> items, List<String> couponIds, BigDecimal shippingFee) {
        var out = new ArrayList<CartItem>();
        if (items == null) v.error("items", "is required");
        else if (items.isEmpty() || items.size() > 200) v.error("items", "must hold 1–200 items");
        else {
            var skus = new HashSet<String>();
            v.each("items", items, (f, item) -> {
                boolean ok = v.id(f + "sku", item.sku(), true);
                ok &= v.range(f + "quantity", item.quantity(), 1, 10_000, true);
                ok &= v.text(f + "category", item.category(), 128, false);
                if (ok && !skus.add(item.sku())) v.error(f + "sku", "appears twice; give one line per SKU");
                if (ok) out.add(new CartItem(item.sku(), item.quantity(), item.category()));
            });
        }
        if (couponIds != null) {
            if (couponIds.size() > 20) v.error("couponIds", "at most 20 coupons");
            var seen = new HashSet<String>();
            for (int i = 0; i < couponIds.size(); i++) {
                if (v.id("couponIds[" + i + "]", couponIds.get(i), true) && !seen.add(couponIds.get(i)))
                    v.error("couponIds[" + i + "]", "appears twice");
            }
        }
        v.money("shippingFee", shippingFee, false);
        return out;
    }

    static List<CartItem> validate(QuoteRequest r) {
        if (r == null) throw ApiException.badRequest("$", "a JSON object is required");
        var v = new Validator();
        v.id("shopperId", r.shopperId(), true);
        var cart = cart(v, r.items(), r.couponIds(), r.shippingFee());
        v.throwIfInvalid();
        return cart;
    }

    static List<CartItem> validate(OrderRequest r) {
        var v = new Validator();
        v.id("orderId", r.orderId(), true);
        v.id("shopperId", r.shopperId(), true);
        var cart = cart(v, r.items(), r.couponIds(), r.shippingFee());
        v.throwIfInvalid();
        return cart;
    }

    public record Line(
            String sku,
            int quantity,
            String category,
            BigDecimal unitPrice,
            BigDecimal lineTotal,
            BigDecimal discount,
            BigDecimal netTotal) {}

    public record AppliedCoupon(
            String couponId,
            String offerId,
            String campaignId,
            String type,
            BigDecimal discount,
            Map<String, BigDecimal> bySku,
            boolean floorCapped) {
        static AppliedCoupon of(Checkout.Applied a) {
            return new AppliedCoupon(
                    a.couponId(),
                    a.offerId(),
                    a.campaignId(),
                    a.type().wireName(),
                    a.discount(),
                    a.bySku(),
                    a.floorCapped());
        }
    }

    public record CouponCheck(String couponId, boolean applicable, BigDecimal discount, String reason) {}

    public record Combination(
            List<String> couponIds,
            List<AppliedCoupon> applied,
            BigDecimal itemDiscount,
            BigDecimal shippingDiscount,
            BigDecimal discount,
            BigDecimal total) {}

    /** {@code POST /v1/checkout/quote}: prices, every coupon checked on its own, and the best allowed combination. */
    public record QuoteResponse(
            String shopperId,
            List<Line> lines,
            BigDecimal subtotal,
            BigDecimal shippingFee,
            List<CouponCheck> coupons,
            Combination best,
            BigDecimal total) {

        static QuoteResponse of(String shopperId, Checkout.Quote q, List<Checkout.NotApplicable> unusable) {
            var checks = new ArrayList<CouponCheck>();
            for (var r : q.standalone()) {
                if (!r.applied().isEmpty())
                    checks.add(new CouponCheck(r.applied().get(0).couponId(), true, r.discount(), null));
                else r.rejected().forEach(n -> checks.add(new CouponCheck(n.couponId(), false, null, n.reason())));
            }
            unusable.forEach(n -> checks.add(new CouponCheck(n.couponId(), false, null, n.reason())));
            var best = q.best();
            var combination = new Combination(
                    best.applied().stream().map(Checkout.Applied::couponId).toList(),
                    best.applied().stream().map(AppliedCoupon::of).toList(),
                    best.itemDiscount(),
                    best.shippingDiscount(),
                    best.discount(),
                    best.total());
            return new QuoteResponse(
                    shopperId,
                    CheckoutBodies.lines(q.lines(), best.applied()),
                    best.subtotal(),
                    best.shippingFee(),
                    checks,
                    combination,
                    best.total());
        }
    }

    /** {@code POST /v1/orders/{orderId}/refund}: units per SKU; none refunds everything left. */
    public record RefundRequest(List<RefundLine> lines) {}

    public record RefundLine(String sku, Integer quantity) {}

    /** The units per SKU of a refund request; null when it names none (everything left). */
    static Map<String, Integer> refundUnits(RefundRequest body) {
        if (body == null || body.lines() == null) return null;
        var v = new Validator();
        var units = new LinkedHashMap<String, Integer>();
        if (body.lines().isEmpty() || body.lines().size() > 200)
            v.error("lines", "must hold 1–200 lines, or be omitted");
        v.each("lines", body.lines(), (f, line) -> {
            boolean ok = v.id(f + "sku", line.sku(), true);
            ok &= v.range(f + "quantity", line.quantity(), 1, 10_000, true);
            if (ok && units.put(line.sku(), line.quantity()) != null) {
                v.error(f + "sku", "appears twice; give one line per SKU");
            }
        });
        v.throwIfInvalid();
        return units;
    }

    /** One refund of an order. */
    public record RefundBody(
            String refundId,
            Instant at,
            List<RefundLine> lines,
            BigDecimal amount,
            List<RefundedCoupon> coupons,
            boolean full) {
        static RefundBody of(OrderRecord o, io.kairos.offer.OrderRefund r) {
            var coupons = new ArrayList<RefundedCoupon>();
            for (var a : o.applied()) {
                var back = r.returned().get(a.offerId());
                if (back == null && !r.withheld().contains(a.offerId())) continue;
                coupons.add(new RefundedCoupon(
                        a.couponId(),
                        back == null ? BigDecimal.ZERO.setScale(2) : back,
                        r.withheld().contains(a.offerId())));
            }
            return new RefundBody(
                    r.refundId(),
                    r.at(),
                    r.quantities().entrySet().stream()
                            .map(e -> new RefundLine(e.getKey(), e.getValue()))
                            .toList(),
                    r.amount(),
                    coupons,
                    r.full());
        }
    }

    /**
     * What a refund gave a coupon's campaign back; {@code withheld}: the kept items no longer reach the coupon's
     * minimum spend, so its whole remaining discount was withheld from the refund.
     */
    public record RefundedCoupon(String couponId, BigDecimal budgetReturned, boolean withheld) {}

    /** An order as first recorded (the same body answers every repeat of its order id). */
    public record OrderResponse(
            String orderId,
            String shopperId,
            String status,
            Instant placedAt,
            Instant cancelledAt,
            List<Line> lines,
            List<AppliedCoupon> coupons,
            BigDecimal subtotal,
            BigDecimal itemDiscount,
            BigDecimal shippingFee,
            BigDecimal shippingDiscount,
            BigDecimal total,
            BigDecimal refunded,
            List<RefundBody> refunds) {

        static OrderResponse of(String shopperId, OrderRecord o) {
            return new OrderResponse(
                    o.orderId(),
                    shopperId,
                    status(o),
                    o.placedAt(),
                    o.cancelledAt(),
                    CheckoutBodies.lines(o.lines(), o.applied()),
                    o.applied().stream().map(AppliedCoupon::of).toList(),
                    o.subtotal(),
                    o.itemDiscount(),
                    o.shippingFee(),
                    o.shippingDiscount(),
                    o.total(),
                    o.refundedAmount().setScale(2),
                    o.refunds().stream().map(r -> RefundBody.of(o, r)).toList());
        }

        private static String status(OrderRecord o) {
            if (o.cancelled()) return "cancelled";
            if (o.fullyRefunded()) return "refunded";
            return o.refunds().isEmpty() ? "placed" : "partially_refunded";
        }
    }

    static List<Line> lines(List<Checkout.PricedLine> priced, List<Checkout.Applied> applied) {
        var discounts = new LinkedHashMap<String, BigDecimal>();
        for (var a : applied) a.bySku().forEach((sku, d) -> discounts.merge(sku, d, BigDecimal::add));
        return priced.stream()
                .map(l -> {
                    var d = discounts.getOrDefault(l.sku(), BigDecimal.ZERO.setScale(2));
                    return new Line(
                            l.sku(),
                            l.quantity(),
                            l.category(),
                            l.unitPrice(),
                            l.total(),
                            d,
                            l.total().subtract(d));
                })
                .toList();
    }
}

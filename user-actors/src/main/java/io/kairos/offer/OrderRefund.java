package io.kairos.offer;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One refund of an order placed through {@code POST /v1/orders}, full or partial.
 *
 * @param quantities units refunded per SKU
 * @param amount what the shopper gets back: the refunded items at their price less the discount their coupons gave
 *     them, less the whole discount of a coupon whose minimum spend the kept items no longer reach (withheld); a full
 *     refund is everything the order still stood at, shipping included
 * @param returned per offer, the part of its discount the campaign gets back
 * @param withheld offers whose minimum spend the kept items no longer reach: their whole remaining discount went back
 *     to the campaign and was withheld from the refund; the coupon stays used
 * @param full whether nothing of the order is left after it (its coupons are given back as a cancel gives them back)
 */
public record OrderRefund(
        String refundId,
        Instant at,
        Map<String, Integer> quantities,
        BigDecimal amount,
        Map<String, BigDecimal> returned,
        List<String> withheld,
        boolean full)
        implements CborSerializable {
    public OrderRefund {
        quantities = quantities == null ? Map.of() : new TreeMap<>(quantities);
        returned = returned == null ? Map.of() : new TreeMap<>(returned);
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
    }
}

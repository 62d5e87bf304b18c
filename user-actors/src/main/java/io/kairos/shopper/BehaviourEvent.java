package io.kairos.shopper;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One behaviour event as the shopper entity records it. Validated at the edge (HTTP) before it gets here: ids are well
 * formed, {@code occurredAt} is set, order-book types carry {@code orderId} and {@code amount}. Optional fields are
 * {@code null} when absent; {@code attributes} is never null.
 */
public record BehaviourEvent(
        String eventId,
        EventType type,
        Instant occurredAt,
        String sku,
        String category,
        BigDecimal amount,
        Integer quantity,
        String channel,
        String orderId,
        String couponId,
        Map<String, String> attributes)
        implements CborSerializable {

    public BehaviourEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * Whether {@code e} says something about a SKU's demand, which the pricing actors learn from: a view, an
     * add-to-cart or an order line that names a SKU. (Static, so it is no property of the serialized event.)
     */
    public static boolean isDemandSignal(BehaviourEvent e) {
        return e.sku() != null
                && !e.sku().isBlank()
                && e.occurredAt() != null
                && (e.type() == EventType.VIEW || e.type() == EventType.ADD_TO_CART || e.type() == EventType.ORDER);
    }

    public static BehaviourEvent of(String eventId, EventType type, Instant occurredAt) {
        return new BehaviourEvent(eventId, type, occurredAt, null, null, null, null, null, null, null, Map.of());
    }

    public BehaviourEvent withCategory(String newCategory) {
        return copy(sku, newCategory, amount, quantity, channel, orderId, couponId, attributes);
    }

    public BehaviourEvent withOrder(String newOrderId, BigDecimal newAmount) {
        return copy(sku, category, newAmount, quantity, channel, newOrderId, couponId, attributes);
    }

    public BehaviourEvent withSku(String newSku, Integer newQuantity) {
        return copy(newSku, category, amount, newQuantity, channel, orderId, couponId, attributes);
    }

    /** The event about a coupon (a message open or click, a claim) on {@code newChannel}. */
    public BehaviourEvent withCoupon(String newChannel, String newCouponId) {
        return copy(sku, category, amount, quantity, newChannel, orderId, newCouponId, attributes);
    }

    public BehaviourEvent withAttributes(Map<String, String> newAttributes) {
        return copy(sku, category, amount, quantity, channel, orderId, couponId, newAttributes);
    }

    /** The same event (id, type and time) with these details. */
    private BehaviourEvent copy(
            String newSku,
            String newCategory,
            BigDecimal newAmount,
            Integer newQuantity,
            String newChannel,
            String newOrderId,
            String newCouponId,
            Map<String, String> newAttributes) {
        return new BehaviourEvent(
                eventId,
                type,
                occurredAt,
                newSku,
                newCategory,
                newAmount,
                newQuantity,
                newChannel,
                newOrderId,
                newCouponId,
                newAttributes);
    }
}

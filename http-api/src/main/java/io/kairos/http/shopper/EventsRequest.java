package io.kairos.http.shopper;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Body of {@code POST /v1/events}. Times and types are strings here so their errors can be reported precisely. */
public record EventsRequest(List<EventBody> events) {

    public record EventBody(
            String eventId,
            String shopperId,
            String type,
            String occurredAt,
            String sku,
            String category,
            BigDecimal amount,
            Integer quantity,
            String channel,
            String orderId,
            String couponId,
            Map<String, String> attributes) {}
}

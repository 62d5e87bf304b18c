package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The behaviour a shopper event reports. The wire name (lower snake case) is the contract in API.md. */
public enum EventType {
    VIEW,
    CLICK,
    SEARCH,
    ADD_TO_CART,
    REMOVE_FROM_CART,
    FAVORITE,
    ORDER,
    CANCEL,
    REFUND,
    MESSAGE_OPEN,
    MESSAGE_CLICK,
    COUPON_CLAIM,
    APP_OPEN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Order-book events must name the order and its amount. */
    public boolean needsOrder() {
        return this == ORDER || this == CANCEL || this == REFUND;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EventType parse(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown event type " + name));
    }
}

package io.kairos.shopper;

import io.kairos.wire.WireName;

/** The behaviour a shopper event reports. The wire name (lower snake case) is the contract in API.md. */
public enum EventType implements WireName {
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

    /** Order-book events must name the order and its amount. */
    public boolean needsOrder() {
        return this == ORDER || this == CANCEL || this == REFUND;
    }
}

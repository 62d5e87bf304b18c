package io.kairos.http.shopper;

/**
 * Reply to {@code POST /v1/events}: how many events were newly recorded, how many were already known, and how many were
 * refused because their person was erased (nothing is recorded about an erased person again).
 */
public record EventsAccepted(int accepted, int duplicates, int erased) {}

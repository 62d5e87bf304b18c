package io.kairos.http.shopper;

/** Reply to {@code POST /v1/events}: how many events were newly recorded and how many were already known. */
public record EventsAccepted(int accepted, int duplicates) {}

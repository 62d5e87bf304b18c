package io.kairos.offer;

import io.kairos.metrics.KairosMetrics;

/** Decision and offer metrics ({@link KairosMetrics}); budget figures per campaign are the campaign entity's. */
public final class OfferMetrics {
    private OfferMetrics() {}

    /** A decision's outcome; lifecycle triggers count under {@code lifecycle} whatever the stage (bounded labels). */
    public static void decision(String trigger, String outcome, double seconds) {
        KairosMetrics.DECISIONS
                .labelValues(trigger.startsWith("lifecycle:") ? "lifecycle" : trigger, outcome)
                .inc();
        KairosMetrics.DECISION_SECONDS.observe(seconds);
    }

    public static void issued(String campaignId) {
        KairosMetrics.OFFERS_ISSUED.labelValues(campaignId).inc();
    }

    /** A reservation asked again because the campaign's answer was late. */
    public static void reservationRetried(String campaignId) {
        KairosMetrics.RESERVATION_RETRIES.labelValues(campaignId).inc();
    }

    public static void redeemed(String campaignId) {
        KairosMetrics.OFFERS_REDEEMED.labelValues(campaignId).inc();
    }

    public static void returned(String campaignId) {
        KairosMetrics.OFFERS_RETURNED.labelValues(campaignId).inc();
    }

    static void modelFallback(String cause) {
        KairosMetrics.MODEL_FALLBACKS.labelValues(cause).inc();
    }

    static void modelSeconds(double seconds) {
        KairosMetrics.MODEL_SECONDS.observe(seconds);
    }
}

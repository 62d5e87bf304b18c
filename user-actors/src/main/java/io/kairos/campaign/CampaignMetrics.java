package io.kairos.campaign;

import io.kairos.metrics.KairosMetrics;

/** Budget metrics per campaign ({@link KairosMetrics}): budget, reserved and spent as the entity last recorded them. */
final class CampaignMetrics {
    private CampaignMetrics() {}

    static void record(CampaignState s) {
        if (!s.exists()) return;
        var id = s.definition().campaignId();
        KairosMetrics.CAMPAIGN_BUDGET.labelValues(id).set(s.budget().doubleValue());
        KairosMetrics.BUDGET_RESERVED.labelValues(id).set(s.reserved().doubleValue());
        KairosMetrics.BUDGET_SPENT.labelValues(id).set(s.spent().doubleValue());
    }

    /** One journal write of {@code reservations} admitted reservations (0: the batch held only answers). */
    static void reservationBatch(String campaignId, int reservations) {
        if (reservations == 0) return;
        KairosMetrics.RESERVATION_WRITES.labelValues(campaignId).inc();
        KairosMetrics.RESERVATIONS_WRITTEN.labelValues(campaignId).inc(reservations);
    }

    static void refused(String campaignId, String reason) {
        KairosMetrics.RESERVATIONS_REFUSED.labelValues(campaignId, reason).inc();
    }
}

package io.kairos.campaign;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * Budget metrics per campaign in the Prometheus default registry (exposed by the node's {@code /metrics}): budget,
 * reserved and spent as the campaign entity last recorded them, and refused reservations by reason.
 */
final class CampaignMetrics {
  private static final Gauge BUDGET = Gauge.builder().name("kairos_campaign_budget")
      .help("The campaign's budget").labelNames("campaign").register();
  private static final Gauge RESERVED = Gauge.builder().name("kairos_campaign_budget_reserved")
      .help("Budget reserved by issued, unredeemed offers").labelNames("campaign").register();
  private static final Gauge SPENT = Gauge.builder().name("kairos_campaign_budget_spent")
      .help("Budget spent by redemptions").labelNames("campaign").register();
  private static final Counter REFUSED = Counter.builder().name("kairos_campaign_reservations_refused")
      .help("Reservations the campaign refused, by reason").labelNames("campaign", "reason").register();

  private CampaignMetrics() {}

  static void record(CampaignState s) {
    if (!s.exists()) return;
    var id = s.definition().campaignId();
    BUDGET.labelValues(id).set(s.budget().doubleValue());
    RESERVED.labelValues(id).set(s.reserved().doubleValue());
    SPENT.labelValues(id).set(s.spent().doubleValue());
  }

  static void refused(String campaignId, String reason) {
    REFUSED.labelValues(campaignId, reason).inc();
  }
}

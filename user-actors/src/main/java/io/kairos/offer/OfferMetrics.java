package io.kairos.offer;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * Decision and offer metrics in the Prometheus default registry (exposed by the node's {@code /metrics}).
 * Budget figures per campaign are the campaign entity's ({@code kairos_campaign_budget_*}).
 */
public final class OfferMetrics {
  private static final Counter DECISIONS = Counter.builder().name("kairos_offer_decisions")
      .help("Offer decisions by trigger and outcome (issued, holdout, none, refused)").labelNames("trigger", "outcome").register();
  private static final Counter ISSUED = Counter.builder().name("kairos_offers_issued")
      .help("Offers issued, by campaign").labelNames("campaign").register();
  private static final Counter REDEEMED = Counter.builder().name("kairos_offers_redeemed")
      .help("Offers redeemed by orders, by campaign").labelNames("campaign").register();
  private static final Counter RETURNED = Counter.builder().name("kairos_offers_returned")
      .help("Redemptions given back by cancelled orders, by campaign").labelNames("campaign").register();
  private static final Counter FALLBACKS = Counter.builder().name("kairos_offer_model_fallbacks")
      .help("Decisions scored by the safe rule instead of the model, by cause").labelNames("cause").register();
  private static final Histogram DECISION_SECONDS = Histogram.builder().name("kairos_offer_decision_seconds")
      .help("Time from the start of a decision to its outcome being recorded").register();
  private static final Histogram MODEL_SECONDS = Histogram.builder().name("kairos_offer_model_seconds")
      .help("Time of one batched model call, queueing on the model dispatcher included").register();

  private OfferMetrics() {}

  public static void decision(String trigger, String outcome, double seconds) {
    DECISIONS.labelValues(trigger.startsWith("lifecycle:") ? "lifecycle" : trigger, outcome).inc();
    DECISION_SECONDS.observe(seconds);
  }

  public static void issued(String campaignId) {
    ISSUED.labelValues(campaignId).inc();
  }

  public static void redeemed(String campaignId) {
    REDEEMED.labelValues(campaignId).inc();
  }

  public static void returned(String campaignId) {
    RETURNED.labelValues(campaignId).inc();
  }

  static void modelFallback(String cause) {
    FALLBACKS.labelValues(cause).inc();
  }

  static void modelSeconds(double seconds) {
    MODEL_SECONDS.observe(seconds);
  }
}

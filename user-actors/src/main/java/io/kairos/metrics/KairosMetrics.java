package io.kairos.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The business metrics of a Kairos node, defined once so every module increments the same series and the names in
 * the README stay true. All live in {@code PrometheusRegistry.defaultRegistry}, which the node serves at
 * {@code GET :8558/metrics}; cluster, sharding and JVM metrics are added by the node itself.
 *
 * <p>Invariants: names follow the Prometheus conventions ({@code kairos_} prefix, base units, {@code _total} on
 * counters) so {@code promtool check metrics} passes; label values are bounded sets (outcomes, policies, campaign
 * ids), never shopper ids or anything personal. Money is in the shop's currency.
 */
public final class KairosMetrics {
  private KairosMetrics() {}

  /** Behaviour events taken in by {@code POST /v1/events}; {@code outcome} is {@code accepted} or {@code duplicate}. */
  public static final Counter EVENTS_INGESTED = Counter.builder()
      .name("kairos_events_ingested_total")
      .help("Behaviour events received in acknowledged batches, by outcome (accepted = newly persisted, duplicate = already recorded)")
      .labelNames("outcome")
      .register();

  /** Batches of one shopper that did not persist in time or failed; the client got 503 and re-sends. */
  public static final Counter EVENTS_UNAVAILABLE = Counter.builder()
      .name("kairos_events_unavailable_total")
      .help("Per-shopper event batches that failed or timed out before being persisted (answered 503)")
      .register();

  /** Time from sending a shopper its events to its reply that they are persisted (ask, routing and journal write). */
  public static final Histogram EVENT_PERSIST_SECONDS = Histogram.builder()
      .name("kairos_event_persist_seconds")
      .help("Latency of persisting one shopper's events of a request, from the ask to the entity's reply")
      .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
      .classicUpperBounds(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
      .register();

  /** Offer decisions taken; {@code outcome}: issued, no_offer, holdout, capped, budget_exhausted. */
  public static final Counter DECISIONS = Counter.builder()
      .name("kairos_decisions_total")
      .help("Offer decisions taken, by outcome (issued, no_offer, holdout, capped, budget_exhausted)")
      .labelNames("outcome")
      .register();

  public static final Counter OFFERS_ISSUED = Counter.builder()
      .name("kairos_offers_issued_total")
      .help("Offers issued to shoppers, by campaign")
      .labelNames("campaign")
      .register();

  public static final Counter OFFERS_REDEEMED = Counter.builder()
      .name("kairos_offers_redeemed_total")
      .help("Offers redeemed in orders, by campaign")
      .labelNames("campaign")
      .register();

  /** Budget currently held by issued, unredeemed offers (goes down on redemption, expiry and release). */
  public static final Gauge BUDGET_RESERVED = Gauge.builder()
      .name("kairos_budget_reserved")
      .help("Campaign budget currently reserved by issued offers, in the shop's currency, by campaign")
      .labelNames("campaign")
      .register();

  public static final Counter BUDGET_SPENT = Counter.builder()
      .name("kairos_budget_spent_total")
      .help("Campaign budget spent on redeemed offers, in the shop's currency, by campaign")
      .labelNames("campaign")
      .register();

  /** Price changes applied to SKUs; {@code policy}: fixed, thompson, qlearning, manual. */
  public static final Counter PRICE_CHANGES = Counter.builder()
      .name("kairos_price_changes_total")
      .help("Price changes applied to SKUs, by pricing policy")
      .labelNames("policy")
      .register();
}

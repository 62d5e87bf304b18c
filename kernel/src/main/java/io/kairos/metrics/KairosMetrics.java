package io.kairos.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The business metrics of a Kairos node, defined once so every module increments the same series and the names in
 * docs/metrics.md stay true. All live in {@code PrometheusRegistry.defaultRegistry}, which the node serves at
 * {@code GET :8558/metrics}; cluster, sharding and JVM metrics are added by the node itself.
 *
 * <p>Invariants: names follow the Prometheus conventions ({@code kairos_} prefix, base units, {@code _total} on
 * counters) so {@code promtool check metrics} passes; label values are bounded sets (outcomes, policies, campaign ids),
 * never shopper ids or anything personal. Money is in the shop's currency.
 */
public final class KairosMetrics {
    private KairosMetrics() {}

    /**
     * Behaviour events taken in by {@code POST /v1/events}; {@code outcome} is {@code accepted} or {@code duplicate}.
     */
    public static final Counter EVENTS_INGESTED = Counter.builder()
            .name("kairos_events_ingested_total")
            .help(
                    "Behaviour events received in acknowledged batches, by outcome (accepted = newly persisted, duplicate = already recorded)")
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

    /**
     * Offer decisions taken, by {@code trigger} (request, cart_abandoned, lifecycle, dormancy) and {@code outcome}:
     * issued, holdout (assigned to a control group, nothing issued), none (no candidate passed the rules, or "no offer"
     * ranked best), refused (the campaign refused the reservation: budget, pacing, capacity).
     */
    public static final Counter DECISIONS = Counter.builder()
            .name("kairos_decisions_total")
            .help("Offer decisions taken, by trigger and outcome (issued, holdout, none, refused)")
            .labelNames("trigger", "outcome")
            .register();

    /** From the start of a decision to its outcome (model call and budget reservation included). */
    public static final Histogram DECISION_SECONDS = Histogram.builder()
            .name("kairos_decision_seconds")
            .help("Latency of an offer decision, from its start to its outcome, model call and reservation included")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register();

    /** One batched model call of a decision, queueing on the model dispatcher included. */
    public static final Histogram MODEL_SECONDS = Histogram.builder()
            .name("kairos_offer_model_seconds")
            .help("Latency of one batched uplift model call, queueing on the model dispatcher included")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)
            .register();

    /** Decisions scored by the safe rule because the model failed or timed out; {@code cause}: timeout, error. */
    public static final Counter MODEL_FALLBACKS = Counter.builder()
            .name("kairos_offer_model_fallbacks_total")
            .help("Offer decisions scored by the safe rule instead of the model, by cause (timeout, error)")
            .labelNames("cause")
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

    /** Redemptions given back because their order was cancelled. */
    /**
     * Uses of tracked links ({@code GET /t/{token}}), by {@code outcome}: recorded (a new message_open/message_click),
     * duplicate (the same link again within its dedup window), unconfirmed (redirected before the event was confirmed
     * durable: timeout or failure), or why a token was refused (malformed, unknown_key, bad_signature, expired,
     * target_not_allowed; a burst of bad_signature is someone trying to forge links).
     */
    public static final Counter TRACKED_LINKS = Counter.builder()
            .name("kairos_tracked_links_total")
            .help(
                    "Uses of tracked links, by outcome (recorded, duplicate, unconfirmed, or the reason a token was refused)")
            .labelNames("outcome")
            .register();

    public static final Counter OFFERS_RETURNED = Counter.builder()
            .name("kairos_offers_returned_total")
            .help("Redemptions given back by cancelled orders, by campaign")
            .labelNames("campaign")
            .register();

    /** A campaign's budget as its entity last recorded it (set on the node that holds the campaign). */
    public static final Gauge CAMPAIGN_BUDGET = Gauge.builder()
            .name("kairos_campaign_budget")
            .help("Campaign budget, in the shop's currency, by campaign")
            .labelNames("campaign")
            .register();

    /** Budget held by issued, unredeemed offers (goes down on redemption, expiry and release). */
    public static final Gauge BUDGET_RESERVED = Gauge.builder()
            .name("kairos_campaign_budget_reserved")
            .help(
                    "Campaign budget currently reserved by issued, unredeemed offers, in the shop's currency, by campaign")
            .labelNames("campaign")
            .register();

    /** Budget spent on redemptions; a gauge because a cancelled order gives its discount back. */
    public static final Gauge BUDGET_SPENT = Gauge.builder()
            .name("kairos_campaign_budget_spent")
            .help("Campaign budget spent on redeemed offers net of cancellations, in the shop's currency, by campaign")
            .labelNames("campaign")
            .register();

    /** Reservations a campaign refused; {@code reason}: budget, pacing, paused, ended, capacity… */
    public static final Counter RESERVATIONS_REFUSED = Counter.builder()
            .name("kairos_campaign_reservations_refused_total")
            .help("Budget reservations a campaign refused, by campaign and reason")
            .labelNames("campaign", "reason")
            .register();

    /** Price changes applied to SKUs; {@code policy}: fixed, thompson, qlearning, manual. */
    public static final Counter PRICE_CHANGES = Counter.builder()
            .name("kairos_price_changes_total")
            .help("Price changes applied to SKUs, by pricing policy")
            .labelNames("policy")
            .register();

    /**
     * Final results of offer deliveries, by {@code channel} (none when no channel was chosen) and {@code outcome}:
     * sent, or why it was not: no-channel, no-consent, capped, expired, not-live, unknown-shopper, rejected, failed.
     */
    public static final Counter DELIVERIES = Counter.builder()
            .name("kairos_deliveries_total")
            .help(
                    "Final results of offer deliveries, by channel and outcome (sent, no-channel, no-consent, capped, expired, not-live, rejected, failed)")
            .labelNames("channel", "outcome")
            .register();

    /** Delivery attempts that failed after the channel's own retries (circuit open, overloaded, errors). */
    public static final Counter DELIVERY_ATTEMPTS_FAILED = Counter.builder()
            .name("kairos_delivery_attempts_failed_total")
            .help(
                    "Delivery attempts that failed after the channel's retries (the delivery is tried again later), by channel")
            .labelNames("channel")
            .register();
}

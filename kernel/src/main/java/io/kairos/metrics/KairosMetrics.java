package io.kairos.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The business metrics of a Kairos node, defined once so every module increments the same series and the names in
 * docs/metrics.md stay true. All live in {@code PrometheusRegistry.defaultRegistry}, which the node serves at
 * {@code GET :8558/metrics}; cluster, sharding and JVM metrics are added by the node itself.
 *
 * <p>Invariants: names follow the Prometheus conventions ({@code kairos_} prefix, base units, {@code _total} on
 * counters) so {@code promtool check metrics} passes; label values are bounded sets (outcomes, policies, campaign ids,
 * route templates), never shopper ids or anything personal. Money is in the shop's currency.
 */
public final class KairosMetrics {
    private KairosMetrics() {}

    /**
     * Behaviour events taken in by {@code POST /v1/events}; {@code outcome} is {@code accepted} or {@code duplicate}.
     */
    public static final Counter EVENTS_INGESTED = counter(
            "kairos_events_ingested_total",
            "Behaviour events received in acknowledged batches, by outcome (accepted = newly persisted, duplicate = already recorded)",
            "outcome");

    /**
     * Records of the Kafka events topic by outcome: {@code accepted} (newly persisted), {@code duplicate} (already
     * recorded, e.g. redelivered after a restart) or {@code dead_letter} (not a valid event: sent to the dead-letter
     * topic).
     */
    public static final Counter KAFKA_RECORDS = counter(
            "kairos_kafka_records_total",
            "Records of the Kafka events topic taken in, by outcome (accepted, duplicate, dead_letter)",
            "outcome");

    /** How far this node's events consumer is behind the end of each partition it consumes, in records. */
    public static final Gauge KAFKA_CONSUMER_LAG = gauge(
            "kairos_kafka_consumer_lag",
            "Records of the Kafka events topic not yet consumed by this node, per partition it consumes",
            "topic",
            "partition");

    /** Records published to Kafka by the node's projections (offers and prices), by topic. */
    public static final Counter KAFKA_PUBLISHED = counter(
            "kairos_kafka_published_total",
            "Records the node's projections published to Kafka and the broker acknowledged, by topic",
            "topic");

    /** Batches of one shopper that did not persist in time or failed; the client got 503 and re-sends. */
    public static final Counter EVENTS_UNAVAILABLE = counter(
            "kairos_events_unavailable_total",
            "Per-shopper event batches that failed or timed out before being persisted (answered 503)");

    /**
     * Requests refused at once by admission control because the node had as much of that work in flight as its adaptive
     * limit allows (answered 503 with {@code Retry-After}); {@code work} is events, decisions, orders or reads.
     */
    public static final Counter ADMISSION_REFUSED = counter(
            "kairos_admission_refused_total",
            "Requests refused by admission control (503 at once, nothing done) because the work in flight was at its limit",
            "work");

    /** Requests admitted beyond their limit in a burst (after a pause), which teach the limit nothing. */
    public static final Counter ADMISSION_BURST = counter(
            "kairos_admission_burst_total",
            "Requests admitted beyond the limit of their kind of work in a burst window (a backlog after a pause)",
            "work");

    /** Requests refused with 429 by a rate limit; {@code scope} is key (the API key's) or shopper. */
    public static final Counter RATE_LIMITED = counter(
            "kairos_rate_limited_total",
            "Requests refused with 429 because their API key or their shopper was over its rate limit, by scope",
            "scope");

    /** The adaptive concurrency limit of each kind of work, as admission control last set it. */
    public static final Gauge ADMISSION_LIMIT = gauge(
            "kairos_admission_limit",
            "Requests of a kind of work the node admits at once (adaptive: falls when latency grows, rises when it does not)",
            "work");

    /** Requests of each kind of work in flight. */
    public static final Gauge ADMISSION_IN_FLIGHT =
            gauge("kairos_admission_in_flight", "Admitted requests of a kind of work not yet answered", "work");

    /** Event batches that reached their shopper after the API had stopped waiting: dropped unrecorded (re-sent). */
    public static final Counter EVENTS_EXPIRED = counter(
            "kairos_events_expired_total",
            "Per-shopper event batches dropped unrecorded because they reached their shopper after the request's deadline");

    /**
     * Reads of a shopper's own prices, by where they were answered: {@code local} from the node's live wallets,
     * {@code actor} by the shopper's actor.
     */
    public static final Counter SHOPPER_PRICE_READS = counter(
            "kairos_shopper_price_reads_total",
            "Reads of a shopper's own prices, by where they were answered (local: the node's live wallets; actor: the shopper's actor)",
            "answered_by");

    /** Time from sending a shopper its events to its reply that they are persisted (ask, routing and journal write). */
    public static final Histogram EVENT_PERSIST_SECONDS = seconds(
            "kairos_event_persist_seconds",
            "Latency of persisting one shopper's events of a request, from the ask to the entity's reply",
            0.002,
            0.005,
            0.01,
            0.025,
            0.05,
            0.1,
            0.25,
            0.5,
            1,
            2.5,
            5,
            10);

    /**
     * Offer decisions taken, by {@code trigger} (request, cart_abandoned, lifecycle, dormancy) and {@code outcome}:
     * issued, holdout (assigned to a control group, nothing issued), none (no candidate passed the rules, or "no offer"
     * ranked best), refused (the campaign refused the reservation: budget, pacing, capacity).
     */
    public static final Counter DECISIONS = counter(
            "kairos_decisions_total",
            "Offer decisions taken, by trigger and outcome (issued, holdout, none, refused)",
            "trigger",
            "outcome");

    /** From the start of a decision to its outcome (model call and budget reservation included). */
    public static final Histogram DECISION_SECONDS = seconds(
            "kairos_decision_seconds",
            "Latency of an offer decision, from its start to its outcome, model call and reservation included",
            0.001,
            0.0025,
            0.005,
            0.01,
            0.025,
            0.05,
            0.1,
            0.25,
            0.5,
            1,
            2.5);

    /** One batched model call of a decision, queueing on the model dispatcher included. */
    public static final Histogram MODEL_SECONDS = seconds(
            "kairos_offer_model_seconds",
            "Latency of one batched uplift model call, queueing on the model dispatcher included",
            0.0005,
            0.001,
            0.0025,
            0.005,
            0.01,
            0.025,
            0.05,
            0.1);

    /** Decisions scored by the safe rule because the model failed or timed out; {@code cause}: timeout, error. */
    public static final Counter MODEL_FALLBACKS = counter(
            "kairos_offer_model_fallbacks_total",
            "Offer decisions scored by the safe rule instead of the model, by cause (timeout, error)",
            "cause");

    public static final Counter LEARNING_RUNS = counter(
            "kairos_learning_runs_total",
            "Learning-loop runs, by model and verdict (promoted, kept, failed; watching, confirmed, rolled-back)",
            "model",
            "verdict");

    public static final Gauge LEARNING_IMPROVEMENT = gauge(
            "kairos_learning_improvement_per_decision",
            "The last run's off-policy estimate of the challenger's value minus the champion's, per decision",
            "model");

    public static final Gauge LEARNING_LAST_RUN =
            gauge("kairos_learning_last_run_timestamp_seconds", "When the last learning-loop run finished", "model");

    public static final Counter OFFERS_ISSUED =
            counter("kairos_offers_issued_total", "Offers issued to shoppers, by campaign", "campaign");

    public static final Counter OFFERS_REDEEMED =
            counter("kairos_offers_redeemed_total", "Offers redeemed in orders, by campaign", "campaign");

    /**
     * Uses of tracked links ({@code GET /t/{token}}), by {@code outcome}: recorded (a new message_open/message_click),
     * duplicate (the same link again within its dedup window), unconfirmed (redirected before the event was confirmed
     * durable: timeout or failure), or why a token was refused (malformed, unknown_key, bad_signature, expired,
     * target_not_allowed; a burst of bad_signature is someone trying to forge links).
     */
    public static final Counter TRACKED_LINKS = counter(
            "kairos_tracked_links_total",
            "Uses of tracked links, by outcome (recorded, duplicate, unconfirmed, erased, or the reason a token was refused)",
            "outcome");

    /** Redemptions given back because their order was cancelled. */
    public static final Counter OFFERS_RETURNED = counter(
            "kairos_offers_returned_total", "Redemptions given back by cancelled orders, by campaign", "campaign");

    /** A campaign's budget as its entity last recorded it (set on the node that holds the campaign). */
    public static final Gauge CAMPAIGN_BUDGET =
            gauge("kairos_campaign_budget", "Campaign budget, in the shop's currency, by campaign", "campaign");

    /** Budget held by issued, unredeemed offers (goes down on redemption, expiry and release). */
    public static final Gauge BUDGET_RESERVED = gauge(
            "kairos_campaign_budget_reserved",
            "Campaign budget currently reserved by issued, unredeemed offers, in the shop's currency, by campaign",
            "campaign");

    /** Budget spent on redemptions; a gauge because a cancelled order gives its discount back. */
    public static final Gauge BUDGET_SPENT = gauge(
            "kairos_campaign_budget_spent",
            "Campaign budget spent on redeemed offers net of cancellations, in the shop's currency, by campaign",
            "campaign");

    /** Reservations a campaign refused; {@code reason}: budget, pacing, paused, ended, capacity… */
    public static final Counter RESERVATIONS_REFUSED = counter(
            "kairos_campaign_reservations_refused_total",
            "Budget reservations a campaign refused, by campaign and reason",
            "campaign",
            "reason");

    /**
     * Journal writes of admitted reservations (group commit); reservations written divided by this is the mean batch.
     */
    public static final Counter RESERVATION_WRITES = counter(
            "kairos_campaign_reservation_writes_total",
            "Journal writes of a campaign's admitted reservations (one write carries a batch of them), by campaign",
            "campaign");

    /** Reservations written by those writes. */
    public static final Counter RESERVATIONS_WRITTEN = counter(
            "kairos_campaign_reservations_written_total",
            "Budget reservations written to a campaign's journal, by campaign",
            "campaign");

    /**
     * Reservations a shopper asked again (same offer id) because the campaign's answer was late; the campaign answers a
     * repeated reservation as the first time.
     */
    public static final Counter RESERVATION_RETRIES = counter(
            "kairos_offer_reservation_retries_total",
            "Budget reservations asked again with the same offer id because the campaign's answer was late, by campaign",
            "campaign");

    /** Price changes applied to SKUs; {@code policy}: fixed, thompson, qlearning, manual. */
    public static final Counter PRICE_CHANGES =
            counter("kairos_price_changes_total", "Price changes applied to SKUs, by pricing policy", "policy");

    /**
     * Final results of offer deliveries, by {@code channel} (none when no channel was chosen) and {@code outcome}:
     * sent, or why it was not: no-channel, no-consent, capped, expired, not-live, unknown-shopper, rejected, failed.
     */
    public static final Counter DELIVERIES = counter(
            "kairos_deliveries_total",
            "Final results of offer deliveries, by channel and outcome (sent, no-channel, no-consent, capped, expired, not-live, rejected, failed)",
            "channel",
            "outcome");

    /** Delivery attempts that failed after the channel's own retries (circuit open, overloaded, errors). */
    public static final Counter DELIVERY_ATTEMPTS_FAILED = counter(
            "kairos_delivery_attempts_failed_total",
            "Delivery attempts that failed after the channel's retries (the delivery is tried again later), by channel",
            "channel");

    /**
     * API requests answered, by {@code method}, {@code route} (the OpenAPI path template it matched, e.g.
     * {@code /v1/shoppers/{shopperId}/offers}; {@code unmatched} for any other path) and {@code status_class} (2xx,
     * 3xx, 4xx, 5xx), rejections and failures counted as the status they were answered with.
     */
    public static final Counter HTTP_REQUESTS = counter(
            "kairos_http_requests_total",
            "API requests answered, by method, route template and status class",
            "method",
            "route",
            "status_class");

    /**
     * From a request reaching the API's routes to its response being ready; for a streamed body (Server-Sent Events,
     * NDJSON) that is when the response headers are, not when the stream ends. Labelled as {@link #HTTP_REQUESTS}.
     */
    public static final Histogram HTTP_REQUEST_SECONDS = Histogram.builder()
            .name("kairos_http_request_duration_seconds")
            .help("Latency of API requests until the response (its headers, for streamed bodies), by method, route"
                    + " template and status class")
            .unit(Unit.SECONDS)
            .labelNames("method", "route", "status_class")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            // the text format shows only the classic buckets: computing native buckets too cost every request
            .classicOnly()
            .register();

    private static Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register();
    }

    private static Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).register();
    }

    /** A latency histogram in seconds, with classic buckets up to the given bounds. */
    private static Histogram seconds(String name, String help, double... upperBounds) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .unit(Unit.SECONDS)
                .classicUpperBounds(upperBounds)
                .register();
    }
}

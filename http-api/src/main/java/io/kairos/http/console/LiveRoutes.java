package io.kairos.http.console;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.metrics.KairosMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Instant;

/**
 * {@code GET /v1/live} (role operator or auditor): this node's running totals of the counters the console's live page
 * turns into rates (events taken in over HTTP and Kafka, offer decisions, offers issued and redeemed, deliveries sent
 * and deliveries that failed for good, each counted once). They are {@link KairosMetrics} counters, the same series
 * {@code /metrics} exposes; since the node started, per node. Persists nothing.
 */
public record LiveRoutes(RouteContext ctx) {
    public record Live(
            Instant at,
            long eventsAccepted,
            long decisions,
            long offersIssued,
            long offersRedeemed,
            long deliveriesSent,
            long deliveryFailures) {}

    public Route routes() {
        return path(
                "live",
                () -> get(() -> ctx.authorized(
                        roles(Role.OPERATOR, Role.AUDITOR), () -> complete(json(StatusCodes.OK, live())))));
    }

    private Live live() {
        return new Live(
                ctx.now(),
                sum(KairosMetrics.EVENTS_INGESTED, "outcome", "accepted")
                        + sum(KairosMetrics.KAFKA_RECORDS, "outcome", "accepted"),
                sum(KairosMetrics.DECISIONS, null, null),
                sum(KairosMetrics.OFFERS_ISSUED, null, null),
                sum(KairosMetrics.OFFERS_REDEEMED, null, null),
                sum(KairosMetrics.DELIVERIES, "outcome", "sent"),
                sum(KairosMetrics.DELIVERIES, "outcome", "failed"));
    }

    /** The counter's total over its data points whose {@code label} is {@code value} (all of them: label null). */
    static long sum(Counter counter, String label, String value) {
        double total = 0;
        for (var point : counter.collect().getDataPoints())
            if (label == null || value.equals(point.getLabels().get(label))) total += point.getValue();
        return (long) total;
    }
}

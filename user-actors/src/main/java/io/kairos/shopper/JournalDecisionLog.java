package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.stream.javadsl.Sink;
import io.kairos.models.uplift.DecisionLogSource;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.offer.DecisionRecord;
import io.kairos.shopper.ShopperEvent.HoldoutAssigned;
import io.kairos.shopper.ShopperEvent.OfferIssued;
import io.kairos.shopper.ShopperEvent.OutcomeRecorded;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The engine's own decision log, read from the shopper journal, as uplift training data ({@link DecisionLogSource} of
 * the models module): every {@code OfferIssued} is a treated row with the offer's features and the propensity it was
 * issued with, every {@code HoldoutAssigned} a control row with the holdout share as its propensity, and the
 * {@code OutcomeRecorded} events of a decision (the orders inside its outcome window, net of cancellations and refunds)
 * say whether it converted and for how much.
 *
 * <p>Only decisions whose outcome window has closed (decided before {@code now − outcome-window}) are returned, so
 * {@code converted} is final. The treated row's propensity is P(not held out) × P(the policy chose this offer). The
 * shopper features are those the decision recorded, so training sees exactly what serving saw. Reads the journal's
 * events by tag (every shopper tag) from {@code from}; the whole window is held in memory while it is joined, so train
 * on windows of a size that fits (a day of decisions per call, say).
 */
public final class JournalDecisionLog implements DecisionLogSource {
    private final ActorSystem<?> system;
    private final CurrentEventsByTagQuery journal;
    private final List<String> tags;
    private final Function<Instant, Offset> offsetAt;
    private final Duration outcomeWindow;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param offsetAt the journal's offset for a time (Cassandra: {@code Offset.timeBasedUUID(timeBasedUUIDFrom(t))})
     */
    public JournalDecisionLog(
            ActorSystem<?> system,
            CurrentEventsByTagQuery journal,
            List<String> tags,
            Function<Instant, Offset> offsetAt,
            Duration outcomeWindow,
            Clock clock,
            Duration timeout) {
        this.system = system;
        this.journal = journal;
        this.tags = List.copyOf(tags);
        this.offsetAt = offsetAt;
        this.outcomeWindow = outcomeWindow;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public Stream<LoggedDecision> decisions(Instant from, Instant to) {
        var closedBefore = clock.instant().minus(outcomeWindow);
        var end = to.isBefore(closedBefore) ? to : closedBefore;
        var issued = new LinkedHashMap<String, Row>();
        Map<String, Map<String, BigDecimal>> orders = new HashMap<>();
        for (var tag : tags) {
            for (var envelope : read(tag, from)) {
                var event = envelope.event();
                if (event instanceof OfferIssued e) {
                    var d = e.decision();
                    if (inWindow(d, from, end)) issued.put(d.decisionId(), new Row(d, false));
                } else if (event instanceof HoldoutAssigned e) {
                    var d = e.decision();
                    if (inWindow(d, from, end)) issued.put(d.decisionId(), new Row(d, true));
                } else if (event instanceof OutcomeRecorded e) {
                    orders.computeIfAbsent(e.decisionId(), k -> new HashMap<>()).put(e.orderId(), e.netAmount());
                }
            }
        }
        var out = new ArrayList<LoggedDecision>();
        for (var row : issued.values()) {
            var net = orders.getOrDefault(row.record().decisionId(), Map.of());
            boolean converted = net.values().stream().anyMatch(a -> a.signum() > 0);
            double value = net.values().stream().map(BigDecimal::doubleValue).reduce(0.0, Double::sum);
            out.add(logged(row, converted, converted ? value : Double.NaN));
        }
        out.sort(Comparator.comparing(LoggedDecision::decidedAt).thenComparing(LoggedDecision::decisionId));
        return out.stream();
    }

    private record Row(DecisionRecord record, boolean holdout) {}

    private static boolean inWindow(DecisionRecord d, Instant from, Instant end) {
        return !d.decidedAt().isBefore(from) && d.decidedAt().isBefore(end);
    }

    private static LoggedDecision logged(Row row, boolean converted, double value) {
        var d = row.record();
        if (row.holdout()) {
            return new LoggedDecision(
                    d.decisionId(),
                    d.decidedAt(),
                    d.inputs().features().asMap(),
                    Map.of(),
                    true,
                    d.propensity(),
                    converted,
                    value);
        }
        var chosen = d.chosen();
        double propensity = (1 - chosen.holdoutShare()) * d.propensity();
        return new LoggedDecision(
                d.decisionId(),
                d.decidedAt(),
                d.inputs().features().asMap(),
                chosen.offerFeatures().asMap(),
                false,
                propensity,
                converted,
                value);
    }

    private List<EventEnvelope> read(String tag, Instant from) {
        try {
            return journal.currentEventsByTag(tag, offsetAt.apply(from))
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the decision log (tag " + tag + ") failed", e);
        }
    }
}

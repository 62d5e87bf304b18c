package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.stream.javadsl.Sink;
import io.kairos.models.uplift.DecisionLogSource;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.DecisionRecord.CandidateScore;
import io.kairos.shopper.ShopperEvent.HoldoutAssigned;
import io.kairos.shopper.ShopperEvent.NoOfferDecided;
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
import java.util.concurrent.CompletableFuture;
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
 * shopper features are those the decision recorded, so training sees exactly what serving saw. Each row carries its
 * shopper and the offer's economics as the decision priced them (for a holdout: the campaign's offer as another
 * decision in the window scored it), for off-policy evaluation; a holdout whose campaign was never scored in the window
 * has none. Reads the journal's events by tag (every shopper tag) from {@code from}; the window's decisions and
 * outcomes (no other events) are held in memory while they are joined, so the lookback must fit (about 2 KB per
 * decision).
 */
public final class JournalDecisionLog implements DecisionLogSource {
    private final ActorSystem<?> system;
    private final CurrentEventsByTagQuery journal;
    private final List<String> tags;
    private final Function<Instant, Offset> offsetAt;
    private final Duration outcomeWindow;
    private final Clock clock;
    private final Duration timeout;
    private final boolean withNoOffer;
    private final int readRate;

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
        this(system, journal, tags, offsetAt, outcomeWindow, clock, timeout, false, 0);
    }

    private JournalDecisionLog(
            ActorSystem<?> system,
            CurrentEventsByTagQuery journal,
            List<String> tags,
            Function<Instant, Offset> offsetAt,
            Duration outcomeWindow,
            Clock clock,
            Duration timeout,
            boolean withNoOffer,
            int readRate) {
        this.withNoOffer = withNoOffer;
        this.readRate = readRate;
        this.system = system;
        this.journal = journal;
        this.tags = List.copyOf(tags);
        this.offsetAt = offsetAt;
        this.outcomeWindow = outcomeWindow;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * This log with the decisions that issued nothing and held nobody out as rows too (no offer, not held out, no
     * action): every opportunity the engine had, as a forecast's population needs; never training rows.
     */
    public JournalDecisionLog withNoOfferDecisions() {
        return new JournalDecisionLog(system, journal, tags, offsetAt, outcomeWindow, clock, timeout, true, readRate);
    }

    /**
     * This log read at most {@code eventsPerSecond} journal events a second, one tag after another (0: every tag at
     * once, unthrottled): background work that must not take the serving cores in a burst.
     */
    public JournalDecisionLog withReadRate(int eventsPerSecond) {
        return new JournalDecisionLog(
                system, journal, tags, offsetAt, outcomeWindow, clock, timeout, withNoOffer, eventsPerSecond);
    }

    @Override
    public Stream<LoggedDecision> decisions(Instant from, Instant to) {
        var closedBefore = clock.instant().minus(outcomeWindow);
        var end = to.isBefore(closedBefore) ? to : closedBefore;
        var issued = new LinkedHashMap<String, Row>();
        Map<String, Map<String, BigDecimal>> orders = new HashMap<>();
        var offersByCampaign = new HashMap<String, CandidateScore>();
        var placed = new HashMap<String, Map<String, Placed>>(); // shopper → order id → the order, for no-offer rows
        // unthrottled, every tag's query at once (each waits on Cassandra, bucket by bucket); throttled, one after
        // another; then joined in one pass
        var reads =
                readRate > 0 ? null : tags.stream().map(tag -> read(tag, from)).toList();
        for (int t = 0; t < tags.size(); t++) {
            var read = reads == null ? read(tags.get(t), from) : reads.get(t);
            for (var envelope : await(tags.get(t), read)) {
                var event = envelope.event();
                if (event instanceof OfferIssued e) {
                    var d = e.decision();
                    remember(d, offersByCampaign);
                    if (inWindow(d, from, end)) issued.put(d.decisionId(), new Row(d, false, false));
                } else if (event instanceof NoOfferDecided e) {
                    var d = e.decision();
                    remember(d, offersByCampaign);
                    if (withNoOffer && inWindow(d, from, end)) issued.put(d.decisionId(), new Row(d, false, true));
                } else if (event instanceof HoldoutAssigned e) {
                    var d = e.decision();
                    if (inWindow(d, from, end)) issued.put(d.decisionId(), new Row(d, true, false));
                } else if (event instanceof OutcomeRecorded e) {
                    orders.computeIfAbsent(e.decisionId(), k -> new HashMap<>()).put(e.orderId(), e.netAmount());
                } else if (withNoOffer) {
                    Placed.collect(envelope, placed);
                }
            }
        }
        var out = new ArrayList<LoggedDecision>();
        for (var row : issued.values()) {
            var net = row.noOffer()
                    ? Placed.within(placed, row.record(), outcomeWindow)
                    : orders.getOrDefault(row.record().decisionId(), Map.<String, BigDecimal>of());
            boolean converted = net.values().stream().anyMatch(a -> a.signum() > 0);
            double value = net.values().stream().map(BigDecimal::doubleValue).reduce(0.0, Double::sum);
            out.add(logged(row, converted, converted ? value : Double.NaN, offersByCampaign));
        }
        out.sort(Comparator.comparing(LoggedDecision::decidedAt).thenComparing(LoggedDecision::decisionId));
        return out.stream();
    }

    private record Row(DecisionRecord record, boolean holdout, boolean noOffer) {}

    private static boolean inWindow(DecisionRecord d, Instant from, Instant end) {
        return !d.decidedAt().isBefore(from) && d.decidedAt().isBefore(end);
    }

    private static void remember(DecisionRecord d, Map<String, CandidateScore> offersByCampaign) {
        for (var c : d.scoring().candidates()) offersByCampaign.putIfAbsent(c.campaignId(), c);
    }

    private static LoggedDecision.Action action(CandidateScore c) {
        if (c == null || c.value() == null || c.offerFeatures() == null) return null;
        var v = c.value();
        if (v.objective() == null
                || v.expectedOrderValue() == null
                || v.expectedDiscount() == null
                || v.messageCost() == null) return null;
        return new LoggedDecision.Action(
                c.campaignId(),
                c.offerFeatures().asMap(),
                v.objective(),
                v.marginRate(),
                v.expectedOrderValue().doubleValue(),
                v.expectedDiscount().doubleValue(),
                v.messageCost().doubleValue());
    }

    private static LoggedDecision logged(
            Row row, boolean converted, double value, Map<String, CandidateScore> offersByCampaign) {
        var d = row.record();
        if (row.noOffer())
            return new LoggedDecision(
                    d.decisionId(),
                    d.decidedAt(),
                    d.inputs().features().asMap(),
                    Map.of(),
                    false,
                    d.propensity(),
                    converted,
                    value,
                    d.shopperId(),
                    action(bestRanked(d)),
                    scoredBy(d),
                    d.scoring().arm());
        // a holdout withheld its campaign's offer (priced as another decision scored it); a treated row issued its own
        var offer = row.holdout() ? offersByCampaign.get(d.chosenCampaignId()) : d.chosen();
        double propensity = row.holdout() ? d.propensity() : (1 - offer.holdoutShare()) * d.propensity();
        return new LoggedDecision(
                d.decisionId(),
                d.decidedAt(),
                d.inputs().features().asMap(),
                row.holdout() ? Map.of() : offer.offerFeatures().asMap(),
                row.holdout(),
                propensity,
                converted,
                value,
                d.shopperId(),
                action(offer),
                scoredBy(d),
                d.scoring().arm());
    }

    /** The candidate a decision for no offer ranked first: its economics value what the shop earned untreated. */
    private static CandidateScore bestRanked(DecisionRecord d) {
        return d.scoring().candidates().stream()
                .filter(c -> c.value() != null && c.value().expected() != null)
                .max(Comparator.comparing(c -> c.value().expected()))
                .orElse(null);
    }

    /** {@code name@version} of what scored a decision; null for a holdout (not scored). */
    private static String scoredBy(DecisionRecord d) {
        var model = d.scoring().model();
        if (model == null || "none".equals(d.scoring().source())) return null;
        return model.name() + "@" + model.version();
    }

    private CompletableFuture<List<EventEnvelope>> read(String tag, Instant from) {
        var events = journal.currentEventsByTag(tag, offsetAt.apply(from));
        if (readRate > 0) events = events.throttle(readRate, Duration.ofSeconds(1));
        return events.filter(e -> e.event() instanceof OfferIssued
                        || e.event() instanceof NoOfferDecided
                        || e.event() instanceof HoldoutAssigned
                        || e.event() instanceof OutcomeRecorded
                        || (withNoOffer && Placed.isOrder(e.event())))
                .runWith(Sink.seq(), system)
                .toCompletableFuture();
    }

    private List<EventEnvelope> await(String tag, CompletableFuture<List<EventEnvelope>> read) {
        try {
            return read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the decision log (tag " + tag + ") failed", e);
        }
    }
}

package io.kairos.pricing;

import io.kairos.pricing.SkuPricingEntity.Configured;
import io.kairos.pricing.SkuPricingEntity.DemandRecorded;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import io.kairos.pricing.SkuPricingEntity.PriceHeld;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of a SKU's pricing entity. Two stages: {@link Unconfigured} (nothing but a configuration is accepted) and
 * {@link Priced} (a legal price is in force).
 *
 * <p>Invariants of {@link Priced}: the quote's price lies in the legal range of the config; the history is ordered by
 * {@code validFrom} and its last point is the quote; {@code lastDecisionAt} is the time of the last repricing decision
 * (changed or held), from which the cadence is counted.
 */
public sealed interface SkuPricingState extends CborSerializable {

    /** The state after {@code event}; {@code settings} bound the history and demand the state keeps. */
    SkuPricingState apply(SkuPricingEntity.Event event, PricingSettings settings);

    /** A SKU that was never configured. */
    record Unconfigured() implements SkuPricingState {

        @Override
        public SkuPricingState apply(SkuPricingEntity.Event event, PricingSettings settings) {
            return event instanceof Configured e ? configured(e, settings) : this;
        }

        /**
         * The state between the two events of a first configuration (Configured, then PriceChanged INITIAL, persisted
         * atomically): the legalised list price is already in force; the INITIAL change adds its decision and history.
         */
        Priced configured(Configured e, PricingSettings settings) {
            var price = Guardrails.legalise(e.config().listPrice(), e.config()).price();
            var quote = new PriceQuote(
                    e.sku(),
                    price,
                    e.config().listPrice(),
                    e.config().currency(),
                    e.at(),
                    price,
                    e.config().policy(),
                    "",
                    0,
                    e.config().unitCost(),
                    Guardrails.marginFloor(e.config()));
            var demand = DemandBook.empty(RecentIds.empty(settings.dedupGenerationSize(), settings.dedupGenerations()));
            return new Priced(
                    e.sku(),
                    e.config(),
                    quote,
                    e.at(),
                    List.of(),
                    false,
                    List.of(),
                    demand,
                    QTable.EMPTY,
                    Optional.empty());
        }
    }

    /**
     * A configured SKU with its price, history, recent decisions and demand data.
     *
     * @param historyTruncated whether points older than the first one kept were dropped
     * @param decisions the last decisions in full, oldest first
     * @param lastQStep the last Q-learning step, whose reward the next decision observes
     */
    record Priced(
            String sku,
            SkuConfig config,
            PriceQuote quote,
            Instant lastDecisionAt,
            List<PricePoint> history,
            boolean historyTruncated,
            List<PriceDecision> decisions,
            DemandBook demand,
            QTable qTable,
            Optional<PriceDecision.QLearningStep> lastQStep)
            implements SkuPricingState {

        public Priced {
            history = List.copyOf(history);
            decisions = List.copyOf(decisions);
        }

        @Override
        public SkuPricingState apply(SkuPricingEntity.Event event, PricingSettings settings) {
            if (event instanceof Configured e) return withConfig(e);
            if (event instanceof PriceChanged e) return withPriceChanged(e, settings);
            if (event instanceof PriceHeld e) return withPriceHeld(e, settings);
            if (event instanceof DemandRecorded e) return withDemand(e);
            throw new IllegalStateException(
                    "unhandled event " + event.getClass().getName());
        }

        public BigDecimal price() {
            return quote.price();
        }

        public boolean due(Instant now) {
            return !now.isBefore(lastDecisionAt.plus(config.repriceEvery()));
        }

        /** The price in force at {@code t}, unless {@code t} is before the first price kept. */
        public Optional<BigDecimal> priceAt(Instant t) {
            BigDecimal found = null;
            for (var p : history) {
                if (p.validFrom().isAfter(t)) break;
                found = p.price();
            }
            return Optional.ofNullable(found);
        }

        /**
         * Whether {@code t} is before the SKU's first price and the history kept still reaches back to it: demand then
         * predates the SKU's configuration.
         */
        public boolean beforeFirstPrice(Instant t) {
            return !historyTruncated
                    && !history.isEmpty()
                    && t.isBefore(history.get(0).validFrom());
        }

        /**
         * The list price at the currency's precision: what the SKU sold at before it was configured (the catalogue's
         * price, which the operator's list price stands for).
         */
        public BigDecimal listPrice() {
            return config.listPrice().setScale(config.scale(), RoundingMode.HALF_EVEN);
        }

        /** The lowest price in force at any moment of the 30 days before {@code t} (the EU prior-price rule). */
        public BigDecimal lowestPrice30dBefore(Instant t) {
            Instant from = t.minus(Duration.ofDays(30));
            BigDecimal lowest = null;
            for (int i = 0; i < history.size(); i++) {
                var p = history.get(i);
                if (!p.validFrom().isBefore(t)) break;
                Instant until = i + 1 < history.size() ? history.get(i + 1).validFrom() : t;
                if (until.isAfter(from) && (lowest == null || p.price().compareTo(lowest) < 0)) lowest = p.price();
            }
            return lowest == null ? quote.price() : lowest;
        }

        /**
         * The points in force at some moment of {@code [from, to]}, and whether the history kept reaches back to from.
         */
        public List<PricePoint> historyBetween(Instant from, Instant to) {
            var out = new ArrayList<PricePoint>();
            for (int i = 0; i < history.size(); i++) {
                var p = history.get(i);
                if (p.validFrom().isAfter(to)) break;
                boolean supersededBeforeFrom = i + 1 < history.size()
                        && !history.get(i + 1).validFrom().isAfter(from);
                if (!supersededBeforeFrom) out.add(p);
            }
            return out;
        }

        public boolean historyCovers(Instant from) {
            return !historyTruncated
                    || (!history.isEmpty() && !history.get(0).validFrom().isAfter(from));
        }

        public Optional<PriceDecision> decision(String decisionId) {
            return decisions.stream()
                    .filter(d -> d.decisionId().equals(decisionId))
                    .findFirst();
        }

        Priced withConfig(Configured e) {
            return new Priced(
                    sku,
                    e.config(),
                    quote.withConfig(e.config()),
                    lastDecisionAt,
                    history,
                    historyTruncated,
                    decisions,
                    demand,
                    qTable,
                    lastQStep);
        }

        Priced withPriceChanged(PriceChanged e, PricingSettings settings) {
            var d = e.decision();
            var nextQuote = quote.withPrice(e.price(), e.validFrom(), e.lowestPrice30d(), d.decisionId());
            var point = new PricePoint(e.validFrom(), e.price(), d.policy(), d.reason(), d.boundBy(), d.decisionId());
            var appended = new ArrayList<>(history);
            appended.add(point);
            var kept = retain(appended, e.validFrom(), settings);
            boolean truncated = historyTruncated || kept.size() < appended.size();
            var base = new Priced(
                    sku,
                    config,
                    nextQuote,
                    lastDecisionAt,
                    kept,
                    truncated,
                    keepLast(decisions, d, settings.decisionsRetained()),
                    demand,
                    qTable,
                    lastQStep);
            // A config correction is not a repricing: it neither restarts the cadence nor closes a demand period.
            return d.reason() == PriceDecision.Reason.CONFIG ? base : base.afterDecision(d);
        }

        Priced withPriceHeld(PriceHeld e, PricingSettings settings) {
            var d = e.decision();
            return new Priced(
                            sku,
                            config,
                            quote,
                            lastDecisionAt,
                            history,
                            historyTruncated,
                            keepLast(decisions, d, settings.decisionsRetained()),
                            demand,
                            qTable,
                            lastQStep)
                    .afterDecision(d);
        }

        private Priced afterDecision(PriceDecision d) {
            double alpha = 1
                    - Math.exp(-(double) config.repriceEvery().toMillis()
                            / Duration.ofHours(48).toMillis());
            var q = d.qLearning();
            return new Priced(
                    sku,
                    config,
                    quote,
                    d.at(),
                    history,
                    historyTruncated,
                    decisions,
                    d.reason() == PriceDecision.Reason.INITIAL ? demand : demand.withPeriodClosed(alpha),
                    q.map(step -> qTable.withRows(step.rows())).orElse(qTable),
                    q);
        }

        /** Demand recorded; what happened before the configuration does not count down the stock configured since. */
        Priced withDemand(DemandRecorded e) {
            long sold = e.observations().stream()
                    .mapToLong(DemandBook.Recorded::units)
                    .sum();
            var remaining = config.inventory().map(i -> Math.max(0, i - sold));
            return new Priced(
                    sku,
                    config.withInventory(remaining),
                    quote,
                    lastDecisionAt,
                    history,
                    historyTruncated,
                    decisions,
                    demand.withRecorded(e.observations()).withEarlier(e.earlier()),
                    qTable,
                    lastQStep);
        }

        /** Drops points older than the retention, except the one in force at the cutoff, and beyond the max count. */
        private static List<PricePoint> retain(List<PricePoint> points, Instant latest, PricingSettings settings) {
            Instant cutoff = latest.minus(settings.historyRetention());
            int first = 0;
            while (first + 1 < points.size()
                    && !points.get(first + 1).validFrom().isAfter(cutoff)) first++;
            first = Math.max(first, points.size() - settings.historyMaxEntries());
            return first == 0 ? points : points.subList(first, points.size());
        }

        private static List<PriceDecision> keepLast(List<PriceDecision> decisions, PriceDecision d, int max) {
            var next = new ArrayList<>(decisions);
            next.add(d);
            return next.size() > max ? next.subList(next.size() - max, next.size()) : next;
        }
    }
}

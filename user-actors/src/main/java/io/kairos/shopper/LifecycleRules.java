package io.kairos.shopper;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The configured rules that place a shopper in a lifecycle stage at a given instant. A pure function of the shopper's
 * activity and order book: the entity calls it in command handlers and records any change as a {@code LifecycleChanged}
 * event, so replay never depends on these rules (which may change between releases).
 *
 * <ul>
 *   <li>no event for {@code churnedAfter} → churned; for {@code dormantAfter} → dormant;
 *   <li>otherwise no (net) order → new;
 *   <li>one order → active, or declining when the last order is older than {@code activeWindow};
 *   <li>two or more → repeat, or declining when the time since the last order exceeds max({@code decliningMin},
 *       {@code decliningFactor} × the shopper's mean gap between orders).
 * </ul>
 *
 * With a promoted lifecycle model ({@link LifecycleModel}, BG/NBD), repeat buyers (two or more orders) become dormant
 * when their P(alive) falls below {@code modelDormantBelow} and churned below {@code modelChurnedBelow}, from the
 * instant it does, provided they did nothing at all since then (any later event means they are still around); the
 * inactivity thresholds stay as a backstop for everyone. The transitions stay events either way, with the model version
 * in their reason.
 */
public record LifecycleRules(
        Duration dormantAfter,
        Duration churnedAfter,
        Duration activeWindow,
        double decliningFactor,
        Duration decliningMin,
        double modelDormantBelow,
        double modelChurnedBelow) {

    public LifecycleRules {
        if (churnedAfter.compareTo(dormantAfter) <= 0)
            throw new IllegalArgumentException("churned-after must exceed dormant-after");
        if (decliningFactor <= 1.0) throw new IllegalArgumentException("declining-factor must exceed 1");
        if (!(modelChurnedBelow > 0 && modelChurnedBelow < modelDormantBelow && modelDormantBelow < 1)) {
            throw new IllegalArgumentException("model thresholds must satisfy 0 < churned-below < dormant-below < 1");
        }
    }

    /** The rules without model thresholds' defaults spelled out: dormant below P(alive) 0.5, churned below 0.2. */
    public LifecycleRules(
            Duration dormantAfter,
            Duration churnedAfter,
            Duration activeWindow,
            double decliningFactor,
            Duration decliningMin) {
        this(dormantAfter, churnedAfter, activeWindow, decliningFactor, decliningMin, 0.5, 0.2);
    }

    /** A stage and the instant from which the rules place the shopper in it, with the rule that did. */
    public record Placement(LifecycleStage stage, Instant effectiveAt, String reason) {}

    public Placement place(Instant lastEventAt, OrderBook book, Instant now) {
        return place(lastEventAt, book, now, Optional.empty());
    }

    /** The placement with the lifecycle model, if one is promoted (see the class comment). */
    public Placement place(Instant lastEventAt, OrderBook book, Instant now, Optional<LifecycleModel> model) {
        if (model.isPresent() && lastEventAt != null) {
            var m = model.get();
            var churned =
                    m.fallsBelow(modelChurnedBelow, book).filter(at -> !at.isBefore(lastEventAt) && !now.isBefore(at));
            if (churned.isPresent()) {
                return new Placement(
                        LifecycleStage.CHURNED,
                        churned.get(),
                        "P(alive) below " + modelChurnedBelow + " (lifecycle model " + m.version() + ")");
            }
            var dormant =
                    m.fallsBelow(modelDormantBelow, book).filter(at -> !at.isBefore(lastEventAt) && !now.isBefore(at));
            var byRules = placeByRules(lastEventAt, book, now);
            if (dormant.isPresent() && byRules.stage() != LifecycleStage.CHURNED) {
                return new Placement(
                        LifecycleStage.DORMANT,
                        dormant.get(),
                        "P(alive) below " + modelDormantBelow + " (lifecycle model " + m.version() + ")");
            }
            return byRules;
        }
        return placeByRules(lastEventAt, book, now);
    }

    private Placement placeByRules(Instant lastEventAt, OrderBook book, Instant now) {
        if (lastEventAt == null) return new Placement(LifecycleStage.NEW, now, "no activity yet");
        var churnedAt = lastEventAt.plus(churnedAfter);
        if (!now.isBefore(churnedAt))
            return new Placement(LifecycleStage.CHURNED, churnedAt, "no activity for " + churnedAfter.toDays() + "d");
        var dormantAt = lastEventAt.plus(dormantAfter);
        if (!now.isBefore(dormantAt))
            return new Placement(LifecycleStage.DORMANT, dormantAt, "no activity for " + dormantAfter.toDays() + "d");
        if (book.orders() == 0) return new Placement(LifecycleStage.NEW, lastEventAt, "no orders");
        var last = book.lastOrderAt();
        if (book.orders() == 1) {
            var decliningAt = last.plus(activeWindow);
            return now.isBefore(decliningAt)
                    ? new Placement(LifecycleStage.ACTIVE, last, "first order")
                    : new Placement(
                            LifecycleStage.DECLINING,
                            decliningAt,
                            "no second order within " + activeWindow.toDays() + "d");
        }
        var meanGap = Duration.between(book.firstOrderAt(), last).dividedBy(book.orders() - 1);
        var allowed = Duration.ofMillis((long) (meanGap.toMillis() * decliningFactor));
        if (allowed.compareTo(decliningMin) < 0) allowed = decliningMin;
        var decliningAt = last.plus(allowed);
        return now.isBefore(decliningAt)
                ? new Placement(LifecycleStage.REPEAT, last, book.orders() + " orders")
                : new Placement(
                        LifecycleStage.DECLINING,
                        decliningAt,
                        "no order for " + allowed.toDays() + "d (" + decliningFactor + "× mean gap of "
                                + meanGap.toDays() + "d)");
    }

    /** The transition due at {@code now}, if the rules place the shopper elsewhere than {@code current}. */
    public Optional<Placement> transition(LifecycleStage current, Instant lastEventAt, OrderBook book, Instant now) {
        return transition(current, lastEventAt, book, now, Optional.empty());
    }

    public Optional<Placement> transition(
            LifecycleStage current, Instant lastEventAt, OrderBook book, Instant now, Optional<LifecycleModel> model) {
        var p = place(lastEventAt, book, now, model);
        return p.stage() == current ? Optional.empty() : Optional.of(p);
    }
}

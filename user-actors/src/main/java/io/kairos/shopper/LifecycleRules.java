package io.kairos.shopper;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The configured rules that place a shopper in a lifecycle stage at a given instant. A pure function of the
 * shopper's activity and order book: the entity calls it in command handlers and records any change as a
 * {@code LifecycleChanged} event, so replay never depends on these rules (which may change between releases).
 *
 * <ul>
 *   <li>no event for {@code churnedAfter} → churned; for {@code dormantAfter} → dormant;
 *   <li>otherwise no (net) order → new;
 *   <li>one order → active, or declining when the last order is older than {@code activeWindow};
 *   <li>two or more → repeat, or declining when the time since the last order exceeds
 *       max({@code decliningMin}, {@code decliningFactor} × the shopper's mean gap between orders).
 * </ul>
 * A later model (BG/NBD P(alive)) can replace the inactivity thresholds; the transitions stay events either way.
 */
public record LifecycleRules(
    Duration dormantAfter, Duration churnedAfter, Duration activeWindow, double decliningFactor, Duration decliningMin) {

  public LifecycleRules {
    if (churnedAfter.compareTo(dormantAfter) <= 0) throw new IllegalArgumentException("churned-after must exceed dormant-after");
    if (decliningFactor <= 1.0) throw new IllegalArgumentException("declining-factor must exceed 1");
  }

  /** A stage and the instant from which the rules place the shopper in it, with the rule that did. */
  public record Placement(LifecycleStage stage, Instant effectiveAt, String reason) {}

  public Placement place(Instant lastEventAt, OrderBook book, Instant now) {
    if (lastEventAt == null) return new Placement(LifecycleStage.NEW, now, "no activity yet");
    var churnedAt = lastEventAt.plus(churnedAfter);
    if (!now.isBefore(churnedAt)) return new Placement(LifecycleStage.CHURNED, churnedAt, "no activity for " + churnedAfter.toDays() + "d");
    var dormantAt = lastEventAt.plus(dormantAfter);
    if (!now.isBefore(dormantAt)) return new Placement(LifecycleStage.DORMANT, dormantAt, "no activity for " + dormantAfter.toDays() + "d");
    if (book.orders() == 0) return new Placement(LifecycleStage.NEW, lastEventAt, "no orders");
    var last = book.lastOrderAt();
    if (book.orders() == 1) {
      var decliningAt = last.plus(activeWindow);
      return now.isBefore(decliningAt)
          ? new Placement(LifecycleStage.ACTIVE, last, "first order")
          : new Placement(LifecycleStage.DECLINING, decliningAt, "no second order within " + activeWindow.toDays() + "d");
    }
    var meanGap = Duration.between(book.firstOrderAt(), last).dividedBy(book.orders() - 1);
    var allowed = Duration.ofMillis((long) (meanGap.toMillis() * decliningFactor));
    if (allowed.compareTo(decliningMin) < 0) allowed = decliningMin;
    var decliningAt = last.plus(allowed);
    return now.isBefore(decliningAt)
        ? new Placement(LifecycleStage.REPEAT, last, book.orders() + " orders")
        : new Placement(LifecycleStage.DECLINING, decliningAt,
            "no order for " + allowed.toDays() + "d (" + decliningFactor + "× mean gap of " + meanGap.toDays() + "d)");
  }

  /** The transition due at {@code now}, if the rules place the shopper elsewhere than {@code current}. */
  public Optional<Placement> transition(LifecycleStage current, Instant lastEventAt, OrderBook book, Instant now) {
    var p = place(lastEventAt, book, now);
    return p.stage() == current ? Optional.empty() : Optional.of(p);
  }
}

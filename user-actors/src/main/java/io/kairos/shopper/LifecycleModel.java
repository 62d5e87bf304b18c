package io.kairos.shopper;

import io.kairos.models.lifecycle.BgNbdModel;
import java.time.Duration;
import java.time.Instant;

/**
 * The promoted BG/NBD lifecycle model as the shopper actor uses it: the fitted parameters, the time unit they were
 * fitted in (CDNOW's summary is in weeks: 7 days) and the registry version, for the record.
 *
 * <p>BG/NBD describes customers from their first purchase on, so a person with no order has no P(alive). Invariant:
 * {@code timeUnit} is positive.
 */
public record LifecycleModel(BgNbdModel model, Duration timeUnit, String version) {
    public LifecycleModel {
        if (timeUnit.isNegative() || timeUnit.isZero()) throw new IllegalArgumentException("timeUnit must be positive");
    }

    /**
     * P(alive) at {@code now} of a person with these orders: x = repeat purchases (orders − 1), t_x = last order −
     * first order, T = now − first order, in the model's time unit. Null without orders.
     */
    public Double pAlive(OrderBook book, Instant now) {
        if (book.orders() <= 0 || book.firstOrderAt() == null || book.lastOrderAt() == null) return null;
        double x = book.orders() - 1;
        double tx = units(Duration.between(book.firstOrderAt(), book.lastOrderAt()));
        double age = Math.max(tx, units(Duration.between(book.firstOrderAt(), now)));
        return model.pAlive(x, tx, age);
    }

    private double units(Duration d) {
        return Math.max(0, d.toMillis()) / (double) timeUnit.toMillis();
    }

    /**
     * When P(alive) of a person with these orders falls to {@code p}: BG/NBD's P(alive) only decreases with T after the
     * last purchase, and inverting its closed form gives T = (α + t_x)·exp((ln(1/p − 1) − ln a + ln(b + x − 1)) / (r +
     * x)) − α. Empty with fewer than two orders (the model holds a shopper without repeat purchases alive). An instant
     * before the last order means P(alive) was already below {@code p} right after it: the last order is returned.
     */
    public java.util.Optional<Instant> fallsBelow(double p, OrderBook book) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("p must be in (0, 1)");
        if (book.orders() < 2 || book.firstOrderAt() == null || book.lastOrderAt() == null)
            return java.util.Optional.empty();
        double x = book.orders() - 1;
        double tx = units(Duration.between(book.firstOrderAt(), book.lastOrderAt()));
        double exponent = (Math.log(1 / p - 1) - Math.log(model.a()) + Math.log(model.b() + x - 1)) / (model.r() + x);
        double age = (model.alpha() + tx) * Math.exp(exponent) - model.alpha();
        if (!(age > tx)) return java.util.Optional.of(book.lastOrderAt());
        double millis = age * timeUnit.toMillis();
        if (millis > Duration.ofDays(365L * 200).toMillis()) return java.util.Optional.empty(); // never, in practice
        return java.util.Optional.of(book.firstOrderAt().plusMillis(Math.round(millis)));
    }
}

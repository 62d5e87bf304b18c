package io.kairos.shopper;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A shopper's purchases as RFM needs them: the net number of orders, the net amount spent, the first and last order
 * times, and the most recent orders (bounded) so that cancellations and refunds can be matched to them.
 *
 * <p>Invariants: {@code orders} counts orders that are neither cancelled nor fully refunded; {@code monetary} is the
 * sum of their amounts minus partial refunds; an order id is counted at most once. A cancel or refund for an order that
 * is not among the recent ones (placed before Kairos saw it, or evicted) changes nothing. Immutable.
 */
public record OrderBook(int orders, BigDecimal monetary, Instant firstOrderAt, Instant lastOrderAt, List<Line> recent) {

    public static final OrderBook EMPTY = new OrderBook(0, BigDecimal.ZERO, null, null, List.of());

    /** One order as placed, with what has been refunded of it. */
    public record Line(String orderId, Instant at, BigDecimal amount, BigDecimal refunded, boolean cancelled) {
        public Line {
            // Most orders are never refunded: one shared zero, also for lines read back from a snapshot.
            if (BigDecimal.ZERO.equals(refunded)) refunded = BigDecimal.ZERO;
        }

        boolean counts() {
            return !cancelled && refunded.compareTo(amount) < 0;
        }

        BigDecimal net() {
            return counts() ? amount.subtract(refunded) : BigDecimal.ZERO;
        }
    }

    public OrderBook {
        Objects.requireNonNull(monetary);
        recent = List.copyOf(recent);
        // The first and last order times are usually a recent line's time: the same instance, as placing an order
        // makes them, rather than copies of equal value read back from a snapshot.
        firstOrderAt = sameAsLine(firstOrderAt, recent);
        lastOrderAt = sameAsLine(lastOrderAt, recent);
    }

    private static Instant sameAsLine(Instant at, List<Line> lines) {
        if (at != null) for (var l : lines) if (l.at().equals(at)) return l.at();
        return at;
    }

    private int indexOf(String orderId) {
        for (int i = 0; i < recent.size(); i++) if (recent.get(i).orderId().equals(orderId)) return i;
        return -1;
    }

    public boolean knows(String orderId) {
        return indexOf(orderId) >= 0;
    }

    public OrderBook place(String orderId, Instant at, BigDecimal amount, int capacity) {
        if (knows(orderId)) return this;
        var lines = new ArrayList<>(recent);
        lines.add(new Line(orderId, at, amount, BigDecimal.ZERO, false));
        lines.sort(Comparator.comparing(Line::at).thenComparing(Line::orderId));
        while (lines.size() > capacity) lines.remove(0);
        var first = firstOrderAt == null || at.isBefore(firstOrderAt) ? at : firstOrderAt;
        var last = lastOrderAt == null || at.isAfter(lastOrderAt) ? at : lastOrderAt;
        return new OrderBook(orders + 1, monetary.add(amount), first, last, lines);
    }

    public OrderBook cancel(String orderId) {
        int i = indexOf(orderId);
        if (i < 0) return this;
        var line = recent.get(i);
        return replace(i, new Line(line.orderId(), line.at(), line.amount(), line.refunded(), true));
    }

    public OrderBook refund(String orderId, BigDecimal amount) {
        int i = indexOf(orderId);
        if (i < 0) return this;
        var line = recent.get(i);
        var refunded = line.refunded().add(amount).min(line.amount());
        return replace(i, new Line(line.orderId(), line.at(), line.amount(), refunded, line.cancelled()));
    }

    private OrderBook replace(int i, Line updated) {
        var old = recent.get(i);
        var lines = new ArrayList<>(recent);
        lines.set(i, updated);
        int count = orders - (old.counts() ? 1 : 0) + (updated.counts() ? 1 : 0);
        var money = monetary.subtract(old.net()).add(updated.net());
        Instant first = firstOrderAt;
        Instant last = lastOrderAt;
        if (count == 0) {
            first = null;
            last = null;
        } else if (old.counts() && !updated.counts()) {
            // The order no longer counts: the last/first order times fall back to the remaining recent orders. Orders
            // evicted from the window keep their contribution to the first time, which only ever moves later here.
            var remaining =
                    lines.stream().filter(Line::counts).map(Line::at).sorted().toList();
            if (!remaining.isEmpty()) {
                last = remaining.get(remaining.size() - 1);
                if (count == remaining.size()) first = remaining.get(0);
            }
        }
        return new OrderBook(count, money, first, last, lines);
    }

    /** Another identity's purchases folded in; orders both books know are counted once. */
    public OrderBook merge(OrderBook other, int capacity) {
        var merged = this;
        for (var line : other.recent) {
            if (merged.knows(line.orderId())) continue;
            merged = merged.place(line.orderId(), line.at(), line.amount(), capacity);
            if (line.cancelled()) merged = merged.cancel(line.orderId());
            else if (line.refunded().signum() > 0) merged = merged.refund(line.orderId(), line.refunded());
        }
        // Orders of the other book that fell out of its window still count in its totals.
        int unseenOrders =
                other.orders - (int) other.recent.stream().filter(Line::counts).count();
        var unseenMoney =
                other.monetary.subtract(other.recent.stream().map(Line::net).reduce(BigDecimal.ZERO, BigDecimal::add));
        if (unseenOrders <= 0 && unseenMoney.signum() == 0) return merged;
        var first = min(merged.firstOrderAt, other.firstOrderAt);
        var last = max(merged.lastOrderAt, other.lastOrderAt);
        return new OrderBook(
                merged.orders + Math.max(0, unseenOrders),
                merged.monetary.add(unseenMoney),
                first,
                last,
                merged.recent);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}

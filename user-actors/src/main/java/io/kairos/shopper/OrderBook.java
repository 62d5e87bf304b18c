package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kairos.entity.PackedDecimals;
import io.kairos.serialization.ExplicitProperties;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A shopper's purchases as RFM needs them: the net number of orders, the net amount spent, the first and last order
 * times, and the most recent orders (bounded) so that cancellations and refunds can be matched to them.
 *
 * <p>Invariants: {@code orders} counts orders that are neither cancelled nor fully refunded; {@code monetary} is the
 * sum of their amounts minus partial refunds; an order id is counted at most once. A cancel or refund for an order that
 * is not among the recent ones (placed before Kairos saw it, or evicted) changes nothing. Immutable, with a record's
 * accessors, equality and serialized form; the amount held in a {@code long} ({@link PackedDecimals}).
 */
@ExplicitProperties
@JsonPropertyOrder({"orders", "monetary", "firstOrderAt", "lastOrderAt", "recent"})
public final class OrderBook {

    public static final OrderBook EMPTY = new OrderBook(0, BigDecimal.ZERO, null, null, List.of());

    /**
     * One order as placed, with what has been refunded of it. Immutable, with a record's accessors, equality and
     * serialized form; held compactly (issue 21): the amount in a {@code long} ({@link PackedDecimals}) and an order id
     * of Latin-1 characters as its bytes, without a string around them.
     */
    @ExplicitProperties
    @JsonPropertyOrder({"orderId", "at", "amount", "refunded", "cancelled"})
    public static final class Line {
        private final Object orderId; // its ISO-8859-1 bytes (byte[]) if it has only such characters, else the string
        private final Instant at;
        private final long amount; // PackedDecimals
        private final BigDecimal amountWide; // the amount while it does not fit in a long
        private final BigDecimal refunded;
        private final boolean cancelled;

        @JsonCreator
        public Line(
                @JsonProperty("orderId") String orderId,
                @JsonProperty("at") Instant at,
                @JsonProperty("amount") BigDecimal amount,
                @JsonProperty("refunded") BigDecimal refunded,
                @JsonProperty("cancelled") boolean cancelled) {
            this.orderId = latin1(orderId) ? orderId.getBytes(StandardCharsets.ISO_8859_1) : orderId;
            this.at = at;
            this.amount = PackedDecimals.pack(amount);
            this.amountWide = this.amount == PackedDecimals.WIDE ? amount : null;
            // Most orders are never refunded: one shared zero, also for lines read back from a snapshot.
            this.refunded = BigDecimal.ZERO.equals(refunded) ? BigDecimal.ZERO : refunded;
            this.cancelled = cancelled;
        }

        private static boolean latin1(String s) {
            if (s == null) return false;
            for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0xff) return false;
            return true;
        }

        @JsonProperty("orderId")
        public String orderId() {
            return orderId instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : (String) orderId;
        }

        /** Whether this is order {@code id}, without building the id. */
        boolean hasOrderId(String id) {
            if (!(orderId instanceof byte[] b)) return Objects.equals(orderId, id);
            if (id == null || id.length() != b.length) return false;
            for (int i = 0; i < b.length; i++) if (id.charAt(i) != (b[i] & 0xff)) return false;
            return true;
        }

        @JsonProperty("at")
        public Instant at() {
            return at;
        }

        @JsonProperty("amount")
        public BigDecimal amount() {
            return PackedDecimals.unpack(amount, amountWide);
        }

        @JsonProperty("refunded")
        public BigDecimal refunded() {
            return refunded;
        }

        @JsonProperty("cancelled")
        public boolean cancelled() {
            return cancelled;
        }

        boolean counts() {
            return !cancelled && refunded.compareTo(amount()) < 0;
        }

        BigDecimal net() {
            return counts() ? amount().subtract(refunded) : BigDecimal.ZERO;
        }

        // Equal ids are held alike (Latin-1 ids always as bytes), so they compare without building strings.
        private static boolean sameId(Object a, Object b) {
            return a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : Objects.equals(a, b);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l
                    && amount == l.amount
                    && cancelled == l.cancelled
                    && sameId(orderId, l.orderId)
                    && Objects.equals(at, l.at)
                    && Objects.equals(amountWide, l.amountWide)
                    && Objects.equals(refunded, l.refunded);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    orderId instanceof byte[] bytes ? Arrays.hashCode(bytes) : orderId,
                    at,
                    amount,
                    amountWide,
                    refunded,
                    cancelled);
        }

        @Override
        public String toString() {
            return "Line[orderId=%s, at=%s, amount=%s, refunded=%s, cancelled=%s]"
                    .formatted(orderId(), at, amount(), refunded, cancelled);
        }
    }

    private final int orders;
    private final long monetary; // PackedDecimals
    private final BigDecimal monetaryWide; // the amount while it does not fit in a long
    private final Instant firstOrderAt;
    private final Instant lastOrderAt;
    private final List<Line> recent;

    @JsonCreator
    public OrderBook(
            @JsonProperty("orders") int orders,
            @JsonProperty("monetary") BigDecimal monetary,
            @JsonProperty("firstOrderAt") Instant firstOrderAt,
            @JsonProperty("lastOrderAt") Instant lastOrderAt,
            @JsonProperty("recent") List<Line> recent) {
        Objects.requireNonNull(monetary);
        this.orders = orders;
        this.monetary = PackedDecimals.pack(monetary);
        this.monetaryWide = this.monetary == PackedDecimals.WIDE ? monetary : null;
        this.recent = List.copyOf(recent);
        // The first and last order times are usually a recent line's time: the same instance, as placing an order
        // makes them, rather than copies of equal value read back from a snapshot.
        this.firstOrderAt = sameAsLine(firstOrderAt, this.recent);
        this.lastOrderAt = sameAsLine(lastOrderAt, this.recent);
    }

    /** Orders that are neither cancelled nor fully refunded. */
    @JsonProperty("orders")
    public int orders() {
        return orders;
    }

    /** The sum of the counted orders' amounts minus partial refunds. */
    @JsonProperty("monetary")
    public BigDecimal monetary() {
        return PackedDecimals.unpack(monetary, monetaryWide);
    }

    @JsonProperty("firstOrderAt")
    public Instant firstOrderAt() {
        return firstOrderAt;
    }

    @JsonProperty("lastOrderAt")
    public Instant lastOrderAt() {
        return lastOrderAt;
    }

    @JsonProperty("recent")
    public List<Line> recent() {
        return recent;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderBook b
                && orders == b.orders
                && monetary == b.monetary
                && Objects.equals(monetaryWide, b.monetaryWide)
                && Objects.equals(firstOrderAt, b.firstOrderAt)
                && Objects.equals(lastOrderAt, b.lastOrderAt)
                && recent.equals(b.recent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orders, monetary, monetaryWide, firstOrderAt, lastOrderAt, recent);
    }

    @Override
    public String toString() {
        return "OrderBook[orders=%s, monetary=%s, firstOrderAt=%s, lastOrderAt=%s, recent=%s]"
                .formatted(orders, monetary(), firstOrderAt, lastOrderAt, recent);
    }

    private static Instant sameAsLine(Instant at, List<Line> lines) {
        if (at != null) for (var l : lines) if (l.at().equals(at)) return l.at();
        return at;
    }

    private int indexOf(String orderId) {
        for (int i = 0; i < recent.size(); i++) if (recent.get(i).hasOrderId(orderId)) return i;
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
        return new OrderBook(orders + 1, monetary().add(amount), first, last, lines);
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
        var money = monetary().subtract(old.net()).add(updated.net());
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
        var unseenMoney = other.monetary()
                .subtract(other.recent.stream().map(Line::net).reduce(BigDecimal.ZERO, BigDecimal::add));
        if (unseenOrders <= 0 && unseenMoney.signum() == 0) return merged;
        var first = min(merged.firstOrderAt, other.firstOrderAt);
        var last = max(merged.lastOrderAt, other.lastOrderAt);
        return new OrderBook(
                merged.orders + Math.max(0, unseenOrders),
                merged.monetary().add(unseenMoney),
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

package io.kairos.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A campaign's per-offer budget entries: one per offer that ever reserved, until it is compacted away after it finished
 * (released, or committed and past its expiry). Backed by Scala's persistent hash map (Akka already ships it), so an
 * update copies O(log n) nodes instead of the whole map: the campaign is the single writer of its budget and handles
 * every reservation of the campaign, so each event must stay cheap however many offers are open. Serialized as the list
 * of entries. Immutable.
 */
public final class Ledger {
    public static final Ledger EMPTY = new Ledger(scala.collection.immutable.HashMap$.MODULE$.empty());

    /** Where an offer's money stands. */
    public enum Status {
        RESERVED,
        COMMITTED,
        RELEASED
    }

    /**
     * One offer's budget entry.
     *
     * @param amount what the offer reserves (its coupon's maximum cost)
     * @param orderId the order that redeemed it, while committed
     * @param actual the discount that order took, while committed
     * @param returnedOrders orders whose redemption was returned (so a late duplicate commit of them is refused)
     * @param finishedAt when it was released, or (committed) its expiry; null while reserved
     * @param refunds the partial refunds of the committed order that gave part of {@code actual} back (their ids, so a
     *     duplicate gives nothing back twice); empty in entries written before refunds existed
     */
    public record Entry(
            String offerId,
            BigDecimal amount,
            Instant expiresAt,
            Status status,
            String orderId,
            BigDecimal actual,
            List<String> returnedOrders,
            Instant finishedAt,
            List<String> refunds) {
        public Entry {
            returnedOrders = returnedOrders == null ? List.of() : List.copyOf(returnedOrders);
            refunds = refunds == null ? List.of() : List.copyOf(refunds);
        }

        static Entry reserved(String offerId, BigDecimal amount, Instant expiresAt) {
            return new Entry(offerId, amount, expiresAt, Status.RESERVED, null, null, null, null, null);
        }

        Entry committed(String order, BigDecimal discount) {
            return new Entry(
                    offerId,
                    amount,
                    expiresAt,
                    Status.COMMITTED,
                    order,
                    discount,
                    returnedOrders,
                    expiresAt,
                    List.of());
        }

        Entry released(Instant at) {
            return new Entry(offerId, amount, expiresAt, Status.RELEASED, null, null, returnedOrders, at, List.of());
        }

        Entry returned(boolean reinstated, Instant at) {
            var returned = new ArrayList<>(returnedOrders);
            returned.add(orderId);
            return reinstated
                    ? new Entry(offerId, amount, expiresAt, Status.RESERVED, null, null, returned, null, List.of())
                    : new Entry(offerId, amount, expiresAt, Status.RELEASED, null, null, returned, at, List.of());
        }

        /** Part of the committed discount given back by partial refund {@code refundId}; the entry stays committed. */
        Entry refunded(String refundId, BigDecimal amountBack) {
            var ids = new ArrayList<>(refunds);
            ids.add(refundId);
            return new Entry(
                    offerId,
                    amount,
                    expiresAt,
                    status,
                    orderId,
                    actual.subtract(amountBack),
                    returnedOrders,
                    finishedAt,
                    ids);
        }
    }

    private final scala.collection.immutable.HashMap<String, Entry> entries;

    private Ledger(scala.collection.immutable.HashMap<String, Entry> entries) {
        this.entries = entries;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Ledger of(List<Entry> entries) {
        scala.collection.immutable.HashMap<String, Entry> m = scala.collection.immutable.HashMap$.MODULE$.empty();
        for (var e : entries) m = m.updated(e.offerId(), e);
        return new Ledger(m);
    }

    /** The entries sorted by offer id (stable serialized form). */
    @JsonValue
    public List<Entry> entries() {
        var out = new ArrayList<Entry>(entries.size());
        var it = entries.valuesIterator();
        while (it.hasNext()) out.add(it.next());
        out.sort(Comparator.comparing(Entry::offerId));
        return out;
    }

    public Optional<Entry> get(String offerId) {
        var e = entries.get(offerId);
        return e.isDefined() ? Optional.of(e.get()) : Optional.empty();
    }

    public Ledger with(Entry e) {
        return new Ledger(entries.updated(e.offerId(), e));
    }

    public Ledger without(String offerId) {
        return new Ledger(entries.removed(offerId));
    }

    public int size() {
        return entries.size();
    }

    /** Reserved entries whose expiry is at or before {@code cutoff}, oldest first. */
    public List<Entry> reservedExpiredBy(Instant cutoff, int limit) {
        return entries().stream()
                .filter(e -> e.status() == Status.RESERVED && !e.expiresAt().isAfter(cutoff))
                .sorted(Comparator.comparing(Entry::expiresAt).thenComparing(Entry::offerId))
                .limit(limit)
                .toList();
    }

    /**
     * Without the entries that finished before {@code cutoff} (released) or, committed, expired before
     * {@code committedCutoff} (kept longer so that late refunds still find them): safe to forget.
     */
    public Ledger compactedBefore(Instant cutoff, Instant committedCutoff) {
        var m = entries;
        var it = entries.valuesIterator();
        while (it.hasNext()) {
            var e = it.next();
            var before = e.status() == Status.COMMITTED ? committedCutoff : cutoff;
            if (e.finishedAt() != null && e.finishedAt().isBefore(before)) m = m.removed(e.offerId());
        }
        return new Ledger(m);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ledger l && l.entries.equals(entries);
    }

    @Override
    public String toString() {
        return "Ledger[" + entries.size() + " entries]";
    }
}

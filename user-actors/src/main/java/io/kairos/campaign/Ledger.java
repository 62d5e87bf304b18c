package io.kairos.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import io.kairos.entity.PackedIds;
import io.kairos.serialization.ExplicitProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     * One offer's budget entry: {@code amount}, what the offer reserves (its coupon's maximum cost); {@code orderId},
     * the order that redeemed it, while committed; {@code actual}, the discount that order took, while committed;
     * {@code returnedOrders}, orders whose redemption was returned (so a late duplicate commit of them is refused);
     * {@code finishedAt}, when it was released, or (committed) its expiry, null while reserved; {@code refunds}, the
     * partial refunds of the committed order that gave part of {@code actual} back (their ids, so a duplicate gives
     * nothing back twice), empty in entries written before refunds existed. Immutable, with a record's accessors,
     * equality and serialized form; the expiry is held as two primitives, and the offer id packed when it has the form
     * Kairos issues ({@link PackedOfferId}).
     */
    @ExplicitProperties
    @JsonPropertyOrder({
        "offerId",
        "amount",
        "expiresAt",
        "status",
        "orderId",
        "actual",
        "returnedOrders",
        "finishedAt",
        "refunds"
    })
    public static final class Entry {
        // The ledger's key of the entry: an offer id as Kairos issues them (of-<uuid>) packed, any other the string.
        private final Object key;
        private final BigDecimal amount;
        private final long expiresSecond; // expiresAt as two primitives, without an Instant of its own
        private final int expiresNano; // -1: no expiry
        private final Status status;
        private final String orderId;
        private final BigDecimal actual;
        private final List<String> returnedOrders;
        private final Instant finishedAt;
        private final List<String> refunds;

        @JsonCreator
        public Entry(
                @JsonProperty("offerId") String offerId,
                @JsonProperty("amount") BigDecimal amount,
                @JsonProperty("expiresAt") Instant expiresAt,
                @JsonProperty("status") Status status,
                @JsonProperty("orderId") String orderId,
                @JsonProperty("actual") BigDecimal actual,
                @JsonProperty("returnedOrders") List<String> returnedOrders,
                @JsonProperty("finishedAt") Instant finishedAt,
                @JsonProperty("refunds") List<String> refunds) {
            this(keyOf(offerId), amount, expiresAt, status, orderId, actual, returnedOrders, finishedAt, refunds);
        }

        private Entry(
                Object key,
                BigDecimal amount,
                Instant expiresAt,
                Status status,
                String orderId,
                BigDecimal actual,
                List<String> returnedOrders,
                Instant finishedAt,
                List<String> refunds) {
            this.key = key;
            this.amount = amount;
            this.expiresSecond = expiresAt == null ? 0 : expiresAt.getEpochSecond();
            this.expiresNano = expiresAt == null ? -1 : expiresAt.getNano();
            this.status = status;
            this.orderId = orderId;
            this.actual = actual;
            this.returnedOrders = returnedOrders == null ? List.of() : List.copyOf(returnedOrders);
            this.finishedAt = finishedAt;
            this.refunds = refunds == null ? List.of() : List.copyOf(refunds);
        }

        @JsonProperty("offerId")
        public String offerId() {
            return key instanceof PackedOfferId p ? p.offerId() : (String) key;
        }

        @JsonProperty("amount")
        public BigDecimal amount() {
            return amount;
        }

        @JsonProperty("expiresAt")
        public Instant expiresAt() {
            return expiresNano < 0 ? null : Instant.ofEpochSecond(expiresSecond, expiresNano);
        }

        @JsonProperty("status")
        public Status status() {
            return status;
        }

        @JsonProperty("orderId")
        public String orderId() {
            return orderId;
        }

        @JsonProperty("actual")
        public BigDecimal actual() {
            return actual;
        }

        @JsonProperty("returnedOrders")
        public List<String> returnedOrders() {
            return returnedOrders;
        }

        @JsonProperty("finishedAt")
        public Instant finishedAt() {
            return finishedAt;
        }

        @JsonProperty("refunds")
        public List<String> refunds() {
            return refunds;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e
                    && Objects.equals(key, e.key)
                    && Objects.equals(amount, e.amount)
                    && expiresSecond == e.expiresSecond
                    && expiresNano == e.expiresNano
                    && status == e.status
                    && Objects.equals(orderId, e.orderId)
                    && Objects.equals(actual, e.actual)
                    && returnedOrders.equals(e.returnedOrders)
                    && Objects.equals(finishedAt, e.finishedAt)
                    && refunds.equals(e.refunds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, amount, expiresSecond, expiresNano, status, orderId, actual, finishedAt);
        }

        @Override
        public String toString() {
            return "Entry[offerId=%s, amount=%s, expiresAt=%s, status=%s, orderId=%s, actual=%s, returnedOrders=%s,"
                            .formatted(offerId(), amount, expiresAt(), status, orderId, actual, returnedOrders)
                    + " finishedAt=%s, refunds=%s]".formatted(finishedAt, refunds);
        }

        static Entry reserved(String offerId, BigDecimal amount, Instant expiresAt) {
            return new Entry(offerId, amount, expiresAt, Status.RESERVED, null, null, null, null, null);
        }

        Entry committed(String order, BigDecimal discount) {
            return new Entry(
                    key,
                    amount,
                    expiresAt(),
                    Status.COMMITTED,
                    order,
                    discount,
                    returnedOrders,
                    expiresAt(),
                    List.of());
        }

        Entry released(Instant at) {
            return new Entry(key, amount, expiresAt(), Status.RELEASED, null, null, returnedOrders, at, List.of());
        }

        Entry returned(boolean reinstated, Instant at) {
            var returned = new ArrayList<>(returnedOrders);
            returned.add(orderId);
            return reinstated
                    ? new Entry(key, amount, expiresAt(), Status.RESERVED, null, null, returned, null, List.of())
                    : new Entry(key, amount, expiresAt(), Status.RELEASED, null, null, returned, at, List.of());
        }

        /** Part of the committed discount given back by partial refund {@code refundId}; the entry stays committed. */
        Entry refunded(String refundId, BigDecimal amountBack) {
            var ids = new ArrayList<>(refunds);
            ids.add(refundId);
            return new Entry(
                    key,
                    amount,
                    expiresAt(),
                    status,
                    orderId,
                    actual.subtract(amountBack),
                    returnedOrders,
                    finishedAt,
                    ids);
        }
    }

    /**
     * An offer id as Kairos issues them ({@code of-} and a decision's UUID) in two {@code long}s: a campaign holds an
     * entry per open offer, and the id as a string took 80 bytes of each.
     */
    private record PackedOfferId(long high, long low) {
        String offerId() {
            return OFFER_PREFIX + PackedIds.uuid(high, low);
        }
    }

    private static final String OFFER_PREFIX = "of-";

    /** The map key of an offer id: packed if it has the form Kairos issues, else the id itself. */
    private static Object keyOf(String offerId) {
        if (offerId == null || !offerId.startsWith(OFFER_PREFIX)) return offerId;
        var uuid = offerId.substring(OFFER_PREFIX.length());
        return PackedIds.isUuid(uuid) ? new PackedOfferId(PackedIds.uuidHigh(uuid), PackedIds.uuidLow(uuid)) : offerId;
    }

    private final scala.collection.immutable.HashMap<Object, Entry> entries;

    private Ledger(scala.collection.immutable.HashMap<Object, Entry> entries) {
        this.entries = entries;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Ledger of(List<Entry> entries) {
        scala.collection.immutable.HashMap<Object, Entry> m = scala.collection.immutable.HashMap$.MODULE$.empty();
        for (var e : entries) m = m.updated(e.key, e);
        return new Ledger(m);
    }

    /** The entries sorted by offer id (stable serialized form). */
    @JsonValue
    public List<Entry> entries() {
        return sorted(values(), BY_OFFER_ID);
    }

    private List<Entry> values() {
        var out = new ArrayList<Entry>(entries.size());
        var it = entries.valuesIterator();
        while (it.hasNext()) out.add(it.next());
        return out;
    }

    private static final Comparator<Map.Entry<String, Entry>> BY_OFFER_ID = Map.Entry.comparingByKey();

    /**
     * {@code entries} in {@code order} of their offer ids (and the entries): each offer id is built once, not in every
     * comparison (a packed id is built from its two {@code long}s).
     */
    private static List<Entry> sorted(List<Entry> entries, Comparator<Map.Entry<String, Entry>> order) {
        return entries.stream()
                .map(e -> Map.entry(e.offerId(), e))
                .sorted(order)
                .map(Map.Entry::getValue)
                .toList();
    }

    public Optional<Entry> get(String offerId) {
        var e = entries.get(keyOf(offerId));
        return e.isDefined() ? Optional.of(e.get()) : Optional.empty();
    }

    public Ledger with(Entry e) {
        return new Ledger(entries.updated(e.key, e));
    }

    public Ledger without(String offerId) {
        return new Ledger(entries.removed(keyOf(offerId)));
    }

    public int size() {
        return entries.size();
    }

    /** Reserved entries whose expiry is at or before {@code cutoff}, oldest first. */
    public List<Entry> reservedExpiredBy(Instant cutoff, int limit) {
        var expired = values().stream()
                .filter(e -> e.status() == Status.RESERVED && !e.expiresAt().isAfter(cutoff))
                .toList();
        Comparator<Map.Entry<String, Entry>> byExpiry = Comparator.<Map.Entry<String, Entry>>comparingLong(
                        e -> e.getValue().expiresSecond)
                .thenComparingInt(e -> e.getValue().expiresNano);
        return sorted(expired, byExpiry.thenComparing(BY_OFFER_ID)).stream()
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
            if (e.finishedAt() != null && e.finishedAt().isBefore(before)) m = m.removed(e.key);
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

package io.kairos.offer;

import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.Checkout.PricedLine;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A person's side of offers: the wallet, the contact log that caps count against, holdout assignments, recent order
 * results (for idempotent orders), decisions still inside their outcome window, the decision triggers waiting to fire,
 * and the answers to recent decide requests with an idempotency key. Immutable; every method returns a new book.
 *
 * <p>Bounds, so a person's state does not grow with their history: offers are kept until {@value #FINISHED_DAYS} days
 * after their expiry and at most {@value #MAX_OFFERS} offers in all (live ones are never dropped); contacts
 * {@value #CONTACT_DAYS} days and at most {@value #MAX_CONTACTS} (so no cap window may exceed {@value #CONTACT_DAYS}
 * days); the last {@value #MAX_ORDERS} order results; exposures until their outcome window closes. Pruning uses the
 * time of the event being applied, so replay prunes exactly as the original run did.
 */
public record OfferBook(
        List<Offer> offers,
        List<Contact> contacts,
        Map<String, String> holdouts,
        List<OrderRecord> orders,
        List<Exposure> exposures,
        Map<String, Trigger> triggers,
        List<Answer> answers)
        implements CborSerializable {

    static final int MAX_OFFERS = 200;
    static final int FINISHED_DAYS = 90;
    static final int MAX_CONTACTS = 500;
    public static final int CONTACT_DAYS = 400;
    public static final int MAX_ORDERS = 100;
    static final int MAX_EXPOSURES = 100;
    static final int MAX_ANSWERS = 50;
    static final int ANSWER_DAYS = 7;

    public static final OfferBook EMPTY =
            new OfferBook(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(), List.of());

    public OfferBook {
        offers = offers == null ? List.of() : List.copyOf(offers);
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
        holdouts = holdouts == null ? Map.of() : Map.copyOf(holdouts);
        orders = orders == null ? List.of() : List.copyOf(orders);
        exposures = exposures == null ? List.of() : List.copyOf(exposures);
        triggers = triggers == null ? Map.of() : Map.copyOf(triggers);
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    /** One offer sent to the person: what contact caps and per-campaign caps count. */
    public record Contact(Instant at, String campaignId, String channel) {
        public Contact { // as in an offer: few values, in every shopper's book, held once
            campaignId = campaignId == null ? null : campaignId.intern();
            channel = channel == null ? null : channel.intern();
        }
    }

    /**
     * One order placed through {@code POST /v1/orders}, as first answered (same order id → same answer), with its
     * refunds (empty in orders recorded before refunds existed).
     */
    public record OrderRecord(
            String orderId,
            Instant placedAt,
            List<PricedLine> lines,
            List<Applied> applied,
            BigDecimal subtotal,
            BigDecimal shippingFee,
            BigDecimal itemDiscount,
            BigDecimal shippingDiscount,
            BigDecimal total,
            Instant cancelledAt,
            List<OrderRefund> refunds) {
        public OrderRecord {
            lines = List.copyOf(lines);
            applied = List.copyOf(applied);
            refunds = refunds == null ? List.of() : List.copyOf(refunds);
        }

        /** Units of {@code sku} ordered. */
        public int orderedQuantity(String sku) {
            return lines.stream()
                    .filter(l -> l.sku().equals(sku))
                    .mapToInt(PricedLine::quantity)
                    .sum();
        }

        /** Units of {@code sku} the order still stands for (ordered less refunded). */
        public int keptQuantity(String sku) {
            int ordered = orderedQuantity(sku);
            int refunded = refunds.stream()
                    .mapToInt(r -> r.quantities().getOrDefault(sku, 0))
                    .sum();
            return ordered - refunded;
        }

        /** What is left of coupon {@code offerId}'s discount after the refunds gave parts of it back. */
        public BigDecimal keptDiscount(String offerId) {
            var given = applied.stream()
                    .filter(a -> a.offerId().equals(offerId))
                    .map(Applied::discount)
                    .findFirst()
                    .orElse(BigDecimal.ZERO);
            for (var r : refunds) given = given.subtract(r.returned().getOrDefault(offerId, BigDecimal.ZERO));
            return given;
        }

        public BigDecimal refundedAmount() {
            return refunds.stream().map(OrderRefund::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public boolean fullyRefunded() {
            return refunds.stream().anyMatch(OrderRefund::full);
        }

        public Optional<OrderRefund> refund(String refundId) {
            return refunds.stream().filter(r -> r.refundId().equals(refundId)).findFirst();
        }

        OrderRecord refunded(OrderRefund refund) {
            var all = new ArrayList<>(refunds);
            all.add(refund);
            return after(cancelledAt, all);
        }

        public boolean cancelled() {
            return cancelledAt != null;
        }

        /** What the items sold for after coupons: the order's revenue for RFM and campaign outcomes. */
        public BigDecimal net() {
            return subtotal.subtract(itemDiscount);
        }

        OrderRecord cancelledAt(Instant at) {
            return after(at, refunds);
        }

        /** The same order with what changes after it is placed: its cancellation and its refunds. */
        private OrderRecord after(Instant cancelled, List<OrderRefund> allRefunds) {
            return new OrderRecord(
                    orderId,
                    placedAt,
                    lines,
                    applied,
                    subtotal,
                    shippingFee,
                    itemDiscount,
                    shippingDiscount,
                    total,
                    cancelled,
                    allRefunds);
        }
    }

    /** The answer to a decide request with an idempotency key: the decision it made (null: none). */
    public record Answer(String idempotencyKey, String decisionId, Instant at) {}

    // ---- reads ----

    public Optional<Offer> byCoupon(String couponId) {
        return offers.stream().filter(o -> o.hasCouponId(couponId)).findFirst();
    }

    public Optional<Offer> byOffer(String offerId) {
        return offers.stream().filter(o -> o.hasOfferId(offerId)).findFirst();
    }

    /** Offers to show at {@code now}: live ones and those that finished recently, newest first. */
    public List<Offer> visibleAt(Instant now) {
        return offers.stream()
                .map(o -> o.asOf(now))
                .sorted(Comparator.comparing(Offer::issuedAt).reversed())
                .toList();
    }

    public List<Offer> usableAt(Instant now) {
        return offers.stream().filter(o -> o.usableAt(now)).toList();
    }

    public boolean hasLiveOffer(String campaignId, Instant now) {
        return offers.stream().anyMatch(o -> o.campaignId().equals(campaignId) && o.usableAt(now));
    }

    /** Offers sent in the window ending at {@code now}, all campaigns and channels (the contact cap). */
    public long contactsSince(Instant since) {
        return contacts.stream().filter(c -> c.at().isAfter(since)).count();
    }

    public long contactsSince(String campaignId, Instant since) {
        return contacts.stream()
                .filter(c -> c.campaignId().equals(campaignId) && c.at().isAfter(since))
                .count();
    }

    public Optional<OrderRecord> order(String orderId) {
        return orders.stream().filter(o -> o.orderId().equals(orderId)).findFirst();
    }

    /** The first answer to a decide request with this key, while it is remembered. */
    public Optional<Answer> answer(String idempotencyKey) {
        return answers.stream()
                .filter(a -> a.idempotencyKey().equals(idempotencyKey))
                .findFirst();
    }

    public List<Exposure> exposuresAt(Instant t) {
        return exposures.stream()
                .filter(e -> !t.isBefore(e.at()) && t.isBefore(e.until()))
                .toList();
    }

    // ---- changes ----

    public OfferBook issued(Offer offer, String decisionId, Instant outcomeUntil) {
        var os = new ArrayList<>(offers);
        os.add(offer);
        var cs = new ArrayList<>(contacts);
        cs.add(new Contact(offer.issuedAt(), offer.campaignId(), offer.channel()));
        var es = new ArrayList<>(exposures);
        es.add(new Exposure(decisionId, offer.campaignId(), false, offer.issuedAt(), outcomeUntil));
        return new OfferBook(
                prunedOffers(os, offer.issuedAt()),
                prunedContacts(cs, offer.issuedAt()),
                holdouts,
                orders,
                prunedExposures(es, offer.issuedAt()),
                triggers,
                answers);
    }

    public OfferBook heldOut(String campaignId, String decisionId, Instant at, Instant outcomeUntil) {
        var hs = new TreeMap<>(holdouts);
        hs.put(campaignId, decisionId);
        var es = new ArrayList<>(exposures);
        es.add(new Exposure(decisionId, campaignId, true, at, outcomeUntil));
        return new OfferBook(offers, contacts, hs, orders, prunedExposures(es, at), triggers, answers);
    }

    public OfferBook mapOffer(String offerId, UnaryOperator<Offer> change) {
        return new OfferBook(
                offers.stream()
                        .map(o -> o.hasOfferId(offerId) ? change.apply(o) : o)
                        .toList(),
                contacts,
                holdouts,
                orders,
                exposures,
                triggers,
                answers);
    }

    public OfferBook placed(OrderRecord order) {
        var book = this;
        for (var a : order.applied()) book = book.mapOffer(a.offerId(), o -> o.redeemed(order.orderId(), a.discount()));
        var os = new ArrayList<>(book.orders);
        os.add(order);
        while (os.size() > MAX_ORDERS) os.remove(0);
        return new OfferBook(book.offers, contacts, holdouts, os, exposures, triggers, answers);
    }

    /** The order is cancelled; its coupons come back ({@code reinstated}) or, past their expiry, expire. */
    public OfferBook cancelled(String orderId, Instant at, List<String> reinstated) {
        return couponsGivenBack(order(orderId).orElseThrow(), reinstated).withOrder(orderId, o -> o.cancelledAt(at));
    }

    /**
     * A refund of the order: recorded with it; a full refund gives its coupons back as a cancel does
     * ({@code reinstated} usable again, the others expired).
     */
    public OfferBook refunded(String orderId, OrderRefund refund, List<String> reinstated) {
        var book = refund.full() ? couponsGivenBack(order(orderId).orElseThrow(), reinstated) : this;
        return book.withOrder(orderId, o -> o.refunded(refund));
    }

    /** The order's coupons back in the wallet: {@code reinstated} ones usable again, the others expired. */
    private OfferBook couponsGivenBack(OrderRecord order, List<String> reinstated) {
        var book = this;
        for (var a : order.applied()) {
            book = book.mapOffer(
                    a.offerId(),
                    o -> reinstated.contains(a.offerId())
                            ? o.returned()
                            : o.returned().withStatus(OfferStatus.EXPIRED));
        }
        return book;
    }

    private OfferBook withOrder(String orderId, UnaryOperator<OrderRecord> change) {
        var os = orders.stream()
                .map(o -> o.orderId().equals(orderId) ? change.apply(o) : o)
                .toList();
        return new OfferBook(offers, contacts, holdouts, os, exposures, triggers, answers);
    }

    /**
     * Remembers a decide request's answer: the last {@value #MAX_ANSWERS} keys of the last {@value #ANSWER_DAYS} days.
     */
    public OfferBook answered(Answer a) {
        var horizon = a.at().minus(Duration.ofDays(ANSWER_DAYS));
        var as = new ArrayList<>(
                answers.stream().filter(x -> x.at().isAfter(horizon)).toList());
        as.add(a);
        while (as.size() > MAX_ANSWERS) as.remove(0);
        return new OfferBook(offers, contacts, holdouts, orders, exposures, triggers, as);
    }

    public OfferBook scheduled(Trigger t) {
        var ts = new TreeMap<>(triggers);
        ts.put(t.kind(), t);
        return new OfferBook(offers, contacts, holdouts, orders, exposures, ts, answers);
    }

    public OfferBook fired(String kind) {
        var ts = new TreeMap<>(triggers);
        ts.remove(kind);
        return new OfferBook(offers, contacts, holdouts, orders, exposures, ts, answers);
    }

    /** Another identity's book folded in (identity linking): offers, contacts, holdouts and orders are united. */
    public OfferBook merge(OfferBook other) {
        if (other == null) return this;
        var known = offers.stream().map(Offer::offerId).collect(Collectors.toSet());
        var os = new ArrayList<>(offers);
        other.offers.stream().filter(o -> !known.contains(o.offerId())).forEach(os::add);
        var cs = new ArrayList<>(contacts);
        cs.addAll(other.contacts);
        cs.sort(Comparator.comparing(Contact::at));
        var hs = new TreeMap<>(other.holdouts);
        hs.putAll(holdouts);
        var ordersKnown = orders.stream().map(OrderRecord::orderId).collect(Collectors.toSet());
        var rs = new ArrayList<>(other.orders.stream()
                .filter(o -> !ordersKnown.contains(o.orderId()))
                .toList());
        rs.addAll(orders);
        while (rs.size() > MAX_ORDERS) rs.remove(0);
        var es = Stream.concat(exposures.stream(), other.exposures.stream()).toList();
        return new OfferBook(
                os,
                cs.size() > MAX_CONTACTS ? cs.subList(cs.size() - MAX_CONTACTS, cs.size()) : cs,
                hs,
                rs,
                es,
                triggers,
                answers);
    }

    private static List<Offer> prunedOffers(List<Offer> os, Instant now) {
        var horizon = now.minus(Duration.ofDays(FINISHED_DAYS));
        var kept = new ArrayList<>(
                os.stream().filter(o -> o.expiresAt().isAfter(horizon)).toList());
        // Over the count bound, drop the oldest offers that can no longer be used; usable ones always stay.
        kept.sort(Comparator.comparing(Offer::issuedAt));
        for (int i = 0; kept.size() > MAX_OFFERS && i < kept.size(); ) {
            if (!kept.get(i).usableAt(now)) kept.remove(i);
            else i++;
        }
        return kept;
    }

    private static List<Contact> prunedContacts(List<Contact> cs, Instant now) {
        var horizon = now.minus(Duration.ofDays(CONTACT_DAYS));
        var kept = cs.stream().filter(c -> c.at().isAfter(horizon)).toList();
        return kept.size() > MAX_CONTACTS ? kept.subList(kept.size() - MAX_CONTACTS, kept.size()) : kept;
    }

    private static List<Exposure> prunedExposures(List<Exposure> es, Instant now) {
        var kept = es.stream().filter(e -> e.until().isAfter(now)).toList();
        return kept.size() > MAX_EXPOSURES ? kept.subList(kept.size() - MAX_EXPOSURES, kept.size()) : kept;
    }
}

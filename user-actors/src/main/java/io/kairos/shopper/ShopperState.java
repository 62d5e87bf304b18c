package io.kairos.shopper;

import io.kairos.offer.OfferBook;
import io.kairos.offer.OfferStatus;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of a shopper entity. A {@link Person} is a shopper with their own history; an {@link Alias} is an identity
 * (phone, device, open id…) that has been linked to a person and forwards everything to them, so events, offers and
 * contact caps all count on one person.
 */
public sealed interface ShopperState extends CborSerializable {

    /**
     * A person's whole behavioural state. Immutable; every change returns a new value. {@code policy} is null until the
     * first event adopts one. Scores are stored as of their last update and decayed on read.
     */
    record Person(
            Profile profile,
            Set<String> links,
            RecordingPolicy policy,
            DecayedScores typeScores,
            DecayedScores categoryScores,
            DecayedScores preferences,
            OrderBook book,
            LifecycleStage stage,
            Instant stageSince,
            long eventCount,
            Instant firstSeenAt,
            Instant lastEventAt,
            RecentEventIds recentIds,
            OfferBook offers,
            HourHistogram hours)
            implements ShopperState {

        public static Person empty() {
            return new Person(
                    Profile.EMPTY,
                    Set.of(),
                    null,
                    DecayedScores.EMPTY,
                    DecayedScores.EMPTY,
                    DecayedScores.EMPTY,
                    OrderBook.EMPTY,
                    LifecycleStage.NEW,
                    null,
                    0,
                    null,
                    null,
                    RecentEventIds.empty(1),
                    OfferBook.EMPTY,
                    HourHistogram.EMPTY);
        }

        public Person {
            links = Set.copyOf(links);
            // Snapshots written before offers existed have no offer book.
            offers = offers == null ? OfferBook.EMPTY : offers;
            // Snapshots written before the hour histogram existed have none; it fills from the events after them.
            hours = hours == null ? HourHistogram.EMPTY : hours;
        }

        public Person withOffers(OfferBook o) {
            return new Person(
                    profile,
                    links,
                    policy,
                    typeScores,
                    categoryScores,
                    preferences,
                    book,
                    stage,
                    stageSince,
                    eventCount,
                    firstSeenAt,
                    lastEventAt,
                    recentIds,
                    o,
                    hours);
        }

        /** A person nobody has told Kairos anything about: {@code GET} answers 404 for it. */
        public boolean isKnown() {
            return eventCount > 0 || !profile.isEmpty() || !links.isEmpty();
        }

        public boolean isDuplicate(BehaviourEvent e) {
            return recentIds.contains(e.eventId());
        }

        public Person adopt(RecordingPolicy p) {
            return new Person(
                    profile,
                    links,
                    p,
                    typeScores,
                    categoryScores,
                    preferences,
                    book,
                    stage,
                    stageSince,
                    eventCount,
                    firstSeenAt,
                    lastEventAt,
                    recentIds.withCapacity(p.dedupCapacity()),
                    offers,
                    hours);
        }

        public Person record(BehaviourEvent e) {
            var h = policy.halfLife();
            var at = e.occurredAt();
            var types = typeScores.add(e.type().wireName(), 1.0, at, h, EventType.values().length);
            var categories = categoryScores;
            double weight = policy.categoryWeight(e.type());
            if (e.category() != null && weight != 0.0)
                categories = categories.add(e.category(), weight, at, h, policy.maxCategories());
            var prefs = preferences;
            String couponType = e.attributes().get("couponType");
            if (couponType != null && (e.type() == EventType.COUPON_CLAIM || e.type() == EventType.ORDER)) {
                prefs = prefs.add(
                        couponType, e.type() == EventType.ORDER ? 2.0 : 1.0, at, h, EventType.values().length * 4);
            }
            var orders =
                    switch (e.type()) {
                        case ORDER -> book.place(e.orderId(), at, e.amount(), policy.recentOrders());
                        case CANCEL -> book.cancel(e.orderId());
                        case REFUND -> book.refund(e.orderId(), e.amount());
                        default -> book;
                    };
            var last = lastEventAt == null || at.isAfter(lastEventAt) ? at : lastEventAt;
            var first = firstSeenAt == null || at.isBefore(firstSeenAt) ? at : firstSeenAt;
            var since = stageSince == null ? first : stageSince;
            return new Person(
                    profile,
                    links,
                    policy,
                    types,
                    categories,
                    prefs,
                    orders,
                    stage,
                    since,
                    eventCount + 1,
                    first,
                    last,
                    recentIds.plus(e.eventId()),
                    offersAfter(e),
                    hours.plus(at));
        }

        /**
         * A message-open event about a coupon moves that offer to opened (claims are their own event, OfferClaimed).
         */
        private OfferBook offersAfter(BehaviourEvent e) {
            if (e.couponId() == null) return offers;
            var offer = offers.byCoupon(e.couponId());
            if (offer.isEmpty() || !offer.get().status().live()) return offers;
            if (e.type() == EventType.MESSAGE_OPEN
                    && (offer.get().status() == OfferStatus.ISSUED
                            || offer.get().status() == OfferStatus.DELIVERED)) {
                return offers.mapOffer(offer.get().offerId(), o -> o.withStatus(OfferStatus.OPENED));
            }
            return offers;
        }

        public Person changeStage(LifecycleStage to, Instant effectiveAt) {
            return new Person(
                    profile,
                    links,
                    policy,
                    typeScores,
                    categoryScores,
                    preferences,
                    book,
                    to,
                    effectiveAt,
                    eventCount,
                    firstSeenAt,
                    lastEventAt,
                    recentIds,
                    offers,
                    hours);
        }

        /** An order placed through checkout: counted in the order book (RFM) and its coupons marked redeemed. */
        public Person placeOrder(OfferBook.OrderRecord order, BigDecimal net) {
            var orders = book.place(order.orderId(), order.placedAt(), net, policy.recentOrders());
            return new Person(
                    profile,
                    links,
                    policy,
                    typeScores,
                    categoryScores,
                    preferences,
                    orders,
                    stage,
                    stageSince,
                    eventCount,
                    firstSeenAt,
                    later(lastEventAt, order.placedAt()),
                    recentIds,
                    offers.placed(order),
                    hours);
        }

        public Person cancelOrder(String orderId, Instant at, List<String> reinstated) {
            return new Person(
                    profile,
                    links,
                    policy,
                    typeScores,
                    categoryScores,
                    preferences,
                    book.cancel(orderId),
                    stage,
                    stageSince,
                    eventCount,
                    firstSeenAt,
                    lastEventAt,
                    recentIds,
                    offers.cancelled(orderId, at, reinstated),
                    hours);
        }

        public Person withProfile(Profile p) {
            return new Person(
                    p,
                    links,
                    policy,
                    typeScores,
                    categoryScores,
                    preferences,
                    book,
                    stage,
                    stageSince,
                    eventCount,
                    firstSeenAt,
                    lastEventAt,
                    recentIds,
                    offers,
                    hours);
        }

        /** Links an identity, folding in the history it had before (if any). */
        public Person link(String identity, History h) {
            var allLinks = new TreeSet<>(links);
            allLinks.add(identity);
            if (h == null || h.isEmpty()) {
                return new Person(
                        profile,
                        allLinks,
                        policy,
                        typeScores,
                        categoryScores,
                        preferences,
                        book,
                        stage,
                        stageSince,
                        eventCount,
                        firstSeenAt,
                        lastEventAt,
                        recentIds,
                        offers.merge(h == null ? null : h.offers()),
                        hours);
            }
            allLinks.addAll(h.links());
            var p = policy != null ? policy : h.policy();
            var hl = p.halfLife();
            return new Person(
                    profile.completedBy(h.profile()),
                    allLinks,
                    p,
                    typeScores.merge(h.typeScores(), hl, EventType.values().length),
                    categoryScores.merge(h.categoryScores(), hl, p.maxCategories()),
                    preferences.merge(h.preferences(), hl, EventType.values().length * 4),
                    book.merge(h.book(), p.recentOrders()),
                    stage,
                    stageSince == null ? h.firstSeenAt() : stageSince,
                    eventCount + h.eventCount(),
                    earlier(firstSeenAt, h.firstSeenAt()),
                    later(lastEventAt, h.lastEventAt()),
                    recentIds.withCapacity(p.dedupCapacity()).merge(h.recentIds()),
                    offers.merge(h.offers()),
                    hours.merge(h.hours()));
        }

        /** What this person hands over when it becomes an alias of another. */
        public History history() {
            return new History(
                    profile,
                    links,
                    policy,
                    typeScores,
                    categoryScores,
                    preferences,
                    book,
                    eventCount,
                    firstSeenAt,
                    lastEventAt,
                    recentIds,
                    offers,
                    hours);
        }

        /** The derived tags: operator tags plus those that follow from behaviour. */
        public List<String> tags(double highValueMonetary) {
            var out = new TreeSet<>(profile.tags());
            if (book.orders() > 0) out.add("buyer");
            if (book.monetary().compareTo(BigDecimal.valueOf(highValueMonetary)) >= 0) out.add("high_value");
            var cart = typeScores.scores().get(EventType.ADD_TO_CART.wireName());
            if (cart != null && (book.lastOrderAt() == null || cart.asOf().isAfter(book.lastOrderAt())))
                out.add("cart_open");
            if (!preferences.scores().isEmpty()) out.add("coupon_user");
            return new ArrayList<>(out);
        }

        public ShopperSummary summarize(String shopperId, Instant now, double highValueMonetary) {
            Duration h = policy == null ? Duration.ofDays(14) : policy.halfLife();
            var scores = new TreeMap<String, Double>(typeScores.valuesAt(now, h));
            categoryScores.valuesAt(now, h).forEach((k, v) -> scores.put("category:" + k, v));
            Long recencyDays = book.lastOrderAt() == null
                    ? null
                    : Math.max(0, Duration.between(book.lastOrderAt(), now).toDays());
            return new ShopperSummary(
                    shopperId,
                    profile,
                    stage,
                    stageSince,
                    null,
                    recencyDays,
                    book.orders(),
                    book.monetary(),
                    scores,
                    tags(highValueMonetary),
                    preferences.valuesAt(now, h),
                    eventCount,
                    lastEventAt,
                    List.copyOf(new TreeSet<>(links)),
                    offers.visibleAt(now),
                    hours);
        }

        private static Instant earlier(Instant a, Instant b) {
            return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
        }

        private static Instant later(Instant a, Instant b) {
            return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
        }

        /** The person's average order value, or null before the first (net) order. */
        public BigDecimal averageOrderValue() {
            return book.orders() == 0
                    ? null
                    : book.monetary().divide(BigDecimal.valueOf(book.orders()), 2, java.math.RoundingMode.HALF_UP);
        }
    }

    /** An identity linked to {@code ownerId}; keeps what it handed over so a repeated link request is idempotent. */
    record Alias(String ownerId, History handedOver, Instant since) implements ShopperState {}

    /** A person's history as it is handed to the person it is linked to. Immutable. */
    record History(
            Profile profile,
            Set<String> links,
            RecordingPolicy policy,
            DecayedScores typeScores,
            DecayedScores categoryScores,
            DecayedScores preferences,
            OrderBook book,
            long eventCount,
            Instant firstSeenAt,
            Instant lastEventAt,
            RecentEventIds recentIds,
            OfferBook offers,
            HourHistogram hours)
            implements CborSerializable {

        public History {
            links = Set.copyOf(links);
            offers = offers == null ? OfferBook.EMPTY : offers;
            hours = hours == null ? HourHistogram.EMPTY : hours;
        }

        public boolean isEmpty() {
            return eventCount == 0
                    && profile.isEmpty()
                    && links.isEmpty()
                    && offers.offers().isEmpty();
        }
    }
}

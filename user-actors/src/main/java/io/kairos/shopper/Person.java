package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kairos.offer.OfferBook;
import io.kairos.offer.OfferStatus;
import io.kairos.offer.Trigger;
import io.kairos.shopper.ShopperEvent.*;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A shopper with their own history: profile and consent, linked identities, behaviour (scores, preferences, activity),
 * orders (RFM), offers (wallet, contacts, holdouts, triggers) and lifecycle stage. Immutable; {@link #apply} is the one
 * transition function, used by the entity's event handler, by command handlers to look ahead, and by audits to rebuild
 * a person as of any moment.
 */
public record Person(
        Profile profile, Set<String> links, Behaviour behaviour, OrderBook book, OfferBook offers, Lifecycle lifecycle)
        implements ShopperState {

    /** The stage a person is in, and since when (null before the person was first seen). */
    public record Lifecycle(LifecycleStage stage, Instant since) {
        public static final Lifecycle NEW = new Lifecycle(LifecycleStage.NEW, null);
    }

    public Person {
        links = Set.copyOf(links);
        offers = offers == null ? OfferBook.EMPTY : offers;
    }

    /**
     * A person read back from a snapshot or an event, holding once what a person built from its events holds once: the
     * shared empty profile, and the stage's start and the dormancy trigger's start as the instants they were copied
     * from (an order's or an event's time). Without it a recovered shopper held about 100 bytes more.
     */
    @JsonCreator
    static Person fromJson(
            @JsonProperty("profile") Profile profile,
            @JsonProperty("links") Set<String> links,
            @JsonProperty("behaviour") Behaviour behaviour,
            @JsonProperty("book") OrderBook book,
            @JsonProperty("offers") OfferBook offers,
            @JsonProperty("lifecycle") Lifecycle lifecycle) {
        if (profile == null || profile.isEmpty()) profile = Profile.EMPTY;
        if (book != null && behaviour != null && lifecycle != null && lifecycle.since() != null) {
            var since = lifecycle.since();
            var shared = same(
                    same(same(same(since, book.lastOrderAt()), book.firstOrderAt()), behaviour.firstSeenAt()),
                    behaviour.lastEventAt());
            if (shared != since) lifecycle = new Lifecycle(lifecycle.stage(), shared);
        }
        var last = behaviour == null ? null : behaviour.lastEventAt();
        if (offers != null && last != null) {
            for (var t : offers.triggers().values()) {
                if (t.since() != last && last.equals(t.since()))
                    offers = offers.scheduled(new Trigger(t.kind(), t.dueAt(), last, t.detail()));
            }
        }
        return new Person(profile, links, behaviour, book, offers, lifecycle);
    }

    /** {@code b} if it is equal to {@code a}, else {@code a}. */
    private static Instant same(Instant a, Instant b) {
        return b != null && b.equals(a) ? b : a;
    }

    private static final Person EMPTY =
            new Person(Profile.EMPTY, Set.of(), Behaviour.EMPTY, OrderBook.EMPTY, OfferBook.EMPTY, Lifecycle.NEW);

    /** A person nobody has seen yet; one shared instance (every shopper's state starts from it). */
    public static Person empty() {
        return EMPTY;
    }

    @Override
    public ShopperState apply(ShopperEvent event) {
        if (event instanceof BehaviourRecorded e) return record(e.event());
        if (event instanceof LifecycleChanged e) return with(new Lifecycle(e.to(), e.effectiveAt()));
        if (event instanceof PolicyAdopted e) return with(behaviour.adopt(e.policy()));
        if (event instanceof ProfileUpdated e)
            return new Person(e.profile(), links, behaviour, book, offers, lifecycle);
        if (event instanceof IdentityLinked e) return link(e.identity(), e.history());
        if (event instanceof BecameAlias e) return new Alias(e.ownerId(), e.handedOver(), e.at());
        if (event instanceof IdentityUnlinked e) {
            var remaining = new TreeSet<>(links);
            remaining.remove(e.identity());
            return new Person(profile, remaining, behaviour, book, offers, lifecycle);
        }
        if (event instanceof OfferIssued e) {
            return with(offers.issued(e.offer(), e.decision().decisionId(), e.outcomeUntil()));
        }
        if (event instanceof HoldoutAssigned e) {
            var d = e.decision();
            return with(offers.heldOut(e.campaignId(), d.decisionId(), d.decidedAt(), e.outcomeUntil()));
        }
        if (event instanceof OfferClaimed e) return with(offers.mapOffer(e.offerId(), o -> o.claimed(e.at())));
        if (event instanceof OfferRevoked e) {
            return with(offers.mapOffer(e.offerId(), o -> o.withStatus(OfferStatus.REVOKED)));
        }
        if (event instanceof OfferDelivered e) {
            return with(offers.mapOffer(
                    e.offerId(), o -> o.status() == OfferStatus.ISSUED ? o.withStatus(OfferStatus.DELIVERED) : o));
        }
        if (event instanceof OfferOpened e) return with(offers.mapOffer(e.offerId(), Person::opened));
        if (event instanceof OrderPlaced e) return placeOrder(e.order());
        if (event instanceof OrderCancelled e) {
            return new Person(
                    profile,
                    links,
                    behaviour,
                    book.cancel(e.orderId()),
                    offers.cancelled(e.orderId(), e.at(), e.reinstated()),
                    lifecycle);
        }
        if (event instanceof OrderRefunded e) {
            return new Person(
                    profile,
                    links,
                    behaviour,
                    book.refund(e.orderId(), e.refund().amount()),
                    offers.refunded(e.orderId(), e.refund(), e.reinstated()),
                    lifecycle);
        }
        if (event instanceof DecideAnswered e) {
            return with(offers.answered(new OfferBook.Answer(e.idempotencyKey(), e.decisionId(), e.at())));
        }
        if (event instanceof TriggerScheduled e) return with(offers.scheduled(e.trigger()));
        if (event instanceof TriggerFired e) return with(offers.fired(e.kind()));
        // DeliveryFailed and OutcomeRecorded are read by projections (the funnel, campaign stats, the decision log)
        // and change no state.
        return this;
    }

    /** A person nobody has told Kairos anything about: {@code GET} answers 404 for it. */
    public boolean isKnown() {
        return behaviour.eventCount() > 0 || !profile.isEmpty() || !links.isEmpty();
    }

    public LifecycleStage stage() {
        return lifecycle.stage();
    }

    public Instant lastEventAt() {
        return behaviour.lastEventAt();
    }

    public boolean isDuplicate(BehaviourEvent e) {
        return behaviour.isDuplicate(e);
    }

    private Person with(Behaviour b) {
        return new Person(profile, links, b, book, offers, lifecycle);
    }

    private Person with(OfferBook o) {
        return new Person(profile, links, behaviour, book, o, lifecycle);
    }

    private Person with(Lifecycle l) {
        return new Person(profile, links, behaviour, book, offers, l);
    }

    private Person record(BehaviourEvent e) {
        var policy = behaviour.policy();
        var orders =
                switch (e.type()) {
                    case ORDER -> book.place(e.orderId(), e.occurredAt(), e.amount(), policy.recentOrders());
                    case CANCEL -> book.cancel(e.orderId());
                    // A refund of an order placed through the API is recorded by the OrderRefunded that follows it.
                    case REFUND -> offers.order(e.orderId()).isPresent() ? book : book.refund(e.orderId(), e.amount());
                    default -> book;
                };
        var recorded = behaviour.record(e);
        var since = lifecycle.since() == null ? recorded.firstSeenAt() : lifecycle.since();
        return new Person(profile, links, recorded, orders, offersAfter(e), new Lifecycle(lifecycle.stage(), since));
    }

    /** A message-open event about a coupon moves that offer to opened (claims are their own event, OfferClaimed). */
    private OfferBook offersAfter(BehaviourEvent e) {
        if (e.couponId() == null || e.type() != EventType.MESSAGE_OPEN) return offers;
        var offer = offers.byCoupon(e.couponId());
        if (offer.isEmpty() || !offer.get().status().live()) return offers;
        return offers.mapOffer(offer.get().offerId(), Person::opened);
    }

    private static io.kairos.offer.Offer opened(io.kairos.offer.Offer o) {
        return o.status() == OfferStatus.ISSUED || o.status() == OfferStatus.DELIVERED
                ? o.withStatus(OfferStatus.OPENED)
                : o;
    }

    /** An order placed through checkout: counted in the order book (RFM) and its coupons marked redeemed. */
    private Person placeOrder(OfferBook.OrderRecord order) {
        var orders = book.place(
                order.orderId(),
                order.placedAt(),
                order.net(),
                behaviour.policy().recentOrders());
        return new Person(profile, links, behaviour.seenAt(order.placedAt()), orders, offers.placed(order), lifecycle);
    }

    /** Links an identity, folding in the history it had before (if any). */
    private Person link(String identity, History h) {
        var allLinks = new TreeSet<>(links);
        allLinks.add(identity);
        if (h == null || h.isEmpty()) {
            return new Person(
                    profile, allLinks, behaviour, book, offers.merge(h == null ? null : h.offers()), lifecycle);
        }
        allLinks.addAll(h.links());
        var merged = behaviour.merge(h.behaviour());
        var recentOrders = merged.policy() == null ? 1 : merged.policy().recentOrders();
        var since = lifecycle.since() == null ? h.behaviour().firstSeenAt() : lifecycle.since();
        return new Person(
                profile.completedBy(h.profile()),
                allLinks,
                merged,
                book.merge(h.book(), recentOrders),
                offers.merge(h.offers()),
                new Lifecycle(lifecycle.stage(), since));
    }

    /** What this person hands over when it becomes an alias of another. */
    public History history() {
        return new History(profile, links, behaviour, book, offers);
    }

    /** The derived tags: operator tags plus those that follow from behaviour. */
    public List<String> tags(double highValueMonetary) {
        var out = new TreeSet<>(profile.tags());
        if (book.orders() > 0) out.add("buyer");
        if (book.monetary().compareTo(BigDecimal.valueOf(highValueMonetary)) >= 0) out.add("high_value");
        var cart =
                behaviour.typeScores().score(EventType.ADD_TO_CART.wireName()).orElse(null);
        if (cart != null && (book.lastOrderAt() == null || cart.asOf().isAfter(book.lastOrderAt()))) {
            out.add("cart_open");
        }
        if (!behaviour.preferences().isEmpty()) out.add("coupon_user");
        return new ArrayList<>(out);
    }

    public ShopperSummary summarize(String shopperId, Instant now, double highValueMonetary) {
        Long recencyDays = book.lastOrderAt() == null
                ? null
                : Math.max(0, Duration.between(book.lastOrderAt(), now).toDays());
        var preferences = behaviour.preferences().valuesAt(now, behaviour.halfLife());
        return new ShopperSummary(
                shopperId,
                profile,
                new ShopperSummary.Lifecycle(stage(), lifecycle.since(), null),
                new ShopperSummary.Rfm(recencyDays, book.orders(), book.monetary()),
                new ShopperSummary.Activity(
                        behaviour.scoresAt(now),
                        tags(highValueMonetary),
                        preferences,
                        behaviour.eventCount(),
                        behaviour.lastEventAt(),
                        behaviour.hours(),
                        CouponPreference.of(preferences)),
                List.copyOf(new TreeSet<>(links)),
                offers.visibleAt(now));
    }

    /** The person's average order value, or null before the first (net) order. */
    public BigDecimal averageOrderValue() {
        return book.orders() == 0
                ? null
                : book.monetary().divide(BigDecimal.valueOf(book.orders()), 2, RoundingMode.HALF_UP);
    }
}

package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kairos.serialization.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a person's behaviour events taught Kairos: decayed scores per event type and per category, coupon-type
 * preferences, how many events and when, the recent event ids (duplicate detection), the hours of day the person is
 * active, and the SKUs the person viewed or put in the cart lately (whose price changes the shopper's stream pushes).
 * {@code policy} is null until the first event adopts one. Scores are stored as of their last update and decayed on
 * read. Immutable; bounded by the policy.
 */
public record Behaviour(
        RecordingPolicy policy,
        DecayedScores typeScores,
        DecayedScores categoryScores,
        DecayedScores preferences,
        long eventCount,
        Instant firstSeenAt,
        Instant lastEventAt,
        RecentEventIds recentIds,
        HourHistogram hours,
        List<String> recentSkus)
        implements CborSerializable {

    public static final Behaviour EMPTY = new Behaviour(
            null,
            DecayedScores.EMPTY,
            DecayedScores.EMPTY,
            DecayedScores.EMPTY,
            0,
            null,
            null,
            RecentEventIds.empty(1),
            HourHistogram.EMPTY,
            List.of());

    /** Coupon types are few; the bound keeps a malformed attribute from growing the state. */
    static final int MAX_PREFERENCES = EventType.values().length * 4;

    /** How many recently viewed or carted SKUs are kept (newest first). */
    static final int MAX_RECENT_SKUS = 10;

    public Behaviour {
        // Histories written before the hour histogram existed have none; it fills from the events after them.
        hours = hours == null ? HourHistogram.EMPTY : hours;
        // Likewise the recent SKUs.
        recentSkus = recentSkus == null ? List.of() : recentSkus;
    }

    /**
     * A behaviour read back (a snapshot, a linked identity's history): its policy the node's one instance and its SKU
     * ids interned (they repeat across shoppers), as a behaviour recorded in memory holds them. Done here, once per
     * read, rather than in the constructor, which runs for every event recorded.
     */
    @JsonCreator
    static Behaviour fromJson(
            @JsonProperty("policy") RecordingPolicy policy,
            @JsonProperty("typeScores") DecayedScores typeScores,
            @JsonProperty("categoryScores") DecayedScores categoryScores,
            @JsonProperty("preferences") DecayedScores preferences,
            @JsonProperty("eventCount") long eventCount,
            @JsonProperty("firstSeenAt") Instant firstSeenAt,
            @JsonProperty("lastEventAt") Instant lastEventAt,
            @JsonProperty("recentIds") RecentEventIds recentIds,
            @JsonProperty("hours") HourHistogram hours,
            @JsonProperty("recentSkus") List<String> recentSkus) {
        return new Behaviour(
                policy == null ? null : policy.canonical(),
                typeScores,
                categoryScores,
                preferences,
                eventCount,
                firstSeenAt,
                lastEventAt,
                recentIds,
                hours,
                recentSkus == null
                        ? null
                        : recentSkus.stream().map(String::intern).toList());
    }

    public boolean isDuplicate(BehaviourEvent e) {
        return recentIds.contains(e.eventId());
    }

    Behaviour adopt(RecordingPolicy p) {
        return new Behaviour(
                p.canonical(),
                typeScores,
                categoryScores,
                preferences,
                eventCount,
                firstSeenAt,
                lastEventAt,
                recentIds.withCapacity(p.dedupCapacity()),
                hours,
                recentSkus);
    }

    /** The event counted: scores, preferences (a claim or an order naming a coupon type), times, id and hour. */
    Behaviour record(BehaviourEvent e) {
        var h = policy.halfLife();
        var at = e.occurredAt();
        var types = typeScores.add(e.type().wireName(), 1.0, at, h, EventType.values().length);
        var categories = categoryScores;
        double weight = policy.categoryWeight(e.type());
        if (e.category() != null && weight != 0.0) {
            categories = categories.add(e.category(), weight, at, h, policy.maxCategories());
        }
        var prefs = preferences;
        String couponType = e.attributes().get("couponType");
        if (couponType != null && (e.type() == EventType.COUPON_CLAIM || e.type() == EventType.ORDER)) {
            prefs = prefs.add(couponType, e.type() == EventType.ORDER ? 2.0 : 1.0, at, h, MAX_PREFERENCES);
        }
        return new Behaviour(
                policy,
                types,
                categories,
                prefs,
                eventCount + 1,
                earlier(firstSeenAt, at),
                later(lastEventAt, at),
                recentIds.plus(e.eventId()),
                hours.plus(at),
                seen(recentSkus, e));
    }

    /** A view or an add-to-cart naming a SKU moves it to the front of the recent SKUs. */
    private static List<String> seen(List<String> recent, BehaviourEvent e) {
        if (e.sku() == null || (e.type() != EventType.VIEW && e.type() != EventType.ADD_TO_CART)) return recent;
        var out = new ArrayList<String>(MAX_RECENT_SKUS);
        out.add(e.sku().intern()); // SKU ids repeat across shoppers: a node holds each once
        for (var sku : recent) if (out.size() < MAX_RECENT_SKUS && !sku.equals(e.sku())) out.add(sku);
        return List.copyOf(out);
    }

    /** Activity other than a behaviour event (an order placed through checkout) moves the last-seen time. */
    Behaviour seenAt(Instant at) {
        return new Behaviour(
                policy,
                typeScores,
                categoryScores,
                preferences,
                eventCount,
                firstSeenAt,
                later(lastEventAt, at),
                recentIds,
                hours,
                recentSkus);
    }

    /** Another identity's behaviour folded in (its policy is used when this person has none yet). */
    Behaviour merge(Behaviour other) {
        var p = policy != null ? policy : other.policy;
        if (p == null) return this;
        var hl = p.halfLife();
        return new Behaviour(
                p,
                typeScores.merge(other.typeScores, hl, EventType.values().length),
                categoryScores.merge(other.categoryScores, hl, p.maxCategories()),
                preferences.merge(other.preferences, hl, MAX_PREFERENCES),
                eventCount + other.eventCount,
                earlier(firstSeenAt, other.firstSeenAt),
                later(lastEventAt, other.lastEventAt),
                recentIds.withCapacity(p.dedupCapacity()).merge(other.recentIds),
                hours.merge(other.hours),
                recentSkus.isEmpty() ? other.recentSkus : recentSkus);
    }

    /** The half-life scores decay with; two weeks before a policy was adopted (nothing is scored then). */
    Duration halfLife() {
        return policy == null ? Duration.ofDays(14) : policy.halfLife();
    }

    /** Event-type scores and {@code category:<name>} scores, decayed to {@code now}. */
    Map<String, Double> scoresAt(Instant now) {
        var h = halfLife();
        var scores = new TreeMap<String, Double>(typeScores.valuesAt(now, h));
        categoryScores.valuesAt(now, h).forEach((k, v) -> scores.put("category:" + k, v));
        return scores;
    }

    static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}

package io.kairos.shopper;

import io.kairos.offer.Offer;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person's live view as of a moment, the reply to {@code GetShopper}: profile, lifecycle, RFM, behaviour, links and
 * offers (live ones and recently finished ones, as of that moment).
 */
public record ShopperSummary(
        String shopperId,
        Profile profile,
        Lifecycle lifecycle,
        Rfm rfm,
        Activity activity,
        List<String> links,
        List<Offer> offers)
        implements CborSerializable {

    /**
     * The stage and since when; {@code pAlive} is the promoted lifecycle model's P(alive) (null without one, or before
     * the first order).
     */
    public record Lifecycle(LifecycleStage stage, Instant since, Double pAlive) {}

    /** Recency (days since the last order; null before the first), frequency and monetary value. */
    public record Rfm(Long recencyDays, int frequency, BigDecimal monetary) {}

    /**
     * Decayed scores by event type and {@code category:<name>}, derived tags, coupon-type preferences, how many events
     * and the last, and the events by UTC hour of day (dispatch sends at the fullest hour).
     */
    public record Activity(
            Map<String, Double> scores,
            List<String> tags,
            Map<String, Double> preferences,
            long eventCount,
            Instant lastEventAt,
            HourHistogram activeHours,
            CouponPreference couponPreference) {
        public Activity {
            // A reply from a node that predates the histogram (or the preference) has none.
            activeHours = activeHours == null ? HourHistogram.EMPTY : activeHours;
            couponPreference = couponPreference == null ? CouponPreference.of(preferences) : couponPreference;
        }
    }

    public ShopperSummary withPAlive(Double p) {
        return new ShopperSummary(
                shopperId,
                profile,
                new Lifecycle(lifecycle.stage(), lifecycle.since(), p),
                rfm,
                activity,
                links,
                offers);
    }
}

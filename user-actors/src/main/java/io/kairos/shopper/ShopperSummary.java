package io.kairos.shopper;

import io.kairos.offer.Offer;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person's live view as of a moment, the reply to {@code GetShopper}: decayed scores, RFM, tags and lifecycle.
 * {@code pAlive} is the promoted lifecycle model's P(alive) (null without one, or before the first order);
 * {@code recencyDays} is null before the first order; {@code offers} are the person's offers as of that moment (live
 * ones and recently finished ones); {@code activeHours} counts the person's behaviour events by UTC hour of day
 * (dispatch sends at the fullest hour).
 */
public record ShopperSummary(
        String shopperId,
        Profile profile,
        LifecycleStage stage,
        Instant stageSince,
        Double pAlive,
        Long recencyDays,
        int frequency,
        BigDecimal monetary,
        Map<String, Double> scores,
        List<String> tags,
        Map<String, Double> preferences,
        long eventCount,
        Instant lastEventAt,
        List<String> links,
        List<Offer> offers,
        HourHistogram activeHours)
        implements CborSerializable {

    public ShopperSummary {
        // A reply from a node that predates the histogram has none.
        activeHours = activeHours == null ? HourHistogram.EMPTY : activeHours;
    }

    public ShopperSummary withPAlive(Double p) {
        return new ShopperSummary(
                shopperId,
                profile,
                stage,
                stageSince,
                p,
                recencyDays,
                frequency,
                monetary,
                scores,
                tags,
                preferences,
                eventCount,
                lastEventAt,
                links,
                offers,
                activeHours);
    }
}

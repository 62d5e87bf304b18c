package io.kairos.http.shopper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kairos.http.offer.OfferBody;
import io.kairos.http.offer.OfferViews;
import io.kairos.shopper.ShopperSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/shoppers/{id}}: a person's live view, with its offers (live and recently finished) as of the request.
 */
public record ShopperResponse(
        String shopperId,
        ProfileBody profile,
        Lifecycle lifecycle,
        Rfm rfm,
        Map<String, Double> scores,
        List<String> tags,
        Map<String, Double> preferences,
        CouponPreferenceBody couponPreference,
        long eventCount,
        Instant lastEventAt,
        List<String> links,
        List<OfferBody> offers) {

    public record Lifecycle(String stage, Instant since, Double pAlive) {}

    /** The coupon-type preference: its class and each coupon type's share (see {@code CouponPreference}). */
    public record CouponPreferenceBody(@JsonProperty("class") String preferenceClass, Map<String, Double> byType) {}

    public record Rfm(@JsonInclude(JsonInclude.Include.ALWAYS) Long recencyDays, int frequency, BigDecimal monetary) {}

    public static ShopperResponse of(ShopperSummary s, OfferViews views) {
        return new ShopperResponse(
                s.shopperId(),
                ProfileBody.of(s.profile()),
                new Lifecycle(
                        s.lifecycle().stage().wireName(),
                        s.lifecycle().since(),
                        s.lifecycle().pAlive()),
                new Rfm(s.rfm().recencyDays(), s.rfm().frequency(), s.rfm().monetary()),
                s.activity().scores(),
                s.activity().tags(),
                s.activity().preferences(),
                new CouponPreferenceBody(
                        s.activity().couponPreference().preferenceClass(),
                        s.activity().couponPreference().byType()),
                s.activity().eventCount(),
                s.activity().lastEventAt(),
                s.links(),
                s.offers().stream().map(views::body).toList());
    }
}

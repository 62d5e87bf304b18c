package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CouponTermsTest {
    private static BigDecimal d(String v) {
        return v == null ? null : new BigDecimal(v);
    }

    private static String terms(
            CouponType type,
            String value,
            String minSpend,
            String maxDiscount,
            List<String> skus,
            List<String> categories) {
        return CouponTerms.render(
                new Coupon(type, d(value), d(minSpend), d(maxDiscount), skus, categories, null), "EUR");
    }

    @Test
    void eachCouponTypeReadsAsTheCheckoutAppliesIt() {
        assertThat(terms(CouponType.PERCENT_OFF, "15", null, "20", List.of(), List.of()))
                .isEqualTo("15% off (at most 20.00 EUR).");
        assertThat(terms(CouponType.PERCENT_OFF, "12.5", "30", "10", List.of(), List.of("shoes")))
                .isEqualTo("12.5% off in shoes (at most 10.00 EUR), on orders of 30.00 EUR or more.");
        assertThat(terms(CouponType.AMOUNT_OFF, "5", null, null, List.of(), List.of()))
                .isEqualTo("5.00 EUR off.");
        assertThat(terms(CouponType.AMOUNT_OFF, "5", null, "3", List.of("sku-1"), List.of()))
                .isEqualTo("5.00 EUR off sku-1 (at most 3.00 EUR).");
        assertThat(terms(CouponType.THRESHOLD_AMOUNT_OFF, "10", "50", null, List.of(), List.of()))
                .isEqualTo("10.00 EUR off, on orders of 50.00 EUR or more.");
        assertThat(terms(CouponType.FREE_SHIPPING, "4.9", null, null, List.of(), List.of()))
                .isEqualTo("Free shipping (up to 4.90 EUR).");
        assertThat(terms(CouponType.BUNDLE, "7", null, null, List.of("a", "b"), List.of()))
                .isEqualTo("7.00 EUR off when you buy a + b.");
    }

    @Test
    void templatesRenderTheTermsAndFallBackFromCampaignToDefault() {
        var config = com.typesafe.config.ConfigFactory.parseString(
                """
        default.any { subject = "Hi", body = "{{terms}} Code {{couponId}} until {{expiresAt}}. {{trackingUrl}}" }
        "spring-sale".email { subject = "Spring: {{terms}}", body = "Dear {{shopperId}}, {{terms}}" }
        """);
        var templates = new Templates(config);
        var values = java.util.Map.<String, Object>of(
                "terms",
                "5.00 EUR off.",
                "couponId",
                "C-1",
                "expiresAt",
                "2026-12-01 10:00 CET",
                "trackingUrl",
                "https://t.example/t/abc",
                "shopperId",
                "s<1>");
        assertThat(templates.render("spring-sale", "email", values))
                .isEqualTo(new Templates.Rendered("Spring: 5.00 EUR off.", "Dear s<1>, 5.00 EUR off."));
        assertThat(templates.render("spring-sale", "webhook", values).body())
                .isEqualTo("5.00 EUR off. Code C-1 until 2026-12-01 10:00 CET. https://t.example/t/abc");
        assertThat(templates.render("other", "email", values).subject()).isEqualTo("Hi");
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.campaign.CouponType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CouponPreferenceTest {
    @Test
    void noEvidenceIsUnknownAndEveryShareIsZero() {
        var p = CouponPreference.of(Map.of("percent_off", 0.4));
        // one claim, a little decayed, is evidence
        assertThat(CouponPreference.of(Map.of("percent_off", 0.98)).preferenceClass())
                .isEqualTo("discount");
        assertThat(p.preferenceClass()).isEqualTo(CouponPreference.UNKNOWN);
        assertThat(p.byType()).hasSize(CouponType.values().length).containsEntry("percent_off", 1.0);
        assertThat(CouponPreference.of(Map.of()).byType().values()).containsOnly(0.0);
    }

    @Test
    void theClassIsTheKindHoldingHalfTheEvidence() {
        // amount off and percent off are both "discount": together 3 of 5
        var discount = CouponPreference.of(Map.of("amount_off", 2.0, "percent_off", 1.0, "free_shipping", 2.0));
        assertThat(discount.preferenceClass()).isEqualTo("discount");
        assertThat(discount.share(CouponType.FREE_SHIPPING)).isCloseTo(0.4, within(1e-9));
        assertThat(discount.byType().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum())
                .isCloseTo(1.0, within(1e-5));
        assertThat(CouponPreference.of(Map.of("free_shipping", 3.0)).preferenceClass())
                .isEqualTo("free-shipping");
        assertThat(CouponPreference.of(Map.of("threshold_amount_off", 2.0, "bundle", 1.0))
                        .preferenceClass())
                .isEqualTo("spend-x-save-y");
        assertThat(CouponPreference.of(Map.of("bundle", 1.0, "free_shipping", 1.0, "amount_off", 1.0))
                        .preferenceClass())
                .isEqualTo(CouponPreference.MIXED);
        // a coupon type the engine does not know (a client's free text) is no evidence
        assertThat(CouponPreference.of(Map.of("mystery", 9.0)).preferenceClass())
                .isEqualTo(CouponPreference.UNKNOWN);
    }
}

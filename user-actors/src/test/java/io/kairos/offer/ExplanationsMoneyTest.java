package io.kairos.offer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Amounts in explanations carry their currency, written as each language writes it. */
class ExplanationsMoneyTest {

    @Test
    void anAmountIsWrittenInItsCurrencyAsTheLanguageWritesIt() {
        var three = new BigDecimal("3");
        assertThat(Explanations.money(three, "USD", Locale.ENGLISH)).isEqualTo("$3.00");
        assertThat(Explanations.money(three, "CNY", Locale.ENGLISH)).isEqualTo("CN¥3.00");
        assertThat(Explanations.money(three, "CNY", Locale.SIMPLIFIED_CHINESE)).isEqualTo("¥3.00");
        assertThat(Explanations.money(new BigDecimal("1234.5"), "EUR", Locale.ENGLISH))
                .isEqualTo("€1,234.50");
        // the currency's own decimals: yen have none
        assertThat(Explanations.money(new BigDecimal("500"), "JPY", Locale.ENGLISH))
                .isEqualTo("¥500");
    }

    @Test
    void aCodeThatIsNoCurrencyFollowsTheNumberAndNoCurrencyLeavesItBare() {
        assertThat(Explanations.money(new BigDecimal("3.50"), "XYZ", Locale.ENGLISH))
                .isEqualTo("3.5 XYZ");
        assertThat(Explanations.money(new BigDecimal("3.50"), null, Locale.ENGLISH))
                .isEqualTo("3.5");
    }

    @Test
    void aPriceSentenceNamesTheDiscountInTheSkusCurrency() {
        assertThat(Explanations.price(
                        false,
                        List.of("cp-1"),
                        new BigDecimal("10.00"),
                        "CNY",
                        false,
                        List.of(),
                        Locale.SIMPLIFIED_CHINESE))
                .isEqualTo("这是所有人支付的统一价格，使用您的优惠券 cp-1 后减去¥10.00。");
        assertThat(Explanations.price(
                        false, List.of("cp-1"), new BigDecimal("10.00"), "USD", true, List.of(), Locale.ENGLISH))
                .startsWith("The price everyone pays, less $10.00 with your coupon cp-1.");
    }

    @Test
    void aCouponItsCampaignCanNoLongerPayIsNamedWithWhyInBothLanguages() {
        var none = BigDecimal.ZERO.setScale(2);
        assertThat(Explanations.price(false, List.of(), none, "USD", false, List.of("cp-9"), Locale.ENGLISH))
                .isEqualTo("The price everyone pays; your coupon cp-9 cannot be used on it now: the campaign's budget"
                        + " is spent.");
        assertThat(Explanations.price(false, List.of(), none, "USD", false, List.of("cp-8", "cp-9"), Locale.ENGLISH))
                .contains("your coupons cp-8 + cp-9 cannot");
        assertThat(Explanations.price(false, List.of(), none, "CNY", false, List.of("cp-9"), Locale.SIMPLIFIED_CHINESE))
                .isEqualTo("这是所有人现在支付的统一价格；您的优惠券 cp-9 现在无法用于此商品：活动预算已用完。");
        // a node before the field sends none: the sentence of a wallet without a coupon for it
        assertThat(Explanations.price(false, List.of(), none, "USD", false, null, Locale.ENGLISH))
                .isEqualTo("The price everyone pays; no coupon in your wallet applies to it.");
    }
}

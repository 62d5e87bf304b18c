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
                        false, List.of("cp-1"), new BigDecimal("10.00"), "CNY", false, Locale.SIMPLIFIED_CHINESE))
                .isEqualTo("这是所有人支付的统一价格，使用您的优惠券 cp-1 后减去¥10.00。");
        assertThat(Explanations.price(false, List.of("cp-1"), new BigDecimal("10.00"), "USD", true, Locale.ENGLISH))
                .startsWith("The price everyone pays, less $10.00 with your coupon cp-1.");
    }
}

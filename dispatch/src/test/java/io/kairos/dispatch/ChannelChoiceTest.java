package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.dispatch.ChannelChoice.Option;
import io.kairos.shopper.Profile;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelChoiceTest {
    private static final Option SMS = new Option("sms", "sms", "phone", new BigDecimal("0.05"), 0.06, true);
    private static final Option PUSH = new Option("push", "push", "", new BigDecimal("0.001"), 0.01, true);
    private static final Option EMAIL = new Option("email", "email", "email", new BigDecimal("0.002"), 0.03, true);

    private static Profile consenting(Map<String, Boolean> consent, Map<String, String> attributes) {
        return new Profile(null, null, null, null, null, null, attributes, consent, List.of(), null);
    }

    @Test
    void theDecisionsChannelIsKeptWhileItIsUsable() {
        var p = consenting(Map.of("sms", true, "push", true), Map.of("phone", "+86 138"));
        assertThat(ChannelChoice.choose("sms", List.of(SMS, PUSH), p, 1.0)).contains(SMS);
    }

    @Test
    void withoutConsentOrWhenDownTheBestExpectedMarginNetOfCostAmongTheRestWins() {
        var p = consenting(
                Map.of("sms", true, "push", true, "email", true), Map.of("phone", "+86 138", "email", "a@b.c"));
        // margin 10: sms 0.6 - 0.05 = 0.55, email 0.3 - 0.002, push 0.1 - 0.001
        assertThat(ChannelChoice.choose("wechat", List.of(SMS, PUSH, EMAIL), p, 10))
                .contains(SMS);
        // margin 1: sms 0.01, email 0.028, push 0.009
        assertThat(ChannelChoice.choose("wechat", List.of(SMS, PUSH, EMAIL), p, 1))
                .contains(EMAIL);
        var smsDown = new Option("sms", "sms", "phone", new BigDecimal("0.05"), 0.06, false);
        assertThat(ChannelChoice.choose("sms", List.of(smsDown, PUSH, EMAIL), p, 10))
                .contains(EMAIL);
        // withdrawn consent
        var noSms = consenting(Map.of("sms", false, "push", true), Map.of("phone", "+86 138"));
        assertThat(ChannelChoice.choose("sms", List.of(SMS, PUSH, EMAIL), noSms, 10))
                .contains(PUSH);
    }

    @Test
    void noConsentNoAddressOrNoPositiveMarginMeansNoChannel() {
        assertThat(ChannelChoice.choose("sms", List.of(SMS, PUSH, EMAIL), Profile.EMPTY, 10))
                .isEmpty();
        var noAddress = consenting(Map.of("email", true), Map.of());
        assertThat(ChannelChoice.choose("email", List.of(EMAIL), noAddress, 10)).isEmpty();
        var p = consenting(Map.of("sms", true), Map.of("phone", "+86 138"));
        assertThat(ChannelChoice.choose("push", List.of(SMS, PUSH), p, 0.5)).isEmpty(); // 0.03 - 0.05 < 0
    }
}

package io.kairos.pricing.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.pricing.Guardrails;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceLadderTest {

    @Test
    void containsTheListPriceAndBothBoundsAndStaysInTheRange() {
        var range = new Guardrails.Range(new BigDecimal("14.00"), new BigDecimal("26.00"), Guardrails.Guardrail.FLOOR);

        var ladder = PriceLadder.of(new BigDecimal("20.00"), range, 2.5, 2);

        assertThat(ladder).contains(new BigDecimal("14.00"), new BigDecimal("20.00"), new BigDecimal("26.00"));
        assertThat(ladder).isSorted().doesNotHaveDuplicates().allSatisfy(p -> assertThat(p)
                .isBetween(range.lower(), range.upper()));
        assertThat(ladder.get(ladder.indexOf(new BigDecimal("20.00")) + 1)).isEqualByComparingTo("20.50");
    }

    @Test
    void aVeryWideRangeIsSpannedWithABoundedNumberOfRungs() {
        var range =
                new Guardrails.Range(new BigDecimal("0.01"), new BigDecimal("10000.00"), Guardrails.Guardrail.FLOOR);

        var ladder = PriceLadder.of(new BigDecimal("50.00"), range, 2.5, 2);

        assertThat(ladder).hasSizeLessThanOrEqualTo(PriceLadder.MAX_RUNGS + 2).contains(range.lower(), range.upper());
    }
}

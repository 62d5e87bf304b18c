package io.kairos.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.pricing.Guardrails.Guardrail;
import io.kairos.pricing.SkuConfig.Policy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardrailsTest {

    private static SkuConfig config(
            String list, String cost, String floor, String ceiling, String step, String margin, String currency) {
        return new SkuConfig(
                new BigDecimal(list),
                new BigDecimal(cost),
                new BigDecimal(floor),
                new BigDecimal(ceiling),
                new BigDecimal(step),
                new BigDecimal(margin),
                Duration.ofHours(1),
                Policy.FIXED,
                SkuConfig.Objective.REVENUE,
                currency,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty());
    }

    /** The legal range of {@link #config}, which must have one. */
    private static Guardrails.Range legalRange(
            String list, String cost, String floor, String ceiling, String step, String margin, String currency) {
        return Guardrails.legalRange(config(list, cost, floor, ceiling, step, margin, currency))
                .orElseThrow();
    }

    @Test
    void theFloorOrTheMarginWhicheverIsHigherBoundsTheRangeFromBelow() {
        var byFloor = legalRange("20", "8", "14", "26", "10", "10", "EUR");
        var byMargin = legalRange("20", "13.333", "14", "26", "10", "10", "EUR");

        assertThat(byFloor.lower()).isEqualByComparingTo("14.00");
        assertThat(byFloor.lowerBoundBy()).isEqualTo(Guardrail.FLOOR);
        // 13.333 * 1.10 = 14.6663: rounded up, so the margin is never undercut by rounding
        assertThat(byMargin.lower()).isEqualByComparingTo("14.67");
        assertThat(byMargin.lowerBoundBy()).isEqualTo(Guardrail.MIN_MARGIN);
    }

    @Test
    void theMarginFloorCheckoutUsesIsCostTimesOnePlusMarginRoundedUp() {
        assertThat(Guardrails.marginFloor(config("20", "8", "14", "26", "10", "10", "EUR")))
                .isEqualByComparingTo("8.80");
        assertThat(Guardrails.marginFloor(config("20", "13.333", "14", "26", "10", "10", "EUR")))
                .isEqualByComparingTo("14.67");
        assertThat(Guardrails.marginFloor(config("2000", "999", "1400", "2600", "10", "10", "JPY")))
                .isEqualByComparingTo("1099");
    }

    @Test
    void boundsAreRoundedInwardsToTheCurrencysPrecision() {
        var eur = legalRange("20", "0", "14.001", "25.999", "10", "0", "EUR");
        var yen = legalRange("2000", "0", "1400.5", "2600.5", "10", "0", "JPY");

        assertThat(eur.lower()).isEqualByComparingTo("14.01");
        assertThat(eur.upper()).isEqualByComparingTo("25.99");
        assertThat(yen.lower()).isEqualByComparingTo("1401");
        assertThat(yen.upper()).isEqualByComparingTo("2600");
    }

    @Test
    void aMarginAboveTheCeilingLeavesNoLegalPrice() {
        var config = config("20", "25", "14", "26", "10", "10", "EUR");

        assertThat(Guardrails.legalRange(config)).isEmpty();
        assertThat(config.validate(Duration.ofMinutes(5)))
                .extracting(SkuConfig.FieldError::field)
                .containsExactly("minMarginPercent");
    }

    @Test
    void rulesBetweenFieldsAreReportedWithEveryOtherError() {
        var floorAboveCeiling = config("20", "8", "30", "26", "0", "10", "EUR");
        var marginAboveCeiling = config("20", "25", "14", "26", "10", "10", "XXX");
        var marginAboveCeilingAndNoStep = config("20", "25", "14", "26", "0", "10", "EUR");

        assertThat(floorAboveCeiling.validate(Duration.ofMinutes(5)))
                .extracting(SkuConfig.FieldError::field)
                .containsExactly("maxStepPercent", "ceiling");
        // without a currency the legal range (rounded to its minor unit) cannot be checked
        assertThat(marginAboveCeiling.validate(Duration.ofMinutes(5)))
                .extracting(SkuConfig.FieldError::field)
                .containsExactly("currency");
        assertThat(marginAboveCeilingAndNoStep.validate(Duration.ofHours(2)))
                .extracting(SkuConfig.FieldError::field)
                .containsExactly("maxStepPercent", "repriceEvery", "minMarginPercent");
    }

    @Test
    void legalisingMovesAPriceToTheNearestBoundAndNamesIt() {
        var config = config("20", "8", "14", "26", "10", "10", "EUR");

        assertThat(Guardrails.legalise(new BigDecimal("9.99"), config))
                .isEqualTo(new Guardrails.Clip(new BigDecimal("14.00"), List.of(Guardrail.FLOOR)));
        assertThat(Guardrails.legalise(new BigDecimal("30"), config))
                .isEqualTo(new Guardrails.Clip(new BigDecimal("26.00"), List.of(Guardrail.CEILING)));
        assertThat(Guardrails.legalise(new BigDecimal("19.999"), config).boundBy())
                .isEmpty();
    }

    @Test
    void aRepricingMovesAtMostOneStepAndRecordsEveryRuleThatBoundIt() {
        var config = config("20", "8", "14", "26", "10", "10", "EUR");

        var down = Guardrails.reprice(new BigDecimal("10"), new BigDecimal("20.00"), config);
        var up = Guardrails.reprice(new BigDecimal("25"), new BigDecimal("20.00"), config);
        var within = Guardrails.reprice(new BigDecimal("19.10"), new BigDecimal("20.00"), config);

        assertThat(down)
                .isEqualTo(new Guardrails.Clip(new BigDecimal("18.00"), List.of(Guardrail.FLOOR, Guardrail.MAX_STEP)));
        assertThat(up).isEqualTo(new Guardrails.Clip(new BigDecimal("22.00"), List.of(Guardrail.MAX_STEP)));
        assertThat(within.price()).isEqualByComparingTo("19.10");
        assertThat(within.boundBy()).isEmpty();
    }

    @Test
    void theStepWindowIsRoundedInwardsSoAStepNeverExceedsTheLimit() {
        var config = config("20", "0", "1", "100", "10", "0", "EUR");

        var window = Guardrails.stepWindow(new BigDecimal("19.99"), config);

        assertThat(window.lower()).isEqualByComparingTo("18.00"); // 17.991 up
        assertThat(window.upper()).isEqualByComparingTo("21.98"); // 21.989 down
    }

    @Test
    void aPriceFinerThanTheCurrencysMinorUnitIsNotLegal() {
        var yen = new Guardrails.Range(new BigDecimal("61"), new BigDecimal("114"), Guardrail.FLOOR);
        assertThat(yen.contains(new BigDecimal("61.01"))).isFalse();
        assertThat(yen.contains(new BigDecimal("61.00"))).isTrue();
        assertThat(yen.contains(new BigDecimal("100"))).isTrue();
    }
}

package io.kairos.pricing;

import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared test data: a typical SKU configuration, settings, a settable clock and a recording publisher. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2024-03-04T08:00:00Z");
    public static final DemandPrior ELASTIC_PRIOR = new DemandPrior(-3.0, 0.05, 0.5, 0.5, "test");

    private Fixtures() {}

    public static PricingSettings settings() {
        // The entity tests send Reprice or Tick themselves.
        return PricingSettings.fromConfig(ConfigFactory.parseString("reprice-timer.enabled = off")
                .atPath("kairos.pricing")
                .withFallback(ConfigFactory.load()));
    }

    /** List 20.00, cost 8.00, legal range [14.00, 26.00], 10 % step, 10 % margin, hourly. */
    public static SkuConfig config(SkuConfig.Policy policy) {
        return new SkuConfig(
                new BigDecimal("20.00"),
                new BigDecimal("8.00"),
                new BigDecimal("14.00"),
                new BigDecimal("26.00"),
                BigDecimal.TEN,
                BigDecimal.TEN,
                Duration.ofHours(1),
                policy,
                SkuConfig.Objective.REVENUE,
                "EUR",
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.of(ELASTIC_PRIOR));
    }

    public static SkuConfig withFloor(SkuConfig c, String floor) {
        return new SkuConfig(
                c.listPrice(),
                c.unitCost(),
                new BigDecimal(floor),
                c.ceiling(),
                c.maxStepPercent(),
                c.minMarginPercent(),
                c.repriceEvery(),
                c.policy(),
                c.objective(),
                c.currency(),
                c.inventory(),
                c.sellThroughBy(),
                c.competitorPrices(),
                c.prior());
    }

    public static SkuConfig withList(SkuConfig c, String list) {
        return new SkuConfig(
                new BigDecimal(list),
                c.unitCost(),
                c.floor(),
                c.ceiling(),
                c.maxStepPercent(),
                c.minMarginPercent(),
                c.repriceEvery(),
                c.policy(),
                c.objective(),
                c.currency(),
                c.inventory(),
                c.sellThroughBy(),
                c.competitorPrices(),
                c.prior());
    }

    /** Remembers every published quote. */
    public static final class RecordingPublisher implements PricePublisher {
        public final List<PriceQuote> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(PriceQuote quote) {
            published.add(quote);
        }
    }
}

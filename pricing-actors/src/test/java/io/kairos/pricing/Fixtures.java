package io.kairos.pricing;

import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
        return config(policy, sku -> {});
    }

    /** The typical SKU's configuration ({@link #config(SkuConfig.Policy)}) with the fields {@code change} sets. */
    public static SkuConfig config(SkuConfig.Policy policy, Consumer<Sku> change) {
        var sku = new Sku();
        change.accept(sku);
        return new SkuConfig(
                new BigDecimal(sku.listPrice),
                new BigDecimal(sku.unitCost),
                new BigDecimal(sku.floor),
                new BigDecimal(sku.ceiling),
                BigDecimal.TEN,
                BigDecimal.TEN,
                Duration.ofHours(1),
                policy,
                sku.objective,
                "EUR",
                sku.inventory,
                sku.sellThroughBy,
                List.of(),
                Optional.of(sku.prior));
    }

    /** The fields of the typical SKU's configuration that tests vary, with its values; amounts as written. */
    public static final class Sku {
        public String listPrice = "20.00";
        public String unitCost = "8.00";
        public String floor = "14.00";
        public String ceiling = "26.00";
        public SkuConfig.Objective objective = SkuConfig.Objective.REVENUE;
        public Optional<Long> inventory = Optional.empty();
        public Optional<Instant> sellThroughBy = Optional.empty();
        public DemandPrior prior = ELASTIC_PRIOR;

        private Sku() {}
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

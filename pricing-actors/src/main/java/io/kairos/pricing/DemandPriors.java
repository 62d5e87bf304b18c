package io.kairos.pricing;

/**
 * Supplies the demand prior of a SKU when it is configured without one. The {@code models} module's demand model plugs
 * in here; until then {@link #constant(DemandPrior)} serves the module's configured default.
 *
 * <p>Called from the entity's command handler (never from an event handler); must be fast and must not block.
 */
@FunctionalInterface
public interface DemandPriors {

    DemandPrior priorFor(String sku, SkuConfig config);

    static DemandPriors constant(DemandPrior prior) {
        return (sku, config) -> prior;
    }
}

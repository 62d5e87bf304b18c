package io.kairos.pricing;

import io.kairos.models.demand.DemandModel;
import io.kairos.models.registry.ModelRegistry;
import java.util.Optional;
import java.util.function.Function;

/**
 * Demand priors from the models registry: a SKU configured without a prior starts from the elasticity of the registry's
 * active demand model (a log-log fit over the shop's sales, {@code ./kairos train elasticity}), read at the moment of
 * configuration, so a newly promoted model applies to the SKUs configured after it.
 *
 * <p>Only the elasticity carries over. The model predicts units per period, not per product view, so the base demand
 * (units per view at the list price) and both spreads stay the configured defaults: the elasticity's spread is the
 * SKU-to-SKU spread around the category's elasticity, which the model's standard error (the uncertainty of the mean
 * alone) does not measure. Without an active model, or when its elasticity is not negative (a fit that says demand
 * rises with price is not a usable prior), the configured default applies. The prior in force is recorded in the SKU's
 * {@code Configured} event with its source ({@code model <name> v<version>} or {@code settings}).
 */
public final class ModelDemandPriors implements DemandPriors {

    private final Function<String, Optional<ModelRegistry.Active>> activeModels;
    private final String modelName;
    private final DemandPrior fallback;

    /** @param activeModels the version of a model name active right now (e.g. {@code ModelServing::active}) */
    public ModelDemandPriors(
            Function<String, Optional<ModelRegistry.Active>> activeModels, String modelName, DemandPrior fallback) {
        this.activeModels = activeModels;
        this.modelName = modelName;
        this.fallback = fallback;
    }

    @Override
    public DemandPrior priorFor(String sku, SkuConfig config) {
        var active = activeModels.apply(modelName);
        if (active.isEmpty() || !(active.get().model() instanceof DemandModel model)) return fallback;
        double elasticity = model.elasticity();
        if (!(elasticity < 0) || !Double.isFinite(elasticity)) return fallback;
        var meta = active.get().metadata();
        return new DemandPrior(
                elasticity,
                fallback.baseDemand(),
                fallback.elasticitySd(),
                fallback.baseDemandLogSd(),
                "model " + meta.name() + " v" + meta.version());
    }
}

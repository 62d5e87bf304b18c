package io.kairos.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.models.demand.DemandModel;
import io.kairos.models.registry.DirectoryModelStore;
import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.ModelRegistry;
import io.kairos.models.registry.TrainingWindow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Priors from a real model store: the promoted demand model's elasticity, else the configured prior. */
class ModelDemandPriorsTest {

    private static final DemandPrior SETTINGS = new DemandPrior(-2.0, 0.03, 1.0, 1.0, "settings");

    @TempDir
    Path dir;

    private ModelRegistry registryWith(String version, double elasticity) {
        var store = new DirectoryModelStore(dir);
        store.save(ModelCodec.demand(
                "demand",
                version,
                new DemandModel(elasticity, Map.of("all", 10.0), 10.0, 1.4),
                Instant.parse("2026-11-01T00:00:00Z"),
                new TrainingWindow("oj.csv", null, null, 100),
                Map.of(),
                Map.of()));
        store.promote("demand", version, "ops-1");
        var registry = new ModelRegistry(store);
        registry.syncWithStore();
        return registry;
    }

    @Test
    void newSkusStartFromThePromotedDemandModelsElasticity() {
        var priors = new ModelDemandPriors(registryWith("3", -3.14)::active, "demand", SETTINGS);

        var prior = priors.priorFor("tea", Fixtures.config(SkuConfig.Policy.THOMPSON));

        assertThat(prior.elasticity()).isEqualTo(-3.14);
        assertThat(prior.source()).isEqualTo("model demand v3");
        // what the model does not measure stays as configured
        assertThat(prior.baseDemand()).isEqualTo(SETTINGS.baseDemand());
        assertThat(prior.elasticitySd()).isEqualTo(SETTINGS.elasticitySd());
    }

    @Test
    void withoutAUsableModelTheConfiguredPriorApplies() {
        var empty = new ModelRegistry(new DirectoryModelStore(dir.resolve("none")));
        empty.syncWithStore();
        assertThat(new ModelDemandPriors(empty::active, "demand", SETTINGS).priorFor("tea", null))
                .isEqualTo(SETTINGS);
        // a fit saying demand rises with price is no prior
        assertThat(new ModelDemandPriors(registryWith("1", 0.4)::active, "demand", SETTINGS).priorFor("tea", null))
                .isEqualTo(SETTINGS);
        assertThat(new ModelDemandPriors(registryWith("2", -2.5)::active, "other-name", SETTINGS).priorFor("tea", null))
                .isEqualTo(SETTINGS);
    }
}

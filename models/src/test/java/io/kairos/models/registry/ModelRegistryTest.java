package io.kairos.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kairos.models.demand.DemandModel;
import io.kairos.models.lifecycle.BgNbdModel;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.OnnxUpliftScorer;
import io.kairos.models.uplift.Score;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.SyntheticLog;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.models.uplift.UpliftTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final ShopperFeatures SHOPPER = ShopperFeatures.of(Map.of("segment", "A", "noise", 0.3));
    private static final List<OfferFeatures> OFFERS = List.of(
            OfferFeatures.of("big", Map.of("type", "big", "value", 20)),
            OfferFeatures.of("small", Map.of("type", "small", "value", 5)));

    private static UpliftModel v1;
    private static UpliftModel v2;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTwoVersions() {
        var examples = new SyntheticLog(4_000, 3).examples(T0, T0.plusSeconds(4_000));
        var settings = UpliftTrainer.Settings.of(List.of("segment", "noise"), List.of("type", "value"))
                .withParams(new BoostingParams(20, 2, 0.3, 1, 1, 1, 1));
        v1 = new UpliftTrainer().train(examples, settings, "offer-uplift", "1");
        v2 = new UpliftTrainer()
                .train(
                        examples,
                        settings.withDesign(UpliftDesign.TWO_MODEL)
                                .withParams(new BoostingParams(40, 3, 0.3, 1, 1, 1, 1)),
                        "offer-uplift",
                        "2");
    }

    private static ModelArtifact artifact(UpliftModel m) {
        return ModelCodec.uplift(
                m,
                T0,
                new TrainingWindow("synthetic", T0, T0.plusSeconds(4_000), 4_000),
                Map.of("upliftAt30", 0.1),
                Map.of());
    }

    /** A directory store holding versions 1 and 2 of {@code offer-uplift}, none promoted. */
    private DirectoryModelStore storeWithBothVersions() {
        var store = new DirectoryModelStore(dir);
        store.save(artifact(v1));
        store.save(artifact(v2));
        return store;
    }

    private static void assertActive(ModelRegistry registry, String version) {
        assertThat(registry.uplift("offer-uplift").map(UpliftScorer::modelVersion))
                .contains(version);
    }

    @Test
    void storedUpliftModelScoresExactlyAsBeforeAndKeepsItsMetadata() {
        var store = new DirectoryModelStore(dir);
        store.save(artifact(v1));
        ModelArtifact loaded = store.load("offer-uplift", "1");
        assertThat(loaded.metadata().training().rows()).isEqualTo(4_000);
        assertThat(loaded.metadata().metrics()).containsEntry("upliftAt30", 0.1);
        assertThat(loaded.metadata().featureSchema().get("shopper")).isEqualTo(v1.shopperSchema());
        assertThat(loaded.metadata().properties()).containsEntry(ModelCodec.ENGINE, "OnnxRuntime");
        assertThat(ModelCodec.upliftTrees(loaded).score(SHOPPER, OFFERS)).isEqualTo(v1.score(SHOPPER, OFFERS));
        try (var served = (OnnxUpliftScorer) ModelCodec.decode(loaded)) {
            var scores = served.score(SHOPPER, OFFERS);
            for (int i = 0; i < OFFERS.size(); i++) {
                assertThat(scores.get(i).uplift())
                        .isCloseTo(v1.score(SHOPPER, OFFERS).get(i).uplift(), within(1e-5));
            }
        }
    }

    @Test
    void anArtifactStoredBeforeOnnxServingIsConvertedWhenLoaded() {
        var withOnnx = artifact(v2);
        var files = new java.util.HashMap<>(withOnnx.files());
        files.remove("model.onnx");
        var before = new ModelArtifact(withOnnx.metadata(), files);
        try (var served = (OnnxUpliftScorer) ModelCodec.decode(before)) {
            assertThat(served.score(SHOPPER, OFFERS).get(0).pWithOffer())
                    .isCloseTo(v2.score(SHOPPER, OFFERS).get(0).pWithOffer(), within(1e-5));
        }
    }

    @Test
    void lifecycleAndDemandModelsRoundTrip() {
        var store = new DirectoryModelStore(dir);
        var bg = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        var demand = new DemandModel(-3.1, Map.of("tropicana", 12.3), 11.6, 1.4);
        var window = new TrainingWindow("test", null, null, 10);
        store.save(ModelCodec.lifecycle("lifecycle", "1", bg, T0, window, Map.of(), 7));
        store.save(ModelCodec.demand("demand", "1", demand, T0, window, Map.of(), Map.of()));
        var registry = new ModelRegistry(store);
        registry.activate("lifecycle", "1");
        registry.activate("demand", "1");
        assertThat(registry.lifecycle("lifecycle")).contains(bg);
        assertThat(registry.demand("demand")).contains(demand);
        assertThatThrownBy(() -> registry.uplift("demand")).hasMessageContaining("DEMAND");
    }

    @Test
    void versionsAreImmutable() {
        var store = new DirectoryModelStore(dir);
        store.save(artifact(v1));
        assertThatThrownBy(() -> store.save(artifact(v1))).hasMessageContaining("already exists");
    }

    @Test
    void learningRunsAreKeptPerModelNewestFirst() {
        ModelStoreContract.runsComeBackNewestFirst(
                new DirectoryModelStore(dir), new DirectoryModelStore(dir), "offer-uplift");
    }

    @Test
    void promoteAndRollBack() {
        var store = storeWithBothVersions();
        assertThat(store.promoted("offer-uplift")).isEmpty();
        ModelStoreContract.promotionsAndRollbacksFormOneHistory(store, store, "offer-uplift");
        // A second store on the same directory (another process) sees the promotion.
        assertThat(new DirectoryModelStore(dir).promoted("offer-uplift")).contains("1");
    }

    @Test
    void registryFollowsTheStoresPromotions() {
        var store = storeWithBothVersions();
        var registry = new ModelRegistry(store);
        assertThat(registry.uplift("offer-uplift")).isEmpty();
        store.promote("offer-uplift", "1", "ops-1");
        assertThat(registry.syncWithStore()).isEqualTo(1);
        assertActive(registry, "1");
        assertThat(registry.syncWithStore()).isZero();
        registry.promote("offer-uplift", "2", "ops-1");
        assertActive(registry, "2");
        assertThat(store.promoted("offer-uplift")).contains("2");
        registry.rollback("offer-uplift", "ops-1");
        assertActive(registry, "1");
    }

    @Test
    void settlementsOfTheLoopsPromotionsFormOneHistory() {
        var store = storeWithBothVersions();
        ModelStoreContract.settlementsKeepOrUndoTheLoopsPromotion(store, new DirectoryModelStore(dir), "offer-uplift");
    }

    @Test
    void aPromotionByTheLoopIsWatchedWithItsChampionLoadedUntilSettled() {
        var store = storeWithBothVersions();
        var registry = new ModelRegistry(store);
        store.promote("offer-uplift", "1", ModelChange.LEARNING_LOOP);
        registry.syncWithStore();
        assertActive(registry, "1");
        assertThat(registry.watch("offer-uplift"))
                .as("the first promotion replaced the safe rule")
                .hasValueSatisfying(w -> {
                    assertThat(w.version()).isEqualTo("1");
                    assertThat(w.champion()).isNull();
                });

        store.settle("offer-uplift", "1", false, ModelChange.LEARNING_LOOP);
        assertThat(registry.syncWithStore()).isEqualTo(1);
        assertThat(registry.uplift("offer-uplift")).as("back to the safe rule").isEmpty();
        assertThat(registry.watch("offer-uplift")).isEmpty();

        store.promote("offer-uplift", "1", "ops-1");
        store.promote("offer-uplift", "2", ModelChange.LEARNING_LOOP);
        registry.syncWithStore();
        assertActive(registry, "2");
        var watch = registry.watch("offer-uplift").orElseThrow();
        assertThat(((UpliftScorer) watch.champion().model()).modelVersion()).isEqualTo("1");

        store.settle("offer-uplift", "2", true, ModelChange.LEARNING_LOOP);
        registry.syncWithStore();
        assertActive(registry, "2");
        assertThat(registry.watch("offer-uplift"))
                .as("confirmed: the watch ends")
                .isEmpty();

        store.promote("offer-uplift", "1", "ops-1");
        registry.syncWithStore();
        assertThat(registry.watch("offer-uplift"))
                .as("an operator's promotion is final")
                .isEmpty();
    }

    @Test
    void aVersionThatFailsToLoadNeverBecomesActive() throws Exception {
        var store = storeWithBothVersions();
        Files.writeString(dir.resolve("offer-uplift/2/files/model.onnx"), "not an ONNX graph");
        var registry = new ModelRegistry(store);
        registry.activate("offer-uplift", "1");
        assertThatThrownBy(() -> registry.activate("offer-uplift", "2")).isInstanceOf(IllegalArgumentException.class);
        assertActive(registry, "1");
    }

    @Test
    void readersDuringSwapsAlwaysSeeOneWholeVersion() throws Exception {
        var store = storeWithBothVersions();
        var registry = new ModelRegistry(store);
        registry.activate("offer-uplift", "1");
        Map<String, List<Score>> expected;
        try (var one = v1.serve();
                var two = v2.serve()) {
            expected = Map.of("1", one.score(SHOPPER, OFFERS), "2", two.score(SHOPPER, OFFERS));
        }
        assertThat(expected.get("1")).isNotEqualTo(expected.get("2"));
        var stop = new AtomicBoolean();
        var failures = new ConcurrentLinkedQueue<String>();
        var seen = new ConcurrentLinkedQueue<String>();
        Runnable reader = () -> {
            while (!stop.get()) {
                UpliftScorer s = registry.uplift("offer-uplift").orElseThrow();
                List<Score> got = s.score(SHOPPER, OFFERS);
                String version = got.get(0).modelVersion();
                seen.add(version);
                if (!got.equals(expected.get(version))) {
                    failures.add("version " + version + " scored " + got);
                }
            }
        };
        var threads = List.of(new Thread(reader), new Thread(reader));
        threads.forEach(Thread::start);
        for (int i = 0; i < 200; i++) {
            registry.activate("offer-uplift", i % 2 == 0 ? "2" : "1");
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(seen).contains("1", "2");
    }

    @Test
    void rejectsUnsafeNames() {
        assertThatThrownBy(() -> new DirectoryModelStore(dir).load("../etc", "1"))
                .hasMessageContaining("invalid model");
        assertThatThrownBy(() -> new DirectoryModelStore(dir).load("x", "..")).hasMessageContaining("invalid model");
    }
}

package io.kairos.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.CqlSession;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.OnnxUpliftScorer;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.SyntheticLog;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.models.uplift.UpliftTrainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Cassandra model store on a real Cassandra node: the same contract as the directory store, shared by nodes. */
class CassandraModelStoreTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static CqlSession session;
    private static String keyspace;
    private static UpliftModel model;

    @BeforeAll
    static void start() {
        keyspace = TestCassandra.shared().createSchema("models").kairosKeyspace();
        session = TestCassandra.shared().openSession();
        var examples = new SyntheticLog(2_000, 5).examples(T0, T0.plusSeconds(2_000));
        model = new UpliftTrainer()
                .train(
                        examples,
                        UpliftTrainer.Settings.of(List.of("segment", "noise"), List.of("type", "value"))
                                .withParams(new BoostingParams(10, 2, 0.3, 1, 1, 1, 1)),
                        "offer-uplift",
                        "1");
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    private static ModelArtifact artifact(String name, String version) {
        var renamed = model.withIdentity(name, version);
        return ModelCodec.uplift(
                renamed,
                T0,
                new TrainingWindow("synthetic", T0, T0.plusSeconds(2_000), 2_000),
                Map.of("qini", 0.05),
                Map.of());
    }

    private static CassandraModelStore store() {
        return new CassandraModelStore(session, keyspace);
    }

    @Test
    void aSavedVersionLoadsBackAndScoresExactlyAsBefore() {
        var store = store();
        store.save(artifact("roundtrip", "1"));
        var loaded = store.load("roundtrip", "1");
        assertThat(loaded.metadata().metrics()).containsEntry("qini", 0.05);
        var back = ModelCodec.upliftTrees(loaded);
        var shopper = ShopperFeatures.of(Map.of("segment", "A", "noise", 0.3));
        var offers = List.of(OfferFeatures.of("o", Map.of("type", "big", "value", 20)));
        assertThat(back.score(shopper, offers))
                .isEqualTo(model.withIdentity("roundtrip", "1").score(shopper, offers));
        // What a node serves is the same file, run by ONNX Runtime.
        try (var served = (OnnxUpliftScorer) ModelCodec.decode(loaded)) {
            assertThat(served.score(shopper, offers).get(0).pWithOffer())
                    .isCloseTo(back.score(shopper, offers).get(0).pWithOffer(), within(1e-5));
        }
        assertThat(store.list())
                .anyMatch(m -> m.name().equals("roundtrip") && m.version().equals("1"));
        assertThatThrownBy(() -> store.load("roundtrip", "9")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void versionsAreImmutable() {
        store().save(artifact("immutable", "1"));
        assertThatThrownBy(() -> store().save(artifact("immutable", "1"))).hasMessageContaining("already exists");
    }

    @Test
    void anotherNodeSeesTheLearningRuns() {
        ModelStoreContract.runsComeBackNewestFirst(store(), store(), "learned");
    }

    @Test
    void anotherNodeSeesPromotionsAndRollbacks() {
        var a = store();
        var b = store();
        a.save(artifact("shared", "1"));
        a.save(artifact("shared", "2"));
        ModelStoreContract.promotionsAndRollbacksFormOneHistory(a, b, "shared");
    }

    @Test
    void theLoopsSettlementsKeepOrUndoItsPromotionAcrossNodes() {
        var a = store();
        var b = store();
        a.save(artifact("settled", "1"));
        a.save(artifact("settled", "2"));
        ModelStoreContract.settlementsKeepOrUndoTheLoopsPromotion(a, b, "settled");
    }

    @Test
    void concurrentPromotionsFromManyNodesLoseNoHistory() throws Exception {
        var versions = IntStream.rangeClosed(1, 6).mapToObj(Integer::toString).toList();
        for (var v : versions) store().save(artifact("raced", v));
        var pool = Executors.newFixedThreadPool(6);
        try {
            var futures = new ArrayList<CompletableFuture<Void>>();
            for (var v : versions)
                futures.add(CompletableFuture.runAsync(() -> store().promote("raced", v, "ops-" + v), pool));
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        // every promotion happened exactly once: rolling back walks through the other five, then there is nothing left
        var seen = new ArrayList<String>();
        seen.add(store().promoted("raced").orElseThrow());
        for (int i = 0; i < 5; i++) seen.add(store().rollback("raced", "ops-r"));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(versions);
        assertThatThrownBy(() -> store().rollback("raced", "ops-r")).hasMessageContaining("no earlier");
        // and the log has each change once, with who made it
        var changes = store().changes("raced");
        assertThat(changes)
                .filteredOn(c -> c.action().equals(ModelChange.PROMOTE))
                .extracting(ModelChange::actor)
                .containsExactlyInAnyOrderElementsOf(
                        versions.stream().map(v -> "ops-" + v).toList());
        assertThat(changes.subList(0, 5)).allSatisfy(c -> assertThat(c.action()).isEqualTo(ModelChange.ROLLBACK));
    }

    @Test
    void aRegistryOnAnotherNodeFollowsThePromotionOnSync() {
        store().save(artifact("followed", "1"));
        store().save(artifact("followed", "2"));
        var nodeA = new ModelRegistry(store());
        var nodeB = new ModelRegistry(store());
        nodeA.promote("followed", "1", "ops-1");
        assertThat(nodeB.syncWithStore()).isEqualTo(1);
        assertThat(nodeB.uplift("followed").map(UpliftScorer::modelVersion)).contains("1");
        nodeA.promote("followed", "2", "ops-1");
        nodeB.syncWithStore();
        assertThat(nodeB.uplift("followed").map(UpliftScorer::modelVersion)).contains("2");
    }
}

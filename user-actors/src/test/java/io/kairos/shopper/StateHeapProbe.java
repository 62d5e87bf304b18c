package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.Config;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.bench.ShopperHeapBenchmark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The heap a shopper's state takes on its own, without its actor, two ways: built from its events (as a shopper that
 * recorded them while in memory holds it) and read back from its snapshot (as a shopper woken after a restart or a
 * passivation holds it, which is the usual case on a node that has run a while). Part of {@link ShopperHeapBenchmark}'s
 * output: what is equal across shoppers (the recording policy, SKU ids, keys) should be held once either way, so the
 * two figures should be close.
 */
public final class StateHeapProbe {
    private StateHeapProbe() {}

    public static void print(ActorSystem<?> system, Config config, int n) throws Exception {
        var rules = new ShopperRules(
                ShopperSettings.fromConfig(config.getConfig("kairos.shopper")),
                OfferSettings.fromConfig(config.getConfig("kairos.offers")));
        var rnd = new Random(12);
        var t0 = Instant.parse("2026-09-01T00:00:00Z");
        var now = t0.plus(Duration.ofDays(60));
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));

        long before = ShopperHeapBenchmark.usedAfterGc();
        var built = new ArrayList<ShopperState>(n);
        for (int i = 0; i < n; i++) {
            ShopperState s = Person.empty();
            var batch = rules.record((Person) s, ShopperHeapBenchmark.history(rnd, t0), now, null, Optional.empty());
            for (var e : batch.events()) s = s.apply(e);
            built.add(s);
        }
        long withBuilt = ShopperHeapBenchmark.usedAfterGc();

        var serializer = serialization.findSerializerFor(built.get(0));
        String manifest = Serializers.manifestFor(serializer, built.get(0));
        var snapshots = new ArrayList<byte[]>(n);
        long snapshotBytes = 0;
        for (var s : built) {
            var bytes = serialization.serialize(s).get();
            snapshots.add(bytes);
            snapshotBytes += bytes.length;
        }
        built.clear();
        long withSnapshots = ShopperHeapBenchmark.usedAfterGc();
        List<Object> readBack = new ArrayList<>(n);
        for (var bytes : snapshots)
            readBack.add(serialization
                    .deserialize(bytes, serializer.identifier(), manifest)
                    .get());
        long withReadBack = ShopperHeapBenchmark.usedAfterGc();

        System.out.printf(
                "state alone (no actor; 20 events, two orders, no offer), %d shoppers: built from its events %.0f bytes,"
                        + " read back from its snapshot %.0f bytes (snapshot %.0f bytes serialized)%n",
                n,
                (withBuilt - before) / (double) n,
                (withReadBack - withSnapshots) / (double) n,
                snapshotBytes / (double) n);
        // both lists stay reachable until here, so neither is collected between the measurements that count them
        java.lang.ref.Reference.reachabilityFence(snapshots);
        java.lang.ref.Reference.reachabilityFence(readBack);
    }
}

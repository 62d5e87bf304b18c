package io.kairos.shopper;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import com.typesafe.config.ConfigFactory;
import io.kairos.entity.EntitySettings;
import io.kairos.offer.OfferSettings;
import io.kairos.privacy.PersonKeys;

/** Shoppers behind Cluster Sharding on a one-node cluster, on the test kit's journal: as a node defines them. */
final class ShopperShards {
    private ShopperShards() {}

    /** A test kit for a one-node cluster of ten shards, {@code extraConfig} (HOCON) over it. */
    static ActorTestKit testKit(String name, String extraConfig) {
        return ActorTestKit.create(
                name,
                ConfigFactory.parseString(extraConfig)
                        .withFallback(
                                ConfigFactory.parseString(
                                        """
                akka.actor.provider = cluster
                akka.remote.artery.canonical.hostname = 127.0.0.1
                akka.remote.artery.canonical.port = 0
                akka.cluster.sharding.number-of-shards = 10
                """))
                        .withFallback(PersistenceTestKitPlugin.getInstance().config())
                        .withFallback(PersistenceTestKitSnapshotPlugin.config())
                        .withFallback(ConfigFactory.load()));
    }

    /**
     * Joins the cluster and starts the shoppers as a node does (passivated with their own stop message), without
     * campaigns or models; {@code keys}: sealed under per-person keys, null: plain journals named by shopper id.
     */
    static ClusterSharding start(ActorSystem<?> system, PersonKeys keys) {
        var cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        var sharding = ClusterSharding.get(system);
        var config = system.settings().config();
        sharding.init(ShopperEntity.entity(ShopperEntity.factory(
                ShopperSettings.fromConfig(config.getConfig("kairos.shopper")),
                EntitySettings.create(system, "shopper"),
                id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id),
                OfferServices.without(OfferSettings.fromConfig(config.getConfig("kairos.offers"))),
                keys)));
        return sharding;
    }
}

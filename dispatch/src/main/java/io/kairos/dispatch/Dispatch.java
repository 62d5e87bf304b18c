package io.kairos.dispatch;

import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import io.kairos.privacy.PersonKeys;
import io.kairos.shopper.ShopperCommand;
import io.kairos.time.NodeClock;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch on a node: the enabled channels (each a {@link ResilientChannel}), the contact-cap and delivery shards
 * (deliveries are remembered entities, so a pending delivery restarts with its shard after a crash), and the dispatch
 * projection. Call on every node after the shopper shards are initialised.
 */
public final class Dispatch {
    private static final Logger log = LoggerFactory.getLogger(Dispatch.class);

    private Dispatch() {}

    /** Starts dispatch; {@code links} fills the messages' tracking URLs. Returns the channels started. */
    public static Map<String, ResilientChannel> init(ActorSystem<?> system, TrackedLinks links) {
        var settings = DispatchSettings.create(system);
        if (!settings.enabled()) {
            log.info("Dispatch is disabled (kairos.dispatch.enabled = off)");
            return Map.of();
        }
        var channels = channels(system, settings);
        log.info("Dispatch channels: {}", channels.keySet());
        ContactCapEntity.init(system, settings);
        var sharding = ClusterSharding.get(system);
        var templates = new Templates(settings.templates());
        var session = akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry.get(system)
                .sessionFor("akka.persistence.cassandra");
        var priors = new java.util.HashMap<String, Double>();
        settings.channels().values().forEach(ch -> priors.put(ch.name(), ch.responseRate()));
        var rates = new ResponseRates(
                session,
                system.settings().config().getString("kairos.offers.cassandra.keyspace"),
                priors,
                settings.responseRatePriorWeight());
        rates.refreshEvery(settings.responseRateRefresh(), system);
        var remembered = ClusterShardingSettings.create(system)
                .withRememberEntities(true)
                .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
        var delivery = io.kairos.entity.EntitySettings.create(system, "delivery");
        sharding.init(Entity.of(
                        DeliveryEntity.ENTITY_KEY,
                        ctx -> DeliveryEntity.create(
                                ctx.getEntityId(),
                                new DeliveryEntity.Env(
                                        settings,
                                        channels,
                                        id -> sharding.entityRefFor(ShopperCommand.ENTITY_KEY, id),
                                        id -> sharding.entityRefFor(ContactCapEntity.ENTITY_KEY, id),
                                        PersonKeys.get(system),
                                        rates::rate,
                                        templates,
                                        links,
                                        NodeClock.get(system).clock(),
                                        delivery,
                                        Optional.of(ctx.getShard()))))
                .withSettings(remembered));
        DispatchProjection.init(
                system, id -> sharding.entityRefFor(DeliveryEntity.ENTITY_KEY, id), rates, settings.askTimeout());
        return channels;
    }

    /** Every Up member runs dispatch (the projection spreads over all of them), so each takes this share of a rate. */
    private static int upMembers(ActorSystem<?> system) {
        int up = 0;
        for (var member : Cluster.get(system).state().getMembers()) if (member.status() == MemberStatus.up()) up++;
        return up;
    }

    static Map<String, ResilientChannel> channels(ActorSystem<?> system, DispatchSettings settings) {
        var out = new LinkedHashMap<String, ResilientChannel>();
        for (var ch : settings.channels().values()) {
            if (!ch.enabled()) continue;
            Channel channel =
                    switch (ch.kind()) {
                        case "webhook" ->
                            new WebhookChannel(
                                    ch.name(),
                                    ch.raw().getString("url"),
                                    ch.raw().getString("secret"),
                                    system,
                                    Clock.systemUTC());
                        case "email" -> new EmailChannel(ch, system);
                        default ->
                            throw new IllegalArgumentException(
                                    "kairos.dispatch.channels." + ch.name() + ".kind: unknown kind " + ch.kind());
                    };
            out.put(ch.name(), new ResilientChannel(channel, ch, system, () -> upMembers(system)));
        }
        return Map.copyOf(out);
    }
}

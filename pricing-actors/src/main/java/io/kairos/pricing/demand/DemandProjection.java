package io.kairos.pricing.demand;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.query.Offset;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.cassandra.javadsl.CassandraProjection;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.GroupedProjection;
import akka.projection.javadsl.SourceProvider;
import com.typesafe.config.Config;
import io.kairos.pricing.PriceView;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperJournal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The demand feed of the pricing entities: an Akka Projection over the shopper journal's tags ({@code shopper-0} …
 * {@code shopper-(N-1)}), one instance per tag, spread over the cluster by {@link ShardedDaemonProcess}, with its
 * offsets in Cassandra ({@code akka.projection.cassandra.offset-store}, keyspace {@code kairos}).
 *
 * <p>At-least-once: events are handed to {@link DemandHandler} in groups of at most {@code group-size} (or what arrived
 * within {@code group-within}), and a group's offset is stored only after its handler stage completed, i.e. after every
 * SKU acknowledged its demand. A crash between the acknowledgements and the offset write redelivers the group; the SKU
 * entities drop what they already recorded. Demand for SKUs the node's {@link PriceView} does not know is skipped,
 * except during {@code view-warm-up} after the node starts, when the view may still be filling (the remembered SKU
 * entities republish their prices as they recover): then every SKU is asked, and an unconfigured one acknowledges the
 * demand as ignored and passivates.
 */
public final class DemandProjection {

    /** The projection's name in the offset store; the key is the shopper tag. */
    public static final String NAME = "pricing-demand";

    private DemandProjection() {}

    /** The {@code kairos.pricing.demand-projection} subtree. */
    public record Settings(
            int groupSize,
            Duration groupWithin,
            Duration askTimeout,
            Duration minBackoff,
            Duration maxBackoff,
            Duration viewWarmUp) {

        public static Settings create(ActorSystem<?> system) {
            return fromConfig(system.settings().config().getConfig("kairos.pricing.demand-projection"));
        }

        public static Settings fromConfig(Config c) {
            return new Settings(
                    c.getInt("group-size"),
                    c.getDuration("group-within"),
                    c.getDuration("ask-timeout"),
                    c.getDuration("restart-backoff.min"),
                    c.getDuration("restart-backoff.max"),
                    c.getDuration("view-warm-up"));
        }
    }

    /** Starts one projection instance per shopper tag on this cluster (call on every node, after the SKU shards). */
    public static void init(ActorSystem<?> system) {
        var settings = Settings.create(system);
        List<String> tags = ShopperEvent.tags(system);
        var isPriced = pricedOrWarmingUp(PriceView.get(system), settings.viewWarmUp());
        ShardedDaemonProcess.get(system)
                .init(
                        ProjectionBehavior.Command.class,
                        NAME,
                        tags.size(),
                        i -> ProjectionBehavior.create(projection(system, tags.get(i), settings, isPriced)),
                        ShardedDaemonProcessSettings.create(system),
                        Optional.of(ProjectionBehavior.stopMessage()));
    }

    /** The projection of one tag (the daemon process runs one per tag; tests may run one directly). */
    public static GroupedProjection<Offset, EventEnvelope<ShopperEvent>> projection(
            ActorSystem<?> system, String tag, Settings settings, Predicate<String> isPriced) {
        SourceProvider<Offset, EventEnvelope<ShopperEvent>> source = ShopperJournal.byTag(system, tag);
        var sharding = ClusterSharding.get(system);
        return CassandraProjection.groupedWithin(
                        ProjectionId.of(NAME, tag),
                        source,
                        () -> new DemandHandler(
                                sku -> sharding.entityRefFor(SkuPricingEntity.ENTITY_KEY, sku),
                                isPriced,
                                settings.askTimeout(),
                                system.scheduler()))
                .withGroup(settings.groupSize(), settings.groupWithin())
                .withRestartBackoff(settings.minBackoff(), settings.maxBackoff(), 0.2);
    }

    /** True for a SKU the view knows, and for every SKU until {@code warmUp} has passed since this call. */
    public static Predicate<String> pricedOrWarmingUp(PriceView view, Duration warmUp) {
        long warmUntil = System.nanoTime() + warmUp.toNanos();
        return sku -> view.contains(sku) || System.nanoTime() - warmUntil < 0;
    }
}

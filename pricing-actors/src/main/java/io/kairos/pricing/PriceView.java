package io.kairos.pricing;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorSettings;
import com.typesafe.config.Config;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The node-local view of every SKU's price, so that a price read never asks an entity: one per node (an Akka
 * extension), read synchronously from any thread.
 *
 * <p>Entities publish each change of their quote; the view writes it to a last-writer-wins map in Akka Distributed
 * Data, on a dedicated replicator (its short intervals don't touch the cluster's default one), with {@code WriteAll},
 * so the write is sent to every node at once; each node's subscriber copies the map into a concurrent hash map at every
 * change notification. A quote carries a version that grows with every change; the register's timestamp is that
 * version, a replica never overwrites a newer version, and the local copy keeps the highest version it has seen, so
 * neither clock skew between nodes nor a late notification brings an older price back.
 *
 * <p>Staleness: on the publishing node a read sees the change as soon as the entity has persisted it. On any other
 * reachable node, within one network hop plus {@code notify-subscribers-interval} (100 ms by default) of the write; if
 * that direct write is lost, gossip repairs it within a few {@code gossip-interval}s. The documented bound is
 * {@code kairos.pricing.view.staleness-bound} = 1 s, measured by {@code ./kairos bench-pricing} (BENCHMARKS.md);
 * {@code PriceViewClusterTest} checks that changes converge. After a full cluster restart the view is empty until the
 * SKU entities start (they are remembered entities, restarted by sharding) and republish on recovery.
 */
public final class PriceView implements Extension, PricePublisher {

    private static final String REPLICATOR_NAME = "kairosPriceReplicator";

    private final ActorRef<Replicator.Command> replicator;
    private final SelfUniqueAddress node;
    private final List<Key<LWWMap<String, PriceQuote>>> keys;
    private final Replicator.WriteConsistency writeAll;
    private final ActorRef<Replicator.UpdateResponse<LWWMap<String, PriceQuote>>> ignoreReplies;
    private final ConcurrentHashMap<String, PriceQuote> prices = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<PriceQuote>> listeners = new CopyOnWriteArrayList<>();

    /**
     * The register's timestamp is the quote's version, so merges between replicas keep the newest price whatever the
     * nodes' clocks say. (Akka's default clock, wall time, would let a stale write from a skewed node win.)
     */
    private static final LWWRegister.Clock<PriceQuote> VERSION_CLOCK = (currentTimestamp, quote) -> quote.version();

    private PriceView(ActorSystem<?> system) {
        var settings = PricingSettings.create(system);
        this.node = DistributedData.get(system).selfUniqueAddress();
        this.keys = IntStream.range(0, settings.view().buckets())
                .mapToObj(i -> LWWMapKey.<String, PriceQuote>create("kairos-prices-" + i))
                .toList();
        this.writeAll = new Replicator.WriteAll(settings.view().writeTimeout());
        this.ignoreReplies = system.ignoreRef();
        Config config = system.settings().config();
        var replicatorConfig = config.getConfig("kairos.pricing.view.replicator")
                .withFallback(config.getConfig("akka.cluster.distributed-data"));
        this.replicator = system.systemActorOf(
                Replicator.behavior(ReplicatorSettings.create(replicatorConfig)), REPLICATOR_NAME, Props.empty());
        system.systemActorOf(subscriber(), "kairosPriceViewSubscriber", Props.empty());
    }

    public static PriceView get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** The price of a SKU as this node knows it; empty for a SKU that was never priced (or not yet seen here). */
    public Optional<PriceQuote> price(String sku) {
        return Optional.ofNullable(prices.get(sku));
    }

    /** The prices of the SKUs this node knows among {@code skus}, in the order asked; unknown SKUs are absent. */
    public Map<String, PriceQuote> prices(Collection<String> skus) {
        var out = new LinkedHashMap<String, PriceQuote>();
        for (var sku : skus) {
            var q = prices.get(sku);
            if (q != null) out.put(sku, q);
        }
        return out;
    }

    /** SKUs this node's view holds. */
    public int size() {
        return prices.size();
    }

    /** Whether {@code sku} is in the view or there is room for one more (fewer than {@code maxSkus}). */
    public boolean hasRoomFor(String sku, int maxSkus) {
        return prices.containsKey(sku) || prices.size() < maxSkus;
    }

    /** Whether a SKU has a price: the demand projection uses it to skip SKUs that are not dynamically priced. */
    public boolean contains(String sku) {
        return prices.containsKey(sku);
    }

    @Override
    public void publish(PriceQuote quote) {
        merge(quote);
        var key = keys.get(Math.abs(quote.sku().hashCode() % keys.size()));
        replicator.tell(new Replicator.Update<>(
                key,
                LWWMap.create(),
                writeAll,
                ignoreReplies,
                map -> newer(map, quote) ? map.put(node, quote.sku(), quote, VERSION_CLOCK) : map));
    }

    /** A replica never replaces a quote by an older or equal version (a stale incarnation, a republish). */
    private static boolean newer(LWWMap<String, PriceQuote> map, PriceQuote quote) {
        var existing = map.get(quote.sku());
        return existing.isEmpty() || existing.get().version() < quote.version();
    }

    private void merge(PriceQuote quote) {
        var before = prices.get(quote.sku());
        var after = prices.merge(quote.sku(), quote, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        if (after != before && (before == null || after.version() > before.version())) {
            listeners.forEach(l -> l.accept(after));
        }
    }

    /**
     * Calls {@code listener} with every quote this node learns that is newer than the one it had (on the thread that
     * learns it: keep it short), until the returned handle is closed. Shopper streams push price changes this way.
     */
    public AutoCloseable onChange(Consumer<PriceQuote> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private Behavior<Replicator.SubscribeResponse<LWWMap<String, PriceQuote>>> subscriber() {
        return Behaviors.setup(ctx -> {
            for (var key : keys) replicator.tell(new Replicator.Subscribe<>(key, ctx.getSelf()));
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<LWWMap<String, PriceQuote>> changed) {
                    changed.dataValue().getEntries().values().forEach(this::merge);
                }
                return Behaviors.same();
            });
        });
    }

    /** The extension's id. */
    public static final class Id extends ExtensionId<PriceView> {
        static final Id INSTANCE = new Id();

        @Override
        public PriceView createExtension(ActorSystem<?> system) {
            return new PriceView(system);
        }
    }
}

package io.kairos.offer.bench;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import io.kairos.entity.EntitySettings;
import io.kairos.privacy.MemoryPersonKeys;
import io.kairos.privacy.Seals;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperSettings;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Heap per active shopper: {@code N} shopper entities through Cluster Sharding, each with a realistic history (a
 * profile, 20 behaviour events: app opens, searches, views and clicks over 8 SKUs in 4 categories, add-to-carts and two
 * orders; then one decision, which issues an offer), all in memory; the used heap after full GCs, before and after,
 * divided by {@code N}. Beside it, in the same JVM and run, the reference: {@code N} bare persistent actors through
 * sharding (an {@code int} state, one persisted event each). The journal keeps nothing ({@link DiscardingJournal}), so
 * only the entities count; campaigns and models (the safe rule) are set up before the baseline.
 *
 * <p>Run: {@code mvn -B -q -pl user-actors -am -DskipTests -Dheap-bench verify} (shoppers in {@code -Dbench.args},
 * default {@code 10000}; {@code -Dbench.args="10000 histogram"} also prints, for the classes that grew most, the bytes
 * per shopper beside the bytes per bare actor). Shoppers are sealed under per-person keys as on a node, the keys held
 * by {@link MemoryPersonKeys}, made before the baseline and reported apart (they stand for a node's key caches, a pool
 * bounded by {@code kairos.privacy.cache-size}); with {@code plain} among the arguments, journals are plain and named
 * by shopper id.
 */
public final class ShopperHeapBenchmark {
    private static final EntityTypeKey<Bare.Add> BARE = EntityTypeKey.create(Bare.Add.class, "Bare");

    /**
     * The benchmark's ask timeout. A completed ask's timeout stays in the scheduler's wheel (cancelled) until it would
     * have fired, so each phase waits that long before it measures: the heap counts what the entities hold, not the
     * benchmark's own asks (their task holders and queue nodes were about 130 bytes per shopper and 225 per bare actor
     * otherwise).
     */
    private static final Duration ASK = Duration.ofSeconds(10);

    private ShopperHeapBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        var config = DecisionBenchmark.config(
                """
            akka.actor.provider = cluster
            akka.remote.artery.canonical.hostname = 127.0.0.1
            akka.remote.artery.canonical.port = 0
            akka.cluster.sharding.passivation.strategy = none
            """
                        + DiscardingJournal.CONFIG);
        var testKit = ActorTestKit.create("heap", config);
        try {
            var system = testKit.system();
            var cluster = Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            while (cluster.selfMember().status() != akka.cluster.MemberStatus.up()) Thread.sleep(100);

            var services = DecisionBenchmark.services(testKit, config, Optional::empty);
            var shopperSettings = ShopperSettings.fromConfig(config.getConfig("kairos.shopper"));
            for (int c = 0; c < 4; c++) DecisionBenchmark.createCampaign(testKit, services, c);

            var sharding = ClusterSharding.get(system);
            var entity = EntitySettings.create(system, "shopper");
            Function<String, akka.actor.typed.RecipientRef<ShopperCommand>> refs =
                    id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
            // as ShopperEntity.init builds a node's shoppers: one factory, what all share built once; sealed under
            // per-person keys as on a node (the keys in memory here: their maps stand for the node's key caches), or
            // with "plain" journals named by shopper id
            boolean plain = List.of(args).contains("plain");
            var keys = plain ? null : new MemoryPersonKeys(Seals.create(system));
            var shopperOf = ShopperEntity.factory(shopperSettings, entity, refs, services, keys);
            sharding.init(ShopperEntity.entity(shopperOf));
            sharding.init(Entity.of(BARE, ctx -> new Bare(ctx.getEntityId())));
            // one of each first, so that the classes, the shard regions and the dispatchers exist before the baseline
            populate(testKit, sharding, "warm-", 100);
            bare(testKit, sharding, "warm-", 100);

            System.out.printf(
                    "nproc %d, java %s, max heap %d MiB, %d shoppers%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20,
                    n);
            boolean histogram = args.length > 1 && args[1].equals("histogram");
            if (keys != null) {
                // Each person's pseudonym and key, made before the baseline: on a node they are the key caches, a pool
                // bounded by kairos.privacy.cache-size whatever the number of shoppers, so they are reported apart.
                long noKeys = usedAfterGc();
                for (int i = 0; i < n; i++) keys.resolve("s-" + i);
                System.out.printf(
                        "person keys: %d made before the baseline, %.0f bytes each (a node's key caches)%n",
                        n, (usedAfterGc() - noKeys) / (double) n);
            }
            var atStart = histogram ? histogram() : Map.<String, Long>of();
            long before = usedAfterGc();
            long start = System.nanoTime();
            long offers = populate(testKit, sharding, "s-", n);
            long shoppers = usedAfterGc();
            System.out.printf(
                    "shoppers: %d in memory (%d offers issued) in %.1f s; heap %.1f → %.1f MiB: %.0f bytes per shopper%n",
                    n,
                    offers,
                    (System.nanoTime() - start) / 1e9,
                    before / 1048576.0,
                    shoppers / 1048576.0,
                    (shoppers - before) / (double) n);
            var withShoppers = histogram ? histogram() : Map.<String, Long>of();
            bare(testKit, sharding, "b-", n);
            long bare = usedAfterGc();
            if (histogram) printGrowth(atStart, withShoppers, histogram(), n, 90);
            System.out.printf(
                    "reference: %d bare persistent actors (int state, one event each); heap %.1f → %.1f MiB: %.0f bytes"
                            + " per actor%n",
                    n, shoppers / 1048576.0, bare / 1048576.0, (bare - shoppers) / (double) n);
            System.out.printf(
                    "ratio shopper ÷ bare actor = %.1f%n", (shoppers - before) / (double) Math.max(1, bare - shoppers));
            io.kairos.shopper.StateHeapProbe.print(system, config, n);
        } finally {
            testKit.shutdownTestKit();
        }
    }

    /** Gives {@code n} shoppers their history and one decision each; answers the offers issued. */
    private static long populate(ActorTestKit testKit, ClusterSharding sharding, String prefix, int n)
            throws Exception {
        var rnd = new Random(11);
        var pending = new ArrayList<CompletableFuture<?>>();
        var offers = new java.util.concurrent.atomic.AtomicLong();
        var t0 = DecisionBenchmark.NOW.minus(Duration.ofDays(60));
        for (int i = 0; i < n; i++) {
            var ref = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, prefix + i);
            var events = history(rnd, t0);
            var profile = DecisionBenchmark.profile(rnd, Map.of("email", true));
            var now = DecisionBenchmark.NOW;
            pending.add(ref.<ShopperCommand.ShopperReply>ask(
                            r -> new ShopperCommand.UpdateProfile(profile, null, now, r), ASK)
                    .toCompletableFuture()
                    .thenCompose(p -> ref.<ShopperCommand.Recorded>ask(
                                    r -> new ShopperCommand.RecordEvents(events, now, r), ASK)
                            .toCompletableFuture())
                    .thenCompose(rec -> ref.<ShopperCommand.DecideReply>ask(
                                    r -> new ShopperCommand.DecideOffers(null, now, r), ASK)
                            .toCompletableFuture())
                    .thenAccept(reply -> {
                        if (reply instanceof ShopperCommand.Decided d)
                            offers.addAndGet(d.offers().size());
                    }));
            if (pending.size() >= 256) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .get(120, TimeUnit.SECONDS);
                pending.clear();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return offers.get();
    }

    /**
     * One shopper's realistic history: 20 behaviour events over 60 days from {@code t0} (app opens, searches, views and
     * clicks over 8 SKUs in 4 categories, add-to-carts, two orders).
     */
    public static List<BehaviourEvent> history(Random rnd, Instant t0) {
        var events = new ArrayList<BehaviourEvent>();
        for (int e = 0; e < 20; e++) {
            var at = t0.plus(Duration.ofHours(70L * e + rnd.nextInt(24)));
            var sku = "sku-" + rnd.nextInt(8);
            var category = "cat-" + rnd.nextInt(4);
            var type = List.of(
                            EventType.APP_OPEN,
                            EventType.SEARCH,
                            EventType.VIEW,
                            EventType.VIEW,
                            EventType.CLICK,
                            EventType.ADD_TO_CART,
                            EventType.VIEW,
                            EventType.VIEW,
                            EventType.ORDER,
                            EventType.VIEW)
                    .get(e % 10);
            var event = BehaviourEvent.of("e-" + e, type, at).withCategory(category);
            if (type == EventType.VIEW || type == EventType.CLICK || type == EventType.ADD_TO_CART)
                event = event.withSku(sku, type == EventType.ADD_TO_CART ? 1 : null);
            if (type == EventType.ORDER)
                event = event.withOrder("o-" + e, new BigDecimal(20 + rnd.nextInt(80) + ".50"));
            events.add(event);
        }
        return events;
    }

    private static void bare(ActorTestKit testKit, ClusterSharding sharding, String prefix, int n) throws Exception {
        var pending = new ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < n; i++) {
            var ref = sharding.entityRefFor(BARE, prefix + i);
            pending.add(ref.<Integer>ask(Bare.Add::new, ASK).toCompletableFuture());
            if (pending.size() >= 512) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
                pending.clear();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Bytes by class, from this JVM's {@code GC.class_histogram} diagnostic command (which runs a full GC first). */
    private static Map<String, Long> histogram() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        var text = (String) server.invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
        var bytes = new java.util.HashMap<String, Long>();
        for (var line : text.split("\n")) {
            var cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[0].endsWith(":")) bytes.merge(cols[3], Long.parseLong(cols[2]), Long::sum);
        }
        return bytes;
    }

    /**
     * Where the heap went, by class: bytes per shopper (histogram with shoppers minus before) beside bytes per bare
     * actor (after the bare actors minus with shoppers), the {@code top} classes by bytes per shopper.
     */
    private static void printGrowth(
            Map<String, Long> start, Map<String, Long> shoppers, Map<String, Long> bare, int n, int top) {
        System.out.printf("%-90s %10s %10s%n", "class", "B/shopper", "B/bare");
        shoppers.keySet().stream()
                .sorted(java.util.Comparator.comparingLong(
                        (String c) -> -(shoppers.get(c) - start.getOrDefault(c, 0L))))
                .limit(top)
                .forEach(c -> System.out.printf(
                        "%-90s %10.1f %10.1f%n",
                        c,
                        (shoppers.get(c) - start.getOrDefault(c, 0L)) / (double) n,
                        (bare.getOrDefault(c, 0L) - shoppers.get(c)) / (double) n));
    }

    public static long usedAfterGc() throws InterruptedException {
        Thread.sleep(ASK.toMillis() + 1_000);
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The reference: a persistent actor with an int state that persists one event per command. */
    static final class Bare extends EventSourcedBehavior<Bare.Add, Bare.Added, Integer> {
        record Add(ActorRef<Integer> replyTo) implements CborSerializable {}

        record Added() implements CborSerializable {}

        Bare(String id) {
            super(PersistenceId.of("Bare", id));
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public CommandHandler<Add, Added, Integer> commandHandler() {
            return (state, add) ->
                    Effect().persist(new Added()).thenRun(s -> add.replyTo().tell(s));
        }

        @Override
        public EventHandler<Integer, Added> eventHandler() {
            return (state, added) -> state + 1;
        }
    }
}

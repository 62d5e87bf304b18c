package io.kairos.offer.bench;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.campaign.LocalCampaignCatalogue;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftExample;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.models.uplift.UpliftTrainer;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.TimedScorer;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.shopper.OfferServices;
import io.kairos.shopper.Profile;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperSettings;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Decision latency of {@code POST /v1/shoppers/{id}/offers/decide} at the shopper actor: a full decision per request
 * (the planner's rules, one batched model call on the model dispatcher, ranking and exploration, the budget reservation
 * with the campaign entity, and the persist of the offer with its decision record), with the shopper already in memory.
 * Requests are sent open-loop at a fixed rate, latency measured from each request's scheduled time (so a stall counts
 * against every request it delays). The model is an XGBoost S-learner trained here (200 trees of depth 3 plus an
 * order-value model) on synthetic rows with Kairos's own feature names, served as the node serves it: converted to one
 * ONNX graph and run through DJL's ONNX Runtime engine. 10 campaigns give each decision 10 candidates. Persistence is
 * {@link DiscardingJournal} (every event serialized as a journal plugin would, then dropped) and local-file snapshots:
 * this measures the decision path, not Cassandra (whose write adds its own latency, see ops/cassandra's README).
 * {@code -Dbench.journal=inmem} uses Akka's in-memory journal instead, with every event's CBOR round trip checked
 * ({@code test-serialization}), as the benchmark did before 2026-12-07: it keeps every event on the heap.
 *
 * <p>Prints p50/p90/p99/p99.9/max, the rate achieved, and the share of decision time spent inside the model call. Run:
 * {@code mvn -B -q -pl user-actors -am -DskipTests -Doffers-bench verify} (arguments in {@code -Dbench.args}:
 * {@code rate seconds}, default {@code 200 30}; JVM options in {@code -Dbench.jvm}).
 */
public final class DecisionBenchmark {
    static final Instant NOW = Instant.parse("2026-11-10T12:00:00Z");
    private static final int CAMPAIGNS = 10;

    private DecisionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int requests = rate * seconds;
        int warmupRequests = Math.max(2_000, rate * 10);
        System.out.printf(
                "nproc %d, load average %s, java %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"));

        // -Dbench.engine=java-trees: the same trees walked in plain Java (the pre-DJL serving path), for comparison.
        var trained = trainModel();
        var model =
                new TimedScorer("java-trees".equals(System.getProperty("bench.engine")) ? trained : trained.serve());
        System.out.println("engine: " + model.engine());
        var config = config(
                "inmem".equals(System.getProperty("bench.journal"))
                        ? """
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.journal.inmem.test-serialization = on
            """
                        : DiscardingJournal.CONFIG);
        var testKit = ActorTestKit.create("bench", config);
        try {
            var services = services(testKit, config, () -> java.util.Optional.of(model));
            var offerSettings = services.settings();
            var catalogue = services.catalogue();
            var scoring = services.scoring();
            var shopperSettings = ShopperSettings.fromConfig(config.getConfig("kairos.shopper"));
            // Offers are what is measured: no contact cap, so every request of a fresh shopper decides with every
            // campaign.
            var uncapped =
                    new OfferServices(offerSettings.withContactCapMax(0), catalogue, services.campaigns(), scoring);
            for (int c = 0; c < CAMPAIGNS; c++) createCampaign(testKit, services, c);

            int shoppers = requests + warmupRequests;
            var refs = new ArrayList<ActorRef<ShopperCommand>>(shoppers);
            System.out.printf(
                    "spawning %d shoppers and recording one event each (shoppers in memory before the run)%n",
                    shoppers);
            var rnd = new Random(7);
            for (int i = 0; i < shoppers; i++) {
                var id = "bench-" + i;
                var ref = testKit.spawn(
                        ShopperEntity.create(
                                id,
                                shopperSettings,
                                io.kairos.entity.EntitySettings.create(testKit.system(), "shopper"),
                                x -> refs.get(Integer.parseInt(x.substring(6))),
                                uncapped),
                        id);
                refs.add(ref);
            }
            var setup = new ArrayList<CompletableFuture<?>>();
            for (int i = 0; i < shoppers; i++) {
                var ref = refs.get(i);
                var events = List.of(
                        BehaviourEvent.of("b-" + i + "-v", EventType.VIEW, NOW.minusSeconds(3600))
                                .withCategory("cat-" + rnd.nextInt(5)),
                        BehaviourEvent.of("b-" + i + "-c", EventType.ADD_TO_CART, NOW.minusSeconds(1800)));
                var profile = profile(rnd, Map.of());
                setup.add(AskPattern.<ShopperCommand, ShopperCommand.ShopperReply>ask(
                                ref,
                                r -> new ShopperCommand.UpdateProfile(profile, null, NOW, r),
                                Duration.ofSeconds(30),
                                testKit.scheduler())
                        .toCompletableFuture());
                setup.add(AskPattern.<ShopperCommand, ShopperCommand.Recorded>ask(
                                ref,
                                r -> new ShopperCommand.RecordEvents(events, NOW, r),
                                Duration.ofSeconds(30),
                                testKit.scheduler())
                        .toCompletableFuture());
                if (setup.size() >= 512) {
                    CompletableFuture.allOf(setup.toArray(CompletableFuture[]::new))
                            .get(60, TimeUnit.SECONDS);
                    setup.clear();
                }
            }
            CompletableFuture.allOf(setup.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            System.out.printf("warm-up: %d decisions at %d/s%n", warmupRequests, rate);
            run(testKit, refs.subList(requests, shoppers), rate, model);
            model.reset();
            System.out.printf(
                    "measured: %d decisions at %d/s, one per shopper, %d candidates each%n", requests, rate, CAMPAIGNS);
            // -Dbench.training=on: the learning loop trains in the same process meanwhile, as a node that runs the
            // loop does (one thread, XGBoost with one thread), challenger after challenger; =process: in a JVM of its
            // own at SCHED_IDLE priority (-Dbench.training.nice=idle|N), as `./kairos learn` does.
            var mode = System.getProperty("bench.training", "off");
            var training = mode.equals("on") ? new Trainer() : null;
            var trainingProcess = mode.equals("process") ? startTrainingProcess() : null;
            var result = run(testKit, refs.subList(0, requests), rate, model);
            if (training != null) training.stop();
            if (trainingProcess != null) stopTrainingProcess(trainingProcess);
            result.print();
            System.out.printf("load average after the run %s%n", loadAverage());
        } finally {
            testKit.shutdownTestKit();
        }
    }

    /**
     * Latencies in microseconds, from each request's scheduled send time to its reply; with the JVM's GC pause time and
     * the platform's hiccups during the run (how late a thread that sleeps 1 ms wakes up, as jHiccup measures it),
     * which tell a slow decision path from a machine that did not run the JVM.
     */
    record Result(
            long[] micros,
            double achievedRate,
            long offersIssued,
            long modelCalls,
            long modelNanos,
            long decisionNanos,
            long gcMillis,
            long gcCount,
            long[] hiccupMicros) {
        void print() {
            var sorted = micros.clone();
            Arrays.sort(sorted);
            System.out.printf(
                    "decision latency: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms  (achieved %.0f req/s, %d offers issued)%n",
                    pct(sorted, 50) / 1e3,
                    pct(sorted, 90) / 1e3,
                    pct(sorted, 99) / 1e3,
                    pct(sorted, 99.9) / 1e3,
                    sorted[sorted.length - 1] / 1e3,
                    achievedRate,
                    offersIssued);
            System.out.printf(
                    "model: %d batched calls, mean %.1f us per call; share of decision time inside the model call: %.1f %%%n",
                    modelCalls,
                    modelCalls == 0 ? 0 : modelNanos / 1e3 / modelCalls,
                    100.0 * modelNanos / decisionNanos);
            var h = hiccupMicros.clone();
            Arrays.sort(h);
            System.out.printf(
                    "during the run: GC %d collections, %d ms paused; platform hiccups (1 ms sleeps woken late) p99 %.1f ms, max %.1f ms%n",
                    gcCount, gcMillis, h.length == 0 ? 0 : pct(h, 99) / 1e3, h.length == 0 ? 0 : h[h.length - 1] / 1e3);
        }

        static double pct(long[] sorted, double p) {
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    private static Result run(
            ActorTestKit testKit, List<ActorRef<ShopperCommand>> shoppers, int rate, TimedScorer model)
            throws Exception {
        int n = shoppers.size();
        var micros = new long[n];
        var issued = new AtomicLong();
        var decisionNanos = new AtomicLong();
        var done = new CompletableFuture<?>[n];
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        var sender = Executors.newSingleThreadExecutor();
        var hiccups = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
        var measuring = new java.util.concurrent.atomic.AtomicBoolean(true);
        var meter = new Thread(
                () -> {
                    while (measuring.get()) {
                        long t0 = System.nanoTime();
                        LockSupport.parkNanos(1_000_000L);
                        hiccups.add(Math.max(0, (System.nanoTime() - t0 - 1_000_000L) / 1_000));
                    }
                },
                "hiccup-meter");
        meter.setDaemon(true);
        long gcMillisBefore = gcMillis();
        long gcCountBefore = gcCount();
        meter.start();
        try {
            sender.submit(() -> {
                        for (int i = 0; i < n; i++) {
                            long intended = start + i * period;
                            long wait;
                            while ((wait = intended - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                            int index = i;
                            var ref = shoppers.get(i);
                            done[i] = AskPattern.<ShopperCommand, ShopperCommand.DecideReply>ask(
                                            ref,
                                            r -> new ShopperCommand.DecideOffers(null, NOW, r),
                                            Duration.ofSeconds(30),
                                            testKit.scheduler())
                                    .thenAccept(reply -> {
                                        long took = System.nanoTime() - intended;
                                        micros[index] = took / 1_000;
                                        decisionNanos.addAndGet(took);
                                        if (reply instanceof ShopperCommand.Decided f
                                                && !f.offers().isEmpty()) issued.incrementAndGet();
                                    })
                                    .toCompletableFuture();
                        }
                    })
                    .get();
            CompletableFuture.allOf(done).get(120, TimeUnit.SECONDS);
        } finally {
            sender.shutdownNow();
            measuring.set(false);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(
                micros,
                n / elapsed,
                issued.get(),
                model.calls.get(),
                model.nanos.get(),
                decisionNanos.get(),
                gcMillis() - gcMillisBefore,
                gcCount() - gcCountBefore,
                hiccups.stream().mapToLong(Long::longValue).toArray());
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
    }

    private static long gcCount() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionCount()))
                .sum();
    }

    /**
     * The offer services of a benchmark: settings from {@code config}, a local campaign catalogue, campaign entities
     * spawned on first use, and scoring with {@code model} (empty: the safe rule) on the model dispatcher.
     */
    /** A benchmark's configuration: {@code extra}, warnings only, and snapshots in a fresh temporary directory. */
    static com.typesafe.config.Config config(String extra) throws java.io.IOException {
        var snapshots = Files.createTempDirectory("kairos-bench-snapshots-");
        return ConfigFactory.parseString(extra)
                .withFallback(ConfigFactory.parseString(
                        """
            akka.loglevel = WARNING
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.local"
            akka.persistence.snapshot-store.local.dir = "%s"
            """
                                .formatted(snapshots.toString().replace("\\", "/"))))
                .withFallback(ConfigFactory.load());
    }

    static OfferServices services(
            ActorTestKit testKit,
            com.typesafe.config.Config config,
            java.util.function.Supplier<java.util.Optional<UpliftScorer>> model) {
        var offerSettings = OfferSettings.fromConfig(config.getConfig("kairos.offers"));
        var campaignSettings = CampaignSettings.fromConfig(
                config.getConfig("kairos.campaign"),
                io.kairos.entity.EntitySettings.fromConfig(config.getConfig("kairos.entities"), "campaign"));
        var catalogue = new LocalCampaignCatalogue();
        var campaigns = new ConcurrentHashMap<String, ActorRef<CampaignEntity.Command>>();
        var executor = testKit.system()
                .dispatchers()
                .lookup(akka.actor.typed.DispatcherSelector.fromConfig(offerSettings.modelDispatcher()));
        var scoring = new OfferScoring(model, executor, offerSettings.modelTimeout(), offerSettings.safeRule());
        return new OfferServices(
                offerSettings,
                catalogue,
                id -> campaigns.computeIfAbsent(
                        id,
                        k -> testKit.spawn(
                                CampaignEntity.create(k, campaignSettings, catalogue, Clock.systemUTC()),
                                "campaign-" + k)),
                scoring);
    }

    /** A benchmark shopper's profile: a random region and membership, with {@code consent}. */
    static Profile profile(Random rnd, Map<String, Boolean> consent) {
        return new Profile(
                null,
                null,
                rnd.nextBoolean() ? "north" : "south",
                rnd.nextBoolean(),
                null,
                null,
                Map.of(),
                consent,
                List.of(),
                null);
    }

    static void createCampaign(ActorTestKit testKit, OfferServices services, int i) throws Exception {
        var types = new Coupon[] {
            new Coupon(CouponType.AMOUNT_OFF, new BigDecimal(3 + i), null, null, List.of(), List.of(), "store"),
            new Coupon(
                    CouponType.PERCENT_OFF,
                    new BigDecimal(10 + i),
                    null,
                    new BigDecimal("20"),
                    List.of(),
                    List.of(),
                    "store"),
            new Coupon(
                    CouponType.THRESHOLD_AMOUNT_OFF,
                    new BigDecimal(5 + i),
                    new BigDecimal("50"),
                    null,
                    List.of(),
                    List.of(),
                    null),
            new Coupon(CouponType.FREE_SHIPPING, new BigDecimal("6"), null, null, List.of(), List.of(), "shipping")
        };
        var objective = i % 2 == 0 ? Campaign.Objective.ACTIVATION : Campaign.Objective.GMV;
        var c = new Campaign(
                "camp-" + i,
                "bench " + i,
                types[i % types.length],
                new BigDecimal("100000000"),
                7,
                NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)),
                Campaign.Eligibility.ANYONE,
                Campaign.Caps.NONE,
                0,
                List.of(Campaign.IN_APP),
                objective,
                Campaign.PacingMode.ASAP,
                0.3,
                null,
                null,
                null);
        AskPattern.<CampaignEntity.Command, CampaignEntity.CampaignReply>ask(
                        services.campaigns().apply(c.campaignId()),
                        r -> new CampaignEntity.Create(c, NOW, "bench", r),
                        Duration.ofSeconds(10),
                        testKit.scheduler())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Trains challengers back to back on one thread until stopped, as the learning loop's dispatcher would. */
    private static final class Trainer {
        private final java.util.concurrent.atomic.AtomicBoolean running =
                new java.util.concurrent.atomic.AtomicBoolean(true);
        private final java.util.concurrent.atomic.AtomicInteger trained =
                new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;
        private final long started = System.nanoTime();

        Trainer() {
            thread = new Thread(
                    () -> {
                        while (running.get()) {
                            trainModel(UpliftDesign.TWO_MODEL, new BoostingParams(100, 3, 0.1, 5, 0.8, 1, 42), false);
                            trained.incrementAndGet();
                        }
                    },
                    "learning-loop-training");
            thread.setDaemon(true);
            thread.start();
            System.out.println("training challengers in the background (two-model, 100 trees of depth 3, 30,000 rows)");
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            System.out.printf(
                    "background training: %d challengers trained in %.1f s%n",
                    trained.get(), (System.nanoTime() - started) / 1e9);
        }
    }

    private static UpliftModel trainModel() {
        return trainModel(UpliftDesign.SINGLE_MODEL, BoostingParams.defaults(), true);
    }

    /** The training JVM of {@code -Dbench.training=process}: trains challengers until killed. */
    public static final class TrainingProcess {
        public static void main(String[] args) throws Exception {
            var trainer = new Trainer();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    trainer.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static Process startTrainingProcess() throws java.io.IOException {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString();
        // -Dbench.training.nice=idle: Linux's SCHED_IDLE policy (chrt --idle 0), as `./kairos learn` runs where it can;
        // a number N: nice -n N
        var priority = System.getProperty("bench.training.nice", "idle");
        var lower = priority.equals("idle") ? List.of("chrt", "--idle", "0") : List.of("nice", "-n", priority);
        var command = new ArrayList<>(lower);
        command.addAll(List.of(
                javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"), TrainingProcess.class.getName()));
        var process = new ProcessBuilder(command).inheritIO().start();
        System.out.println("training challengers in a JVM of its own at " + String.join(" ", lower) + " (pid "
                + process.pid() + ")");
        return process;
    }

    private static void stopTrainingProcess(Process process) throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** An XGBoost uplift model on synthetic rows named as Kairos's decision features (DecisionFeatures). */
    private static UpliftModel trainModel(UpliftDesign design, BoostingParams params, boolean verbose) {
        var rnd = new Random(42);
        var rows = new ArrayList<UpliftExample>();
        var types = List.of("amount_off", "percent_off", "threshold_amount_off", "free_shipping");
        for (int i = 0; i < 30_000; i++) {
            boolean north = rnd.nextBoolean();
            double views = rnd.nextInt(20);
            Map<String, Object> shopper = Map.of(
                    "frequency",
                    (double) rnd.nextInt(5),
                    "monetary",
                    rnd.nextDouble() * 300,
                    "eventCount",
                    (double) rnd.nextInt(50),
                    "views",
                    views,
                    "carts",
                    (double) rnd.nextInt(3),
                    "stage",
                    rnd.nextBoolean() ? "new" : "active",
                    "region",
                    north ? "north" : "south");
            boolean treated = rnd.nextDouble() < 0.8;
            var type = types.get(rnd.nextInt(types.size()));
            double value = 3 + rnd.nextInt(15);
            Map<String, Object> offer = treated
                    ? Map.of(
                            "couponType",
                            type,
                            "value",
                            value,
                            "maxCost",
                            value,
                            "channel",
                            "in_app",
                            "campaignId",
                            "camp-" + rnd.nextInt(CAMPAIGNS))
                    : Map.of();
            double p = 0.05 + 0.01 * views / 4 + (treated ? (north ? 0.06 : 0.02) + value / 400 : 0);
            boolean converted = rnd.nextDouble() < p;
            rows.add(new UpliftExample(
                    shopper,
                    offer,
                    treated,
                    treated ? 0.8 : 0.2,
                    converted ? 1 : 0,
                    converted ? 30 + value * 2 + rnd.nextGaussian() * 5 : Double.NaN));
        }
        var settings = UpliftTrainer.Settings.of(
                        List.of("frequency", "monetary", "eventCount", "views", "carts", "stage", "region"),
                        List.of("couponType", "value", "maxCost", "channel", "campaignId"))
                .withParams(params)
                .withDesign(design);
        if (verbose)
            System.out.println(
                    "training the uplift model (200 trees of depth 3 + order-value model) on 30,000 synthetic rows");
        return new UpliftTrainer().train(rows, settings, "offer-uplift", "bench");
    }

    private static String loadAverage() {
        try {
            var parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return String.format(
                    "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
        }
    }
}

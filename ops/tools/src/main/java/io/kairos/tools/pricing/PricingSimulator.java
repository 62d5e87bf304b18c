package io.kairos.tools.pricing;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.pricing.DemandObservation;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.DemandPriors;
import io.kairos.pricing.PriceDecision;
import io.kairos.pricing.PricePublisher;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuConfig.Policy;
import io.kairos.pricing.SkuPricingEntity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * Runs SKUs with hidden demand curves against the real pricing entities, on a simulated hourly clock, and compares each
 * policy's revenue with the clairvoyant {@link Oracle}'s.
 *
 * <p>Every policy prices its own copy of each SKU (its own entity, persisted in the in-memory journal). Each hour, the
 * same shoppers arrive for every copy (common random numbers: a viewer's buying draw is shared, so policies differ only
 * by the prices they post); each copy is sent what its shoppers did at its posted price ({@code RecordDemand}), then
 * {@code Reprice(end of hour)}. Time exists only in those commands.
 */
public final class PricingSimulator {

    public static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
    private static final double EXTRA_UNITS_MEAN = HiddenDemand.UNITS_PER_BUYER - 1;

    /**
     * What to simulate.
     *
     * @param pricingOverrides {@code kairos.pricing} settings to override, e.g. {@code thompson.hours-per-daypart=6}
     * @param prior the demand prior every SKU starts from (default: {@link SimulatedSku#CATEGORY_PRIOR})
     */
    public record Settings(
            int skus,
            int days,
            long seed,
            List<Policy> policies,
            Map<String, String> pricingOverrides,
            DemandPrior prior) {

        public Settings(int skus, int days, long seed, List<Policy> policies, Map<String, String> pricingOverrides) {
            this(skus, days, seed, policies, pricingOverrides, SimulatedSku.CATEGORY_PRIOR);
        }

        public Settings {
            policies = List.copyOf(policies);
            pricingOverrides = Map.copyOf(pricingOverrides);
            if (skus < 1 || days < 1) throw new IllegalArgumentException("skus and days must be at least 1");
        }
    }

    /**
     * One policy's outcome: realised revenue (what its shoppers paid) and expected revenue (the same prices under the
     * hidden curves' means), each also as a share of the oracle's.
     */
    public record PolicyResult(
            double revenue,
            double ratioToOracle,
            double expectedRevenue,
            double expectedRatioToOracle,
            Map<HiddenDemand.Family, Double> ratioByFamily,
            long failedDecisions) {}

    public record Result(
            int skus,
            int days,
            long seed,
            double oracleRevenue,
            double oracleExpectedRevenue,
            Map<Policy, PolicyResult> policies) {}

    private PricingSimulator() {}

    public static Result run(Settings settings) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.<Void>empty(), "pricing-sim", config(settings));
        try {
            return new Run(system, settings).execute();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }

    static Config config(Settings settings) {
        var overrides = new StringBuilder();
        settings.pricingOverrides().forEach((k, v) -> overrides
                .append("kairos.pricing.")
                .append(k)
                .append(" = ")
                .append(v)
                .append('\n'));
        return ConfigFactory.parseString(overrides.toString())
                .withFallback(ConfigFactory.parseString(
                        """
            akka.actor.provider = local
            # Through SLF4J (the launcher's logback writes to stderr), never Akka's stdout logger: pricing-sim
            # --json must be the only thing on stdout.
            akka.loggers = ["akka.event.slf4j.Slf4jLogger"]
            akka.logging-filter = "akka.event.slf4j.Slf4jLoggingFilter"
            akka.stdout-loglevel = OFF
            akka.loglevel = ERROR
            akka.log-dead-letters = off
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.no-snapshot-store"
            kairos.entities.sku-pricing.snapshot-every = 0
            kairos.pricing.reprice-timer.enabled = off
            kairos.pricing.random-seed = %d
            """
                                .formatted(settings.seed())))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    /** The state of one simulation run. */
    private static final class Run {
        private final ActorSystem<Void> system;
        private final Settings settings;
        private final List<SimulatedSku> skus = new ArrayList<>();
        private final Map<Policy, List<ActorRef<SkuCommand>>> entities = new EnumMap<>(Policy.class);
        private final Map<Policy, BigDecimal[]> posted = new EnumMap<>(Policy.class);
        private final Map<Policy, double[]> revenue = new EnumMap<>(Policy.class);
        private final Map<Policy, double[]> expected = new EnumMap<>(Policy.class);
        private final Map<Policy, AtomicLong> failures = new EnumMap<>(Policy.class);
        private final double[] oracleRevenue;
        private final double[] oracleExpected;

        Run(ActorSystem<Void> system, Settings settings) {
            this.system = system;
            this.settings = settings;
            for (int i = 0; i < settings.skus(); i++) {
                skus.add(SimulatedSku.draw(i, settings.seed(), settings.days(), Policy.FIXED, settings.prior()));
            }
            oracleRevenue = new double[settings.skus()];
            oracleExpected = new double[settings.skus()];
        }

        Result execute() {
            var pricing = PricingSettings.create(system);
            var env = new SkuPricingEntity.Env(
                    pricing,
                    Clock.fixed(START, ZoneOffset.UTC),
                    DemandPriors.constant(settings.prior()),
                    PricePublisher.none(),
                    Optional.empty());
            var configured = new ArrayList<CompletableFuture<?>>();
            for (var policy : settings.policies()) {
                var refs = new ArrayList<ActorRef<SkuCommand>>();
                var prices = new BigDecimal[skus.size()];
                for (int k = 0; k < skus.size(); k++) {
                    var sku = skus.get(k).withPolicy(policy);
                    String id = policy.wireName() + "-" + sku.id();
                    var ref = system.systemActorOf(SkuPricingEntity.create(id, "sim", env), id, Props.empty());
                    refs.add(ref);
                    int index = k;
                    configured.add(ask(
                                    ref,
                                    (ActorRef<SkuCommand.ConfigureReply> r) ->
                                            new SkuCommand.Configure(sku.config(), START, "pricing-simulator", r))
                            .thenAccept(reply -> prices[index] =
                                    ((SkuCommand.ConfigAccepted) reply).quote().price())
                            .toCompletableFuture());
                }
                entities.put(policy, refs);
                posted.put(policy, prices);
                revenue.put(policy, new double[skus.size()]);
                expected.put(policy, new double[skus.size()]);
                failures.put(policy, new AtomicLong());
            }
            CompletableFuture.allOf(configured.toArray(CompletableFuture[]::new))
                    .join();

            var oracles = skus.stream().map(Oracle::new).toList();
            int periods = settings.days() * 24;
            for (int t = 0; t < periods; t++) step(t, oracles);
            return result();
        }

        /** One hour: shoppers arrive, buy at each copy's posted price, and every copy is told and repriced. */
        private void step(int t, List<Oracle> oracles) {
            Instant start = START.plus(Duration.ofHours(t));
            Instant end = start.plus(Duration.ofHours(1));
            int hour = start.atZone(ZoneOffset.UTC).getHour();
            var pending = new ArrayList<CompletableFuture<?>>();
            for (int k = 0; k < skus.size(); k++) {
                var demand = skus.get(k).demand();
                double meanViews = demand.expectedViews(start, t / 24);
                var shoppers = Shoppers.draw(settings.seed(), k, t, meanViews);

                double oraclePrice = oracles.get(k).priceFor(hour).doubleValue();
                double q = demand.buyProbability(oraclePrice, hour);
                oracleRevenue[k] += oraclePrice * shoppers.unitsBought(q);
                oracleExpected[k] += oraclePrice * q * meanViews * HiddenDemand.UNITS_PER_BUYER;

                for (var policy : settings.policies()) {
                    BigDecimal price = posted.get(policy)[k];
                    double p = price.doubleValue();
                    double buy = demand.buyProbability(p, hour);
                    long units = shoppers.unitsBought(buy);
                    revenue.get(policy)[k] += p * units;
                    expected.get(policy)[k] += p * buy * meanViews * HiddenDemand.UNITS_PER_BUYER;
                    var observation = new DemandObservation(
                            "sim:" + k + ":" + t,
                            start.plus(Duration.ofMinutes(30)),
                            shoppers.views(),
                            shoppers.buyers(Math.min(1.0, buy * 1.6)),
                            shoppers.buyers(buy),
                            units);
                    var ref = entities.get(policy).get(k);
                    var prices = posted.get(policy);
                    var failed = failures.get(policy);
                    int index = k;
                    pending.add(ask(
                                    ref,
                                    (ActorRef<SkuCommand.DemandAck> r) ->
                                            new SkuCommand.RecordDemand(List.of(observation), r))
                            .thenCompose(ack ->
                                    ask(ref, (ActorRef<SkuCommand.RepriceResult> r) -> new SkuCommand.Reprice(end, r)))
                            .thenAccept(result -> {
                                prices[index] = result.quote().orElseThrow().price();
                                if (result.decision()
                                        .filter(d -> d.model().equals(PriceDecision.POLICY_FAILED))
                                        .isPresent()) {
                                    failed.incrementAndGet();
                                }
                            })
                            .toCompletableFuture());
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }

        private <Q, R> CompletionStage<R> ask(ActorRef<Q> ref, akka.japi.function.Function<ActorRef<R>, Q> message) {
            return AskPattern.ask(ref, message, ASK_TIMEOUT, system.scheduler());
        }

        private Result result() {
            double oracleTotal = sum(oracleRevenue);
            double oracleExpectedTotal = sum(oracleExpected);
            var results = new LinkedHashMap<Policy, PolicyResult>();
            for (var policy : settings.policies()) {
                double total = sum(revenue.get(policy));
                double expectedTotal = sum(expected.get(policy));
                var byFamily = new EnumMap<HiddenDemand.Family, Double>(HiddenDemand.Family.class);
                for (var family : HiddenDemand.Family.values()) {
                    double mine = 0;
                    double best = 0;
                    for (int k = 0; k < skus.size(); k++) {
                        if (skus.get(k).demand().family() != family) continue;
                        mine += expected.get(policy)[k];
                        best += oracleExpected[k];
                    }
                    if (best > 0) byFamily.put(family, mine / best);
                }
                results.put(
                        policy,
                        new PolicyResult(
                                total,
                                total / oracleTotal,
                                expectedTotal,
                                expectedTotal / oracleExpectedTotal,
                                byFamily,
                                failures.get(policy).get()));
            }
            return new Result(
                    settings.skus(), settings.days(), settings.seed(), oracleTotal, oracleExpectedTotal, results);
        }

        private static double sum(double[] values) {
            double s = 0;
            for (double v : values) s += v;
            return s;
        }
    }

    /**
     * The viewers of one SKU in one hour, shared by every policy's copy: each viewer's uniform buying draw and the
     * units they would take. A viewer buys at buying probability q when the draw is below q.
     */
    record Shoppers(double[] draws, int[] units) {

        static Shoppers draw(long seed, int sku, int hour, double meanViews) {
            var rng = new Well19937c(new int[] {(int) seed, (int) (seed >>> 32), sku, hour});
            int n = meanViews > 0
                    ? new PoissonDistribution(
                                    rng,
                                    meanViews,
                                    PoissonDistribution.DEFAULT_EPSILON,
                                    PoissonDistribution.DEFAULT_MAX_ITERATIONS)
                            .sample()
                    : 0;
            var extra = new PoissonDistribution(
                    rng,
                    EXTRA_UNITS_MEAN,
                    PoissonDistribution.DEFAULT_EPSILON,
                    PoissonDistribution.DEFAULT_MAX_ITERATIONS);
            double[] draws = new double[n];
            int[] units = new int[n];
            for (int i = 0; i < n; i++) {
                draws[i] = rng.nextDouble();
                units[i] = 1 + extra.sample();
            }
            return new Shoppers(draws, units);
        }

        long views() {
            return draws.length;
        }

        long buyers(double q) {
            long n = 0;
            for (double d : draws) if (d < q) n++;
            return n;
        }

        long unitsBought(double q) {
            long n = 0;
            for (int i = 0; i < draws.length; i++) if (draws[i] < q) n += units[i];
            return n;
        }
    }
}

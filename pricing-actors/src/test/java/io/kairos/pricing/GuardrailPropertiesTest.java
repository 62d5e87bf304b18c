package io.kairos.pricing;

import static io.kairos.pricing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.kairos.pricing.PriceDecision.Reason;
import io.kairos.pricing.SkuConfig.Objective;
import io.kairos.pricing.SkuConfig.Policy;
import io.kairos.pricing.SkuPricingEntity.Event;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import io.kairos.pricing.SkuPricingEntity.PriceHeld;
import io.kairos.pricing.SkuPricingState.Priced;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * No sequence of configurations (valid or not), demand observations (late, duplicated, invalid), repricings, timer
 * ticks and restarts leaves a SKU with a price outside its guardrails, moves a repriced price more than one step, or
 * reprices more often than the cadence.
 */
class GuardrailPropertiesTest {

    private static ActorTestKit testKit;
    private static final AtomicInteger ids = new AtomicInteger();

    @BeforeContainer
    static void start() {
        testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    }

    @AfterContainer
    static void stop() {
        testKit.shutdownTestKit();
    }

    sealed interface Action {}

    record Configure(SkuConfig config) implements Action {}

    /** Moves the clock forward, then sends Reprice(now) or, through the injected clock, a timer tick. */
    record Reprice(Duration advance, boolean viaTick) implements Action {}

    /** Observations at {@code now - ago}; a reused event id is a duplicate the feed redelivered. */
    record Record(List<Observation> observations) implements Action {}

    record Observation(int eventId, Duration ago, long views, long units, boolean valid) {}

    record Restart() implements Action {}

    @Property(tries = 80)
    void thePriceStaysWithinTheGuardrailsWhateverHappens(@ForAll("scenarios") List<Action> actions) {
        var clock = new io.kairos.time.ManualClock(T0);
        var env = new SkuPricingEntity.Env(
                Fixtures.settings(),
                clock,
                DemandPriors.constant(Fixtures.ELASTIC_PRIOR),
                PricePublisher.none(),
                Optional.empty());
        EventSourcedBehaviorTestKit<SkuCommand, Event, SkuPricingState> kit = EventSourcedBehaviorTestKit.create(
                testKit.system(), SkuPricingEntity.create("prop-" + ids.incrementAndGet(), "sku-0", env));
        Instant now = T0;
        Optional<Instant> lastDecision = Optional.empty();

        for (var action : actions) {
            List<Event> events = List.of();
            if (action instanceof Configure c) {
                now = now.plusSeconds(1);
                var at = now;
                var result = kit.<SkuCommand.ConfigureReply>runCommand(
                        r -> new SkuCommand.Configure(c.config(), at, "ops-1", r));
                boolean valid = c.config()
                        .validate(Fixtures.settings().minRepriceEvery())
                        .isEmpty();
                assertThat((result.reply() instanceof SkuCommand.ConfigAccepted))
                        .isEqualTo(valid);
                events = result.events();
            } else if (action instanceof Reprice r) {
                now = now.plus(r.advance());
                clock.set(now);
                var at = now;
                events = r.viaTick()
                        ? kit.runCommand(SkuCommand.Tick.INSTANCE).events()
                        : kit.<SkuCommand.RepriceResult>runCommand(ref -> new SkuCommand.Reprice(at, ref))
                                .events();
            } else if (action instanceof Record rec) {
                var at = now;
                var observations = rec.observations().stream()
                        .map(o -> new DemandObservation(
                                "e" + o.eventId(),
                                at.minus(o.ago()),
                                o.valid() ? o.views() : -1,
                                0,
                                o.units() > 0 ? 1 : 0,
                                o.units()))
                        .toList();
                events = kit.<SkuCommand.DemandAck>runCommand(ref -> new SkuCommand.RecordDemand(observations, ref))
                        .events();
            } else {
                var before = kit.getState();
                kit.restart();
                assertThat(kit.getState()).isEqualTo(before);
            }

            if (!(kit.getState() instanceof Priced priced)) continue;
            var config = priced.config();
            var range = Guardrails.legalRange(config).orElseThrow();
            assertThat(range.contains(priced.price()))
                    .as("price %s in %s", priced.price(), range)
                    .isTrue();
            var marginFloor = config.unitCost()
                    .multiply(BigDecimal.ONE.add(config.minMarginPercent().movePointLeft(2)));
            assertThat(priced.price()).isGreaterThanOrEqualTo(marginFloor);
            assertThat(priced.price().scale()).isLessThanOrEqualTo(config.scale());
            for (var event : events) {
                PriceDecision decision;
                if (event instanceof PriceChanged changed) {
                    decision = changed.decision();
                    if (decision.reason() == Reason.REPRICE) {
                        var previous = changed.previousPrice().orElseThrow();
                        var step = config.maxStepPercent().movePointLeft(2);
                        assertThat(changed.price())
                                .isBetween(
                                        previous.multiply(BigDecimal.ONE.subtract(step)),
                                        previous.multiply(BigDecimal.ONE.add(step)));
                    }
                } else if (event instanceof PriceHeld held) {
                    decision = held.decision();
                } else {
                    continue;
                }
                if (decision.reason() == Reason.CONFIG) continue;
                if (decision.reason() == Reason.REPRICE) {
                    var since = lastDecision.orElseThrow();
                    assertThat(decision.at()).isAfterOrEqualTo(since.plus(config.repriceEvery()));
                }
                lastDecision = Optional.of(decision.at());
            }
        }
    }

    @Provide
    Arbitrary<List<Action>> scenarios() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, configs().map(Configure::new)),
                net.jqwik.api.Tuple.of(6, reprices()),
                net.jqwik.api.Tuple.of(5, records()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart())));
        // Start from a valid configuration most of the time, so that most steps exercise a priced SKU.
        return Combinators.combine(
                        validConfigs().map(Configure::new), action.list().ofMaxSize(40))
                .as((first, rest) -> {
                    var all = new ArrayList<Action>();
                    all.add(first);
                    all.addAll(rest);
                    return List.copyOf(all);
                });
    }

    private Arbitrary<Action> reprices() {
        var minutes = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 90), Arbitraries.integers().between(90, 60 * 24 * 3));
        return Combinators.combine(minutes, Arbitraries.of(true, false))
                .as((m, tick) -> new Reprice(Duration.ofMinutes(m), tick));
    }

    private Arbitrary<Action> records() {
        var observation = Combinators.combine(
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(0, 60 * 24 * 40).map(Duration::ofMinutes),
                        Arbitraries.longs().between(0, 500),
                        Arbitraries.longs().between(0, 30),
                        Arbitraries.of(true, true, true, false))
                .as(Observation::new);
        return observation.list().ofMinSize(1).ofMaxSize(6).map(Record::new);
    }

    private Arbitrary<SkuConfig> validConfigs() {
        return configs()
                .filter(c -> c.validate(Fixtures.settings().minRepriceEvery()).isEmpty());
    }

    private record Prices(BigDecimal list, double floor, double ceiling, double cost, int marginPercent) {}

    private record Rules(
            int stepPercent,
            Duration cadence,
            Policy policy,
            Objective objective,
            Optional<Long> inventory,
            String currency) {}

    /** Configurations around a list price; some are invalid (empty legal range, too short a cadence). */
    private Arbitrary<SkuConfig> configs() {
        var prices = Combinators.combine(
                        Arbitraries.bigDecimals()
                                .between(BigDecimal.ONE, new BigDecimal("200"))
                                .ofScale(2),
                        Arbitraries.doubles().between(0.3, 1.2),
                        Arbitraries.doubles().between(0.9, 2.0),
                        Arbitraries.doubles().between(0.0, 1.1),
                        Arbitraries.integers().between(0, 60))
                .as(Prices::new);
        var rules = Combinators.combine(
                        Arbitraries.integers().between(1, 50),
                        Arbitraries.of(
                                Duration.ofMinutes(1),
                                Duration.ofMinutes(5),
                                Duration.ofMinutes(30),
                                Duration.ofHours(1),
                                Duration.ofHours(6)),
                        Arbitraries.of(Policy.class),
                        Arbitraries.of(Objective.class),
                        Arbitraries.longs().between(0, 1000).optional(0.4),
                        Arbitraries.of("EUR", "JPY", "EUR", "USD"))
                .as(Rules::new);
        return Combinators.combine(prices, rules).as((p, r) -> {
            var floor = p.list().multiply(BigDecimal.valueOf(p.floor())).setScale(2, RoundingMode.HALF_EVEN);
            var ceiling = floor.multiply(BigDecimal.valueOf(p.ceiling())).setScale(2, RoundingMode.HALF_EVEN);
            var cost = p.list().multiply(BigDecimal.valueOf(p.cost())).setScale(2, RoundingMode.HALF_EVEN);
            return new SkuConfig(
                    p.list(),
                    cost,
                    floor,
                    ceiling,
                    BigDecimal.valueOf(r.stepPercent()),
                    BigDecimal.valueOf(p.marginPercent()),
                    r.cadence(),
                    r.policy(),
                    r.objective(),
                    r.currency(),
                    r.inventory(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty());
        });
    }
}

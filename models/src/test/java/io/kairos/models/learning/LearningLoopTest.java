package io.kairos.models.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.models.registry.DirectoryModelStore;
import io.kairos.models.registry.ModelChange;
import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.TrainingRun;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.DecisionLogSource;
import io.kairos.models.uplift.FixedUplift;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.UpliftDesign;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop on a log with a known truth: shoppers in the north buy 20 % of the time without an offer and 60 %
 * with one; in the south, 20 % without and 10 % with one (the offer puts them off). The logging policy held out 30 %
 * and issued the offer to half of the rest, recording both propensities. Visits are noise.
 */
class LearningLoopTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final FixedUplift SAFE_RULE = new FixedUplift("safe-rule", "1", Map.of(), 0.02, 0.05, Double.NaN);
    private static final LoggedDecision.Action OFFER =
            new LoggedDecision.Action("c1", Map.of("couponType", "amount_off"), "profit", 0.3, 40, 5, 0);

    @TempDir
    Path dir;

    private static LearningLoop.Settings settings() {
        return new LearningLoop.Settings(
                "offer-uplift",
                Duration.ofDays(28),
                0.4,
                200,
                200,
                0.05,
                300,
                UpliftDesign.TWO_MODEL,
                new BoostingParams(60, 2, 0.1, 5, 1.0, 1, 1),
                Set.of());
    }

    /** {@code n} decisions over the last day, each by its own shopper. */
    static List<LoggedDecision> log(int n, long seed) {
        var random = new Random(seed);
        var out = new ArrayList<LoggedDecision>();
        for (int i = 0; i < n; i++) {
            boolean north = random.nextBoolean();
            boolean holdout = random.nextDouble() < 0.3;
            boolean treated = !holdout && random.nextBoolean();
            if (!holdout && !treated) continue; // "no offer" by the policy: not a training row
            double rate = north ? (treated ? 0.6 : 0.2) : (treated ? 0.1 : 0.2);
            boolean converted = random.nextDouble() < rate;
            out.add(new LoggedDecision(
                    "d" + i,
                    NOW.minus(Duration.ofDays(1)).plusSeconds(i),
                    Map.of("region", north ? "north" : "south", "visits", random.nextInt(10)),
                    treated ? OFFER.offer() : Map.of(),
                    holdout,
                    holdout ? 0.3 : 0.7 * 0.5,
                    converted,
                    converted ? 40 : Double.NaN,
                    "s" + i,
                    OFFER));
        }
        return out;
    }

    private static DecisionLogSource source(List<LoggedDecision> rows) {
        return (from, to) -> rows.stream()
                .filter(d -> !d.decidedAt().isBefore(from) && d.decidedAt().isBefore(to));
    }

    @Test
    void aChallengerLearnedFromTheLogReplacesTheSafeRuleAndAWorseOneDoesNotReplaceIt() {
        var store = new DirectoryModelStore(dir);
        var rows = log(6000, 1);
        var champion = new java.util.concurrent.atomic.AtomicReference<LearningLoop.Champion>(
                new LearningLoop.Champion("safe-rule@1", SAFE_RULE));
        LearningLoop.Promoter promoter = (name, version) -> {
            store.promote(name, version, LearningLoop.ACTOR);
            var model = ModelCodec.upliftTrees(store.load(name, version));
            champion.set(new LearningLoop.Champion(name + "@" + version, model));
        };
        var loop = new LearningLoop(source(rows), store, champion::get, promoter, CLOCK, line -> {});
        var anHourLater = new LearningLoop(
                source(rows), store, champion::get, promoter, Clock.offset(CLOCK, Duration.ofHours(1)), line -> {});

        var first = loop.run(settings(), "schedule", null);

        assertThat(first.verdict()).as("%s", first.reason()).isEqualTo(TrainingRun.PROMOTED);
        assertThat(first.champion()).isEqualTo("safe-rule@1");
        assertThat(first.challenger()).isEqualTo("1");
        assertThat(store.promoted("offer-uplift")).contains("1");
        // the safe rule issues nothing here; treating only the north earns about 0.9 more per decision
        var c = first.comparison();
        assertThat(c.difference().low()).isGreaterThan(0.3);
        assertThat(c.difference().estimate()).isBetween(0.5, 1.4);
        assertThat(first.training().decisions() + first.evaluation().decisions())
                .isEqualTo(rows.size());
        assertThat(first.evaluation().from()).isAfterOrEqualTo(first.training().to());

        // a challenger that may not see the region cannot tell the shoppers apart: it is worse, and stays a challenger
        var second = anHourLater.run(settings().alsoExcluding(Set.of("region")), "operator", "ops-1");

        assertThat(second.verdict()).as("%s", second.reason()).isEqualTo(TrainingRun.KEPT);
        assertThat(second.champion()).isEqualTo("offer-uplift@1");
        assertThat(second.challenger()).isEqualTo("2");
        assertThat(second.comparison().difference().estimate()).isNegative();
        assertThat(second.reason()).contains("not better than offer-uplift@1");
        assertThat(store.promoted("offer-uplift")).contains("1");
        assertThat(store.load("offer-uplift", "2").metadata().properties()).containsEntry("trainedBy", "learning-loop");
        assertThat(store.runs("offer-uplift", 10)).extracting(TrainingRun::id).containsExactly(second.id(), first.id());
        assertThat(second.requestedBy()).isEqualTo("ops-1");
        assertThat(first.requestedBy()).isNull();
        assertThat(store.changes("offer-uplift")).extracting(ModelChange::actor).containsExactly(LearningLoop.ACTOR);
    }

    /** A loop on {@code rows} whose champion is the safe rule and whose promotions go to {@code store}. */
    private static LearningLoop againstTheSafeRule(List<LoggedDecision> rows, DirectoryModelStore store) {
        return new LearningLoop(
                source(rows),
                store,
                () -> new LearningLoop.Champion("safe-rule@1", SAFE_RULE),
                (name, version) -> store.promote(name, version, LearningLoop.ACTOR),
                CLOCK,
                line -> {});
    }

    @Test
    void decisionsWithoutAPropensityFailTheRunAndTrainNothing() {
        var store = new DirectoryModelStore(dir);
        var rows = new ArrayList<>(log(2000, 2));
        var bad = rows.get(17);
        rows.set(
                17,
                new LoggedDecision(
                        bad.decisionId(),
                        bad.decidedAt(),
                        bad.shopper(),
                        bad.offer(),
                        bad.holdout(),
                        Double.NaN,
                        bad.converted(),
                        bad.orderValue(),
                        bad.shopperId(),
                        bad.action()));
        var run = againstTheSafeRule(rows, store).run(settings(), "schedule", null);

        assertThat(run.verdict()).isEqualTo(TrainingRun.FAILED);
        assertThat(run.reason()).contains("1 of " + rows.size()).contains(bad.decisionId());
        assertThat(store.list()).isEmpty();
        assertThat(store.runs("offer-uplift", 10)).containsExactly(run);
    }

    @Test
    void tooFewDecisionsKeepTheChampionAndSaySo() {
        var store = new DirectoryModelStore(dir);
        var run = againstTheSafeRule(log(100, 3), store).run(settings(), "schedule", null);

        assertThat(run.verdict()).isEqualTo(TrainingRun.KEPT);
        assertThat(run.reason()).startsWith("not enough data to train");
        assertThat(run.challenger()).isNull();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aModelThatIssuesTheOfferOnlyWhereItPaysIsWorthMoreThanOneThatNeverDoes() {
        var rows = log(4000, 4);
        var never = SAFE_RULE;
        var always = new FixedUplift("always", "1", Map.of(), 0.5, 0.2, Double.NaN);
        var result = PolicyComparison.compare(
                Stream.concat(
                                rows.stream(),
                                Stream.of(new LoggedDecision(
                                        "old", NOW, Map.of(), Map.of(), true, 0.3, false, Double.NaN)))
                        .toList(),
                never,
                always,
                200,
                1);

        // never: everyone buys 20 % of the time at 40 × 0.3; always: north 0.6 × (12 − 5), south 0.1 × (12 − 5)
        assertThat(result.champion().snips().estimate()).isCloseTo(2.4, org.assertj.core.data.Offset.offset(0.3));
        assertThat(result.challenger().snips().estimate())
                .isCloseTo(0.5 * 4.2 + 0.5 * 0.7, org.assertj.core.data.Offset.offset(0.3));
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.rows()).isEqualTo(rows.size());
    }
}

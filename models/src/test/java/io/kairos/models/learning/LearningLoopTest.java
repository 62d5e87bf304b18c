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

    private static LoopSettings settings() {
        return settings(0);
    }

    /** The test's settings with {@code championShare} of decisions kept on the champion after a promotion. */
    private static LoopSettings settings(double championShare) {
        return new LoopSettings(
                "offer-uplift",
                Duration.ofDays(28),
                0.4,
                200,
                200,
                0.05,
                300,
                UpliftDesign.TWO_MODEL,
                new BoostingParams(60, 2, 0.1, 5, 1.0, 1, 1),
                Set.of(),
                championShare,
                100);
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

    /**
     * {@code n} decisions of one kind after the promotion, each by its own shopper, converting at {@code rate}: in
     * {@code arm} (issuing the offer when {@code treated}, else nothing), or held out when {@code arm} is null.
     */
    static List<LoggedDecision> live(String prefix, int n, String arm, boolean treated, double rate, long seed) {
        var random = new Random(seed);
        var out = new ArrayList<LoggedDecision>();
        for (int i = 0; i < n; i++) {
            boolean converted = random.nextDouble() < rate;
            out.add(new LoggedDecision(
                    prefix + i,
                    NOW.plus(Duration.ofMinutes(10)).plusSeconds(i),
                    Map.of("region", random.nextBoolean() ? "north" : "south", "visits", 1),
                    treated ? OFFER.offer() : Map.of(),
                    arm == null,
                    0.5,
                    converted,
                    converted ? 40 : Double.NaN,
                    prefix + "-s" + i,
                    OFFER,
                    arm == null ? null : "offer-uplift@1",
                    arm));
        }
        return out;
    }

    /**
     * The loop promotes over the safe rule and then watches: no verdict (and no new challenger) until each arm has
     * enough decisions, then a promotion whose arm earns less over the holdout than the safe rule's arm is rolled back
     * by itself, and one that earns more is confirmed.
     */
    @Test
    void aPromotionWatchedLiveIsRolledBackWhenItsUpliftFallsBelowTheChampionsAndKeptOtherwise() {
        for (boolean worse : new boolean[] {true, false}) {
            var store = new DirectoryModelStore(dir.resolve(worse ? "worse" : "better"));
            var rows = new ArrayList<>(log(6000, 1));
            DecisionLogSource log = (from, to) -> rows.stream()
                    .filter(d -> !d.decidedAt().isBefore(from) && d.decidedAt().isBefore(to));
            var watched = settings(0.1);
            LearningLoop.Promoter promoter = (name, version) -> store.promote(name, version, LearningLoop.ACTOR);
            java.util.function.Function<Duration, LearningLoop> at = later -> new LearningLoop(
                    log,
                    store,
                    () -> new LearningLoop.Champion("safe-rule@1", SAFE_RULE),
                    promoter,
                    Clock.offset(CLOCK, later),
                    line -> {});

            assertThat(at.apply(Duration.ZERO).run(watched, "schedule", null).verdict())
                    .isEqualTo(TrainingRun.PROMOTED);
            // the safe rule's share (10 %) issues nothing; everyone converts at 20 % untreated
            rows.addAll(live("c", 60, LoggedDecision.CHAMPION, false, 0.2, 11));
            rows.addAll(live("h", 300, null, false, 0.2, 12));
            rows.addAll(live("p", 600, LoggedDecision.PROMOTED, true, worse ? 0.1 : 0.6, 13));

            var early = at.apply(Duration.ofHours(1)).run(watched, "schedule", null);
            assertThat(early.verdict()).as(early.reason()).isEqualTo(TrainingRun.WATCHING);
            assertThat(early.reason()).contains("600 decisions by version 1, 60 by safe-rule", "300 held out");
            assertThat(store.list())
                    .as("no challenger is trained while watching")
                    .hasSize(1);
            assertThat(store.promoted("offer-uplift")).contains("1");

            rows.addAll(live("c2-", 240, LoggedDecision.CHAMPION, false, 0.2, 14));
            var settled = at.apply(Duration.ofHours(2)).run(watched, "schedule", null);

            assertThat(settled.comparison().estimator()).isEqualTo(LearningLoop.LIVE);
            // the safe rule's arm earns what the holdout does (0.2 × 12); the promoted arm 0.1 or 0.6 × (12 − 5)
            assertThat(settled.comparison().champion().estimate())
                    .isCloseTo(0, org.assertj.core.data.Offset.offset(0.6));
            assertThat(settled.comparison().challenger().estimate())
                    .isCloseTo(worse ? 0.7 - 2.4 : 4.2 - 2.4, org.assertj.core.data.Offset.offset(0.6));
            var newest = store.changes("offer-uplift").get(0);
            assertThat(newest.actor()).isEqualTo(LearningLoop.ACTOR);
            if (worse) {
                assertThat(settled.verdict()).as(settled.reason()).isEqualTo(TrainingRun.ROLLED_BACK);
                assertThat(settled.reason()).contains("rolled back to safe-rule");
                assertThat(store.promoted("offer-uplift"))
                        .as("back to the safe rule")
                        .isEmpty();
                assertThat(newest.action()).isEqualTo(ModelChange.ROLLBACK);
            } else {
                assertThat(settled.verdict()).as(settled.reason()).isEqualTo(TrainingRun.CONFIRMED);
                assertThat(store.promoted("offer-uplift")).contains("1");
                assertThat(newest.action()).isEqualTo(ModelChange.CONFIRM);
                // the watch is over: the next run trains a challenger again
                var next = at.apply(Duration.ofHours(3)).run(watched, "schedule", null);
                assertThat(next.challenger()).isEqualTo("2");
            }
        }
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

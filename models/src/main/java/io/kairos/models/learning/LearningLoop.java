package io.kairos.models.learning;

import io.kairos.models.features.SchemaInference;
import io.kairos.models.preference.OffPolicy.Interval;
import io.kairos.models.registry.ModelChange;
import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.ModelStore;
import io.kairos.models.registry.TrainingRun;
import io.kairos.models.registry.TrainingWindow;
import io.kairos.models.uplift.DecisionLogSource;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.models.uplift.UpliftTrainer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One turn of the learning loop for an uplift model: read the engine's own decisions whose outcome windows have closed,
 * train a challenger on all but the most recent ones, compare it with the champion (the model deciding now, or the safe
 * rule) off-policy on the most recent ones ({@link PolicyComparison}), and promote it only when it is better by the
 * margin, with enough data, and its interval says so. Every run is recorded in the model's history, whatever its
 * verdict; a challenger that was trained is stored as a version either way, so an operator can inspect or promote it.
 *
 * <p>Decision records without a usable propensity fail the run: weighting by a made-up propensity would bias every
 * later model, so the run says which decisions and stops.
 */
public final class LearningLoop {
    /** The model that decides now: a promoted version, or the safe rule when none is. */
    public record Champion(String label, UpliftScorer scorer) {}

    /** Makes a stored version the promoted one on every node (the node announces it; tests call the store). */
    @FunctionalInterface
    public interface Promoter {
        void promote(String name, String version);

        /**
         * Settles a watched promotion in the store ({@link ModelStore#settle}); the node also tells every node to
         * re-sync.
         */
        default boolean settle(ModelStore store, String name, String version, boolean keep) {
            return store.settle(name, version, keep, ACTOR);
        }
    }

    /** The smallest improvement per decision worth a promotion, whatever the champion earns: one cent. */
    static final double ABSOLUTE_FLOOR = 0.01;

    private final DecisionLogSource log;
    private final DecisionLogSource opportunities;
    private final ModelStore store;
    private final Supplier<Champion> champion;
    private final Promoter promoter;
    private final Clock clock;
    private final Consumer<String> progress;

    public LearningLoop(
            DecisionLogSource log,
            ModelStore store,
            Supplier<Champion> champion,
            Promoter promoter,
            Clock clock,
            Consumer<String> progress) {
        this(log, log, store, champion, promoter, clock, progress);
    }

    /**
     * @param log the decisions that issued an offer or held a shopper out (training and off-policy evaluation)
     * @param opportunities every decision, also those that issued nothing (the live comparison's arms)
     */
    public LearningLoop(
            DecisionLogSource log,
            DecisionLogSource opportunities,
            ModelStore store,
            Supplier<Champion> champion,
            Promoter promoter,
            Clock clock,
            Consumer<String> progress) {
        this.log = log;
        this.opportunities = opportunities;
        this.store = store;
        this.champion = champion;
        this.promoter = promoter;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Who the loop's own promotions are recorded as made by ({@link io.kairos.models.registry.ModelChange#actor()}).
     */
    public static final String ACTOR = ModelChange.LEARNING_LOOP;

    /**
     * Runs once, records the run in the model's history and returns it.
     *
     * @param requestedBy the id of the API key that asked for the run (null for a scheduled one)
     */
    public TrainingRun run(LoopSettings settings, String trigger, String requestedBy) {
        var run = new Run(settings, trigger, requestedBy, clock.instant());
        TrainingRun result;
        try {
            result = run.execute();
        } catch (RuntimeException e) {
            result = run.finish(
                    TrainingRun.FAILED, e instanceof MissingPropensity ? e.getMessage() : "the run failed: " + e);
        }
        store.recordRun(result);
        return result;
    }

    /** The state of one run while it goes. */
    private final class Run {
        final LoopSettings settings;
        final String trigger;
        final String requestedBy;
        final Instant started;
        final String id = UUID.randomUUID().toString();
        String championLabel;
        TrainingRun.Window training;
        TrainingRun.Window evaluation;
        String challenger;
        TrainingRun.Comparison comparison;

        Run(LoopSettings settings, String trigger, String requestedBy, Instant started) {
            this.settings = settings;
            this.trigger = trigger;
            this.requestedBy = requestedBy;
            this.started = started;
        }

        TrainingRun finish(String verdict, String reason) {
            return new TrainingRun(
                    id,
                    settings.model(),
                    trigger,
                    requestedBy,
                    started,
                    clock.instant(),
                    training,
                    evaluation,
                    championLabel,
                    challenger,
                    comparison,
                    verdict,
                    reason);
        }

        TrainingRun execute() {
            var changes = store.changes(settings.model());
            var newest = changes.isEmpty() ? null : changes.get(0);
            if (settings.championShare() > 0
                    && newest != null
                    && newest.watched()
                    && store.promoted(settings.model())
                            .filter(newest.version()::equals)
                            .isPresent()) return watch(newest);
            var current = champion.get();
            championLabel = current.label();
            var from = started.minus(settings.lookback());
            List<LoggedDecision> rows;
            try (var s = log.decisions(from, started)) {
                rows = new ArrayList<>(s.toList());
            }
            var missing = rows.stream().filter(d -> !d.hasPropensity()).toList();
            if (!missing.isEmpty()) {
                var examples = missing.stream()
                        .limit(5)
                        .map(d -> d.decisionId() + " (" + d.propensity() + ")")
                        .collect(Collectors.joining(", "));
                throw new MissingPropensity(missing.size() + " of " + rows.size()
                        + " decision records have no usable propensity, e.g. " + examples
                        + "; training on them would bias the model, so nothing was trained");
            }
            rows.sort(Comparator.comparing(LoggedDecision::decidedAt).thenComparing(LoggedDecision::decisionId));
            int evalCount = (int) Math.round(rows.size() * settings.evaluationShare());
            var trainRows = rows.subList(0, rows.size() - evalCount);
            var evalRows = rows.subList(rows.size() - evalCount, rows.size());
            var split = evalRows.isEmpty() ? started : evalRows.get(0).decidedAt();
            training = window(trainRows, from, split);
            evaluation = window(evalRows, split, started);
            if (trainRows.size() < settings.minTrainingRows()) {
                return finish(
                        TrainingRun.KEPT,
                        "not enough data to train: " + trainRows.size() + " decisions with closed outcome windows"
                                + " (needs " + settings.minTrainingRows() + ")");
            }
            long treated = trainRows.stream().filter(d -> !d.holdout()).count();
            if (treated == 0 || treated == trainRows.size()) {
                return finish(
                        TrainingRun.KEPT,
                        "training needs both issued offers and holdouts: " + treated + " of " + trainRows.size()
                                + " decisions issued an offer (give the campaigns a holdout share)");
            }
            var model = train(trainRows);
            var result = PolicyComparison.compare(
                    evalRows, current.scorer(), model, settings.resamples(), started.toEpochMilli());
            comparison = comparison(result);
            store.save(ModelCodec.uplift(
                    model,
                    clock.instant(),
                    new TrainingWindow("decision-log", training.from(), training.to(), trainRows.size()),
                    metrics(result),
                    Map.of(
                            "trainedBy",
                            "learning-loop",
                            "run",
                            id,
                            "design",
                            settings.design().name(),
                            "params",
                            settings.params().toString(),
                            "evaluatedAgainst",
                            championLabel)));
            challenger = model.modelVersion();
            if (result.rows() < settings.minEvaluationRows()) {
                return finish(
                        TrainingRun.KEPT,
                        "not enough data for a verdict: " + result.rows() + " evaluable decisions (needs "
                                + settings.minEvaluationRows() + ")");
            }
            double needed = needed(result);
            var diff = result.difference();
            if (diff.estimate() >= needed && diff.low() > 0) {
                promoter.promote(settings.model(), challenger);
                return finish(
                        TrainingRun.PROMOTED,
                        String.format(
                                "the challenger earns %+.4f per decision more than %s (95%% CI %.4f to %.4f),"
                                        + " above the margin of %.4f",
                                diff.estimate(), championLabel, diff.low(), diff.high(), needed));
            }
            return finish(
                    TrainingRun.KEPT,
                    String.format(
                            "the challenger is not better than %s by the margin: %+.4f per decision (95%% CI %.4f to"
                                    + " %.4f); a promotion needs at least %.4f with the interval above 0",
                            championLabel, diff.estimate(), diff.low(), diff.high(), needed));
        }

        /**
         * The live check of the loop's last promotion ({@link LiveComparison}): no challenger is trained while it
         * lasts, one change at a time.
         */
        private TrainingRun watch(ModelChange promotion) {
            var version = promotion.version();
            championLabel = promotion.previous() == null ? "safe-rule" : settings.model() + "@" + promotion.previous();
            challenger = version;
            // the run that promoted says when on the loop's clock (a simulation's); the store's change on the wall's
            var since = store.runs(settings.model(), RUNS_SEARCHED).stream()
                    .filter(r -> TrainingRun.PROMOTED.equals(r.verdict()) && version.equals(r.challenger()))
                    .map(TrainingRun::finishedAt)
                    .findFirst()
                    .orElse(promotion.at());
            List<LoggedDecision> rows;
            try (var s = opportunities.decisions(since, started)) {
                rows = s.toList();
            }
            var r = LiveComparison.compare(
                    rows, settings.minLivePerArm(), settings.resamples(), started.toEpochMilli());
            evaluation = window(rows.stream().filter(LiveComparison::counts).toList(), since, started);
            comparison = new TrainingRun.Comparison(
                    LIVE,
                    r.promoted() + r.champion() + r.holdout(),
                    r.skipped(),
                    estimate(r.championUplift()),
                    estimate(r.promotedUplift()),
                    estimate(r.difference()),
                    null,
                    0,
                    settings.minLivePerArm());
            var counts = String.format(
                    "%d decisions by version %s, %d by %s (%.0f %% kept on it), %d held out",
                    r.promoted(), version, r.champion(), championLabel, 100 * settings.championShare(), r.holdout());
            if (r.verdict() == LiveComparison.Verdict.WATCHING)
                return finish(
                        TrainingRun.WATCHING,
                        "watching the promotion of version " + version + " live since " + since + ": "
                                + counts + " with closed outcome windows; a verdict needs " + settings.minLivePerArm()
                                + " of each, and no challenger is trained meanwhile");
            boolean keep = r.verdict() == LiveComparison.Verdict.CONFIRMED;
            var uplifts = String.format(
                    "uplift over the holdout %+.4f per decision against %+.4f for %s (difference %+.4f, 95%% CI"
                            + " %.4f to %.4f; %s)",
                    r.promotedUplift().estimate(),
                    r.championUplift().estimate(),
                    championLabel,
                    r.difference().estimate(),
                    r.difference().low(),
                    r.difference().high(),
                    counts);
            if (!promoter.settle(store, settings.model(), version, keep))
                return finish(
                        TrainingRun.KEPT,
                        "version " + version + " is no longer the promoted one; its watch ended without a verdict");
            return keep
                    ? finish(TrainingRun.CONFIRMED, "version " + version + " stays: " + uplifts)
                    : finish(
                            TrainingRun.ROLLED_BACK,
                            "version " + version + " was rolled back to " + championLabel + ": " + uplifts);
        }

        private double needed(PolicyComparison.Result r) {
            return Math.max(
                    ABSOLUTE_FLOOR,
                    settings.minImprovement() * Math.abs(r.champion().snips().estimate()));
        }

        private UpliftModel train(List<LoggedDecision> rows) {
            var shopperFeatures =
                    features(rows.stream().map(LoggedDecision::shopper).toList());
            var offerFeatures = features(rows.stream()
                    .filter(d -> !d.holdout())
                    .map(LoggedDecision::offer)
                    .toList());
            progress.accept(settings.model() + " run " + id + ": training on " + rows.size() + " decisions, features "
                    + shopperFeatures + " " + offerFeatures);
            var trainerSettings = new UpliftTrainer.Settings(
                    shopperFeatures,
                    offerFeatures,
                    settings.design(),
                    settings.params(),
                    SchemaInference.DEFAULT_MAX_CATEGORIES);
            return new UpliftTrainer(progress)
                    .train(
                            rows.stream().map(LoggedDecision::toExample).toList(),
                            trainerSettings,
                            settings.model(),
                            store.nextVersion(settings.model()));
        }

        private List<String> features(List<? extends Map<String, ?>> maps) {
            var names = new TreeSet<String>();
            maps.forEach(m -> names.addAll(m.keySet()));
            names.removeAll(settings.excludedFeatures());
            return List.copyOf(names);
        }

        private TrainingRun.Comparison comparison(PolicyComparison.Result r) {
            return new TrainingRun.Comparison(
                    "SNIPS",
                    r.rows(),
                    r.skipped(),
                    estimate(r.champion().snips()),
                    estimate(r.challenger().snips()),
                    estimate(r.difference()),
                    estimate(r.differenceIps()),
                    settings.minImprovement(),
                    settings.minEvaluationRows());
        }
    }

    /** How many recent runs are searched for the one that promoted a watched version. */
    private static final int RUNS_SEARCHED = 50;

    /** The estimator of a live comparison's record ({@link LiveComparison}). */
    public static final String LIVE = "live-holdout";

    private static TrainingRun.Estimate estimate(Interval i) {
        return Double.isFinite(i.estimate()) ? new TrainingRun.Estimate(i.estimate(), i.low(), i.high()) : null;
    }

    private static Map<String, Double> metrics(PolicyComparison.Result r) {
        var m = new LinkedHashMap<String, Double>();
        m.put("evaluationRows", (double) r.rows());
        if (r.rows() > 0) {
            m.put("valuePerDecision", r.challenger().snips().estimate());
            m.put("championValuePerDecision", r.champion().snips().estimate());
            m.put("improvementPerDecision", r.difference().estimate());
        }
        return m;
    }

    private static TrainingRun.Window window(List<LoggedDecision> rows, Instant from, Instant to) {
        var shoppers = new HashSet<String>();
        rows.forEach(d -> shoppers.add(d.shopperId() == null ? d.decisionId() : d.shopperId()));
        return new TrainingRun.Window(from, to, rows.size(), shoppers.size());
    }

    /** Decision records without a usable propensity: the run fails and says which. */
    public static final class MissingPropensity extends IllegalStateException {
        MissingPropensity(String message) {
            super(message);
        }
    }
}

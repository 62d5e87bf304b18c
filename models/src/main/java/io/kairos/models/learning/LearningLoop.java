package io.kairos.models.learning;

import io.kairos.models.features.SchemaInference;
import io.kairos.models.preference.OffPolicy.Interval;
import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.ModelStore;
import io.kairos.models.registry.TrainingRun;
import io.kairos.models.registry.TrainingWindow;
import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.DecisionLogSource;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.UpliftDesign;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.models.uplift.UpliftTrainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    }

    /**
     * @param model the model name the loop trains and promotes
     * @param lookback how far back decisions are read
     * @param evaluationShare the most recent share of the decisions kept out of training to evaluate on
     * @param minTrainingRows decisions the challenger needs to be trained at all
     * @param minEvaluationRows evaluable decisions a verdict needs
     * @param minImprovement how much better than the champion's value the challenger's must be (relative; the absolute
     *     floor is one cent per decision)
     * @param resamples bootstrap resamples of the intervals
     * @param design the uplift design of the challenger
     * @param params boosting hyper-parameters of the challenger
     * @param excludedFeatures shopper or offer features the challenger must not use
     */
    public record Settings(
            String model,
            Duration lookback,
            double evaluationShare,
            int minTrainingRows,
            int minEvaluationRows,
            double minImprovement,
            int resamples,
            UpliftDesign design,
            BoostingParams params,
            Set<String> excludedFeatures) {
        public Settings {
            if (!(evaluationShare > 0 && evaluationShare < 1))
                throw new IllegalArgumentException("evaluation share must be in (0, 1)");
            if (minImprovement < 0) throw new IllegalArgumentException("min improvement must not be negative");
            excludedFeatures = Set.copyOf(excludedFeatures);
        }

        /** These settings with {@code more} features excluded besides the ones already excluded. */
        public Settings alsoExcluding(java.util.Collection<String> more) {
            var excluded = new HashSet<>(excludedFeatures);
            excluded.addAll(more);
            return new Settings(
                    model,
                    lookback,
                    evaluationShare,
                    minTrainingRows,
                    minEvaluationRows,
                    minImprovement,
                    resamples,
                    design,
                    params,
                    excluded);
        }
    }

    /** The smallest improvement per decision worth a promotion, whatever the champion earns: one cent. */
    static final double ABSOLUTE_FLOOR = 0.01;

    private final DecisionLogSource log;
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
        this.log = log;
        this.store = store;
        this.champion = champion;
        this.promoter = promoter;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Who the loop's own promotions are recorded as made by ({@link io.kairos.models.registry.ModelChange#actor()}).
     */
    public static final String ACTOR = "learning-loop";

    /**
     * Runs once, records the run in the model's history and returns it.
     *
     * @param requestedBy the id of the API key that asked for the run (null for a scheduled one)
     */
    public TrainingRun run(Settings settings, String trigger, String requestedBy) {
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
        final Settings settings;
        final String trigger;
        final String requestedBy;
        final Instant started;
        final String id = UUID.randomUUID().toString();
        String championLabel;
        TrainingRun.Window training;
        TrainingRun.Window evaluation;
        String challenger;
        TrainingRun.Comparison comparison;

        Run(Settings settings, String trigger, String requestedBy, Instant started) {
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

package io.kairos.offer;

import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.Score;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a decision's candidates in one batched model call, off the calling actor's thread, and never fails: with no
 * model loaded, or a model that throws or answers later than the timeout, the candidates get the safe rule's scores and
 * the reason is logged and recorded in the decision ({@code scoring = safe-rule}, {@code scoringNote}).
 *
 * <p>The safe rule is a fixed, conservative estimate (the same uplift for every candidate, no order-value model), so
 * ranking falls back to the candidates' costs and the campaigns' objectives; its parameters are
 * {@code kairos.offers.safe-rule.*} and its version is recorded as the model version.
 */
public final class OfferScoring {
    private static final Logger log = LoggerFactory.getLogger(OfferScoring.class);

    /**
     * The scores of one call, in the candidates' order, and what produced them.
     *
     * @param engine what ran the model ({@link UpliftScorer#engine()}), or {@code rule} for the safe rule
     * @param arm the arm of a watched promotion the decision is in ({@link Pick#arm()}), null when none is watched
     */
    public record Scored(List<Score> scores, String scoring, String note, String engine, String arm) {
        /**
         * Whether no trained model was there to ask (or the decision is kept on the safe rule a watched promotion
         * replaced, which decided that way): the decision starts cold and explores more.
         */
        public boolean coldStart() {
            return NO_MODEL.equals(note) || CHAMPION_SAFE_RULE.equals(note);
        }
    }

    /**
     * The model that scores one decision.
     *
     * @param model the model; empty: the safe rule ({@code note} says why)
     * @param arm while the learning loop watches its last promotion: {@code promoted} or {@code champion} (the share
     *     kept on what the promotion replaced); null otherwise
     */
    public record Pick(Optional<UpliftScorer> model, String arm, String note) {
        /** The model deciding now, no promotion watched. */
        public static Pick of(Optional<UpliftScorer> model) {
            return new Pick(model, null, model.isEmpty() ? NO_MODEL : null);
        }
    }

    /** The note of a decision scored by the safe rule because no model is loaded. */
    public static final String NO_MODEL = "no uplift model loaded";

    /** The note of a decision kept on the safe rule that the learning loop's watched promotion replaced. */
    public static final String CHAMPION_SAFE_RULE = "kept on the safe rule, the champion of a watched promotion";

    /** The safe rule scores every shopper alike. */
    private static final ShopperFeatures NO_SHOPPER = ShopperFeatures.of(java.util.Map.of());

    private final java.util.function.Function<String, Pick> model;
    private final Executor executor;
    private final long timeoutMillis;
    private final OfferSettings.SafeRule safeRule;

    /**
     * @param model the model to use for each call (read per call, so a promoted version is picked up at once)
     * @param executor where the model runs: a dedicated dispatcher, never the actor's
     */
    public OfferScoring(
            Supplier<Optional<UpliftScorer>> model,
            Executor executor,
            java.time.Duration timeout,
            OfferSettings.SafeRule safeRule) {
        this(decisionId -> Pick.of(model.get()), executor, timeout, safeRule);
    }

    /**
     * @param model the model for each decision, by the decision's id (a watched promotion keeps a share of decisions on
     *     its champion)
     */
    public OfferScoring(
            java.util.function.Function<String, Pick> model,
            Executor executor,
            java.time.Duration timeout,
            OfferSettings.SafeRule safeRule) {
        this.model = model;
        this.executor = executor;
        this.timeoutMillis = timeout.toMillis();
        this.safeRule = safeRule;
    }

    public CompletionStage<Scored> score(String decisionId, FeatureValues shopper, List<OfferFeatures> candidates) {
        var pick = model.apply(decisionId);
        var arm = pick.arm();
        var scorer = pick.model();
        if (scorer.isEmpty()) return CompletableFuture.completedFuture(safe(candidates, pick.note(), arm));
        var features = ShopperFeatures.of(shopper.asMap());
        long started = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> scorer.get().score(features, candidates), executor)
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .handle((scores, failure) -> {
                    OfferMetrics.modelSeconds((System.nanoTime() - started) / 1e9);
                    if (failure == null) {
                        var invalid = invalid(scores, candidates.size());
                        if (invalid == null)
                            return new Scored(
                                    scores, "model", null, scorer.get().engine(), arm);
                        var note = "model " + scorer.get().modelName() + " "
                                + scorer.get().modelVersion() + " answered " + invalid;
                        log.warn("Scoring fell back to the safe rule: {}", note);
                        OfferMetrics.modelFallback("invalid");
                        return safe(candidates, note, arm);
                    }
                    var cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    var note = cause instanceof TimeoutException
                            ? "model " + scorer.get().modelName() + " "
                                    + scorer.get().modelVersion() + " timed out after " + timeoutMillis + " ms"
                            : "model " + scorer.get().modelName() + " "
                                    + scorer.get().modelVersion() + " failed: " + cause;
                    log.warn("Scoring fell back to the safe rule: {}", note);
                    OfferMetrics.modelFallback(cause instanceof TimeoutException ? "timeout" : "error");
                    return safe(candidates, note, arm);
                });
    }

    /**
     * What is wrong with a model's answer, or null: one score per candidate, probabilities in [0, 1], and an order
     * value that is not infinite. A model that answers NaN (e.g. an imported one fed a missing value it cannot handle)
     * must not decide. An absent (NaN) or non-positive order value is not an error: the ranking then uses the shopper's
     * average order or the default (a regression may dip below zero).
     */
    static String invalid(List<Score> scores, int candidates) {
        if (scores == null || scores.size() != candidates)
            return (scores == null ? 0 : scores.size()) + " scores for " + candidates + " candidates";
        for (var s : scores) {
            if (!(s.pWithOffer() >= 0 && s.pWithOffer() <= 1 && s.pWithoutOffer() >= 0 && s.pWithoutOffer() <= 1))
                return "P(convert) " + s.pWithOffer() + " with and " + s.pWithoutOffer() + " without offer "
                        + s.offerId();
            if (Double.isInfinite(s.expectedOrderValue()))
                return "order value " + s.expectedOrderValue() + " for offer " + s.offerId();
        }
        return null;
    }

    /** The safe rule's scores for the candidates, with the reason it was used. */
    public Scored safe(List<OfferFeatures> candidates, String note) {
        return safe(candidates, note, null);
    }

    private Scored safe(List<OfferFeatures> candidates, String note, String arm) {
        return new Scored(safeRule.scorer().score(NO_SHOPPER, candidates), "safe-rule", note, "rule", arm);
    }
}

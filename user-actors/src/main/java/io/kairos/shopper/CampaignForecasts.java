package io.kairos.shopper;

import com.typesafe.config.Config;
import io.kairos.campaign.Campaign;
import io.kairos.models.learning.LearningLoop;
import io.kairos.models.uplift.DecisionLogSource;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.offer.OfferSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Forecasts for draft campaigns on a node ({@code POST /v1/campaigns/simulate}): each reads the decision ledger of the
 * last {@code kairos.offers.forecast.lookback} (the journal's decisions, as the learning loop reads them) on
 * {@code executor} (on a node: {@code kairos.offers.forecast.dispatcher}, one thread), scores it with the model
 * deciding now and runs {@link CampaignForecast}. Reads only; a forecast asked for while
 * {@code kairos.offers.forecast.waiting} others wait or run is refused ({@link Busy}), since each reads the whole
 * window.
 */
public final class CampaignForecasts {
    /** Refused: as many forecasts as allowed are waiting or running. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("as many campaign forecasts as allowed are waiting or running");
        }
    }

    /** Refused: the decision ledger could not be read (within {@code read-timeout}). */
    public static final class LedgerUnreadable extends RuntimeException {
        LedgerUnreadable(Throwable cause) {
            super("the decision ledger could not be read: " + cause.getMessage(), cause);
        }
    }

    /**
     * The {@code kairos.offers.forecast} settings.
     *
     * @param readTimeout how long reading the ledger may take (below the HTTP request timeout, so a slow read answers
     *     503 and frees its slot)
     */
    public record ForecastSettings(
            Duration lookback,
            Duration readTimeout,
            int waiting,
            String dispatcher,
            CampaignForecast.Settings forecast) {
        /** @param pacingInitialShare {@code kairos.campaign.pacing.initial-share} */
        public static ForecastSettings fromConfig(Config c, double pacingInitialShare) {
            return new ForecastSettings(
                    c.getDuration("lookback"),
                    c.getDuration("read-timeout"),
                    c.getInt("waiting"),
                    c.getString("dispatcher"),
                    new CampaignForecast.Settings(
                            c.getInt("min-logged"),
                            c.getInt("max-days"),
                            c.getInt("bootstrap-resamples"),
                            c.getLong("seed"),
                            pacingInitialShare));
        }
    }

    private final DecisionLogSource ledger;
    private final Supplier<LearningLoop.Champion> model;
    private final OfferSettings offers;
    private final Clock clock;
    private final ForecastSettings settings;
    private final Executor executor;
    private final Semaphore admitted; // forecasts waiting or running

    /**
     * @param ledger the decisions, every opportunity (outcomes final; {@link JournalDecisionLog#withNoOfferDecisions})
     * @param model the model deciding now (the safe rule when none is loaded)
     * @param executor where the ledger is read and scored (blocking)
     */
    public CampaignForecasts(
            DecisionLogSource ledger,
            Supplier<LearningLoop.Champion> model,
            OfferSettings offers,
            Clock clock,
            ForecastSettings settings,
            Executor executor) {
        this.ledger = ledger;
        this.model = model;
        this.offers = offers;
        this.clock = clock;
        this.settings = settings;
        this.executor = executor;
        this.admitted = new Semaphore(settings.waiting());
    }

    public CompletionStage<CampaignForecast.Result> forecast(Campaign draft) {
        if (!admitted.tryAcquire()) return CompletableFuture.failedFuture(new Busy());
        try {
            return CompletableFuture.supplyAsync(() -> run(draft), executor).whenComplete((r, e) -> admitted.release());
        } catch (RuntimeException e) { // the executor refused the task
            admitted.release();
            throw e;
        }
    }

    private CampaignForecast.Result run(Campaign draft) {
        var now = clock.instant();
        List<LoggedDecision> rows;
        try (Stream<LoggedDecision> s = ledger.decisions(now.minus(settings.lookback()), now)) {
            rows = s.toList();
        } catch (RuntimeException e) {
            throw new LedgerUnreadable(e);
        }
        var champion = model.get();
        return CampaignForecast.forecast(
                draft, rows, champion.scorer(), champion.label(), offers, now, settings.forecast());
    }
}

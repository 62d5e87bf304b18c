package io.kairos.shopper;

import static io.kairos.shopper.ForecastOpportunities.*;
import static io.kairos.shopper.LedgerRows.*;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.Pacing;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.OfferPolicy;
import io.kairos.offer.OfferSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What a draft campaign would do if launched now: per day, the coupons it would issue and see redeemed, its budget burn
 * and its incremental profit, with 90 % intervals. Pure: the caller hands it the decision ledger and the model.
 *
 * <p><b>Population.</b> The live population is the ledger: every decision of the lookback whose outcome window has
 * closed is one decision opportunity of a real shopper, with the features the decision saw (a decision and the holdouts
 * it assigned at the same instant are one). The draft's stage eligibility is checked on them (the ledger keeps the
 * stage; it does not keep tags, so a draft that names tags is forecast for everyone in its stages, and the answer says
 * so). Opportunities per day are the eligible ones over the days they span.
 *
 * <p><b>Each opportunity.</b> The model deciding now scores the draft's offer on each of its channels for the row's
 * shopper and the draft is valued as a decision values it ({@link OfferPolicy#evaluate}: coupon dependency included);
 * the draft issues as {@link OfferPolicy#choose} would over its k channels and "no offer" (with probability {@code 1 −
 * ε + εk/(k + 1)} where its best channel's value is positive, else {@code εk/(k + 1)}, ε the exploration share a
 * decision would use), where its per-shopper cap and the engine's contact cap allow (walking each shopper's decisions
 * in time order). Its incremental profit there is {@code uplift × orderValue × marginRate − P(convert | offer) ×
 * expectedDiscount − messageCost}, its incremental revenue {@code uplift × orderValue − P(convert | offer) ×
 * expectedDiscount} (net of the coupon's discount), a redemption is a conversion with the offer. These are over a
 * decision's outcome window; a shopper the draft reaches k times within one window converts once, not k times, so each
 * of those opportunities counts for its share of one outcome (not of its message's cost).
 *
 * <p><b>Method.</b> When the ledger logged the draft's coupon (same type, value, minimum spend and maximum discount) at
 * least {@code minLogged} times as an issued offer and as a withheld one (holdouts at visits that issued no other
 * campaign's offer: only those saw no offer at all), the model's estimates are corrected with those rows' real
 * outcomes, doubly robust and self-normalised: each issuing opportunity's estimate gains the weighted mean residual
 * (real outcome less the model's) of the matched issued rows, less that of the matched holdouts, weights the inverse
 * logged propensities capped at {@value #MAX_WEIGHT} (a row without a usable propensity is left out). Self-normalising
 * keeps the correction right when the logged propensities are off by a factor (a holdout's is its campaign's share,
 * while only its visits without any offer count). Otherwise the forecast is the model's alone ({@code model-based}).
 *
 * <p><b>Days and budget.</b> Each day from the draft's start (today at the earliest) to its end (at most
 * {@code maxDays}) issues to the opportunities outside its holdout, while the budget allows: an issued coupon reserves
 * its maximum cost until it is redeemed (then it spends the expected discount) or expires after {@code validDays}; even
 * pacing allows what the campaign entity allows by each day's end ({@link Pacing#allowance}); an overbooked draft's
 * reservations may hold {@code overbooking} times what is not spent, and redemptions stop where the budget is spent.
 * Redemptions are counted on the day of issue.
 *
 * <p><b>Intervals.</b> 90 %, normal, from two variances: the estimate's (a bootstrap that resamples shoppers, a
 * shopper's rows together) scaled to the forecast's opportunities, and the outcomes' own noise over them: doubly
 * robust, the sample variance of what the matched issued and withheld decisions earned; model-based, each treated
 * opportunity a Bernoulli conversion with and without the offer at the model's probabilities. The uncertainty of the
 * opportunities' rate itself is not included.
 */
public final class CampaignForecast {
    /** Inverse propensity weights are capped at this (few rows with tiny propensities would otherwise dominate). */
    public static final double MAX_WEIGHT = 50;

    /** The normal quantile of a two-sided 90 % interval. */
    static final double Z90 = 1.6448536269514722;

    private CampaignForecast() {}

    /**
     * @param minLogged matched issued and matched withheld rows needed for the off-policy correction
     * @param maxDays the longest forecast
     * @param resamples bootstrap resamples
     * @param pacingInitialShare the share of its budget an even-paced campaign may use from its first minute
     *     ({@code kairos.campaign.pacing.initial-share})
     */
    public record Settings(int minLogged, int maxDays, int resamples, long seed, double pacingInitialShare) {}

    public record Interval(BigDecimal estimate, BigDecimal low, BigDecimal high) {}

    public record Day(
            LocalDate date, long issued, long redeemed, BigDecimal budgetUsed, BigDecimal incrementalProfit) {}

    /**
     * @param decisions ledger rows read (a decision and each holdout it assigned are rows of their own)
     * @param eligible the opportunities the draft may issue at: visits (a decision with its holdouts) of shoppers in
     *     its stages
     * @param shoppers distinct shoppers among them
     * @param spanDays the days the ledger spans
     * @param opportunitiesPerDay eligible opportunities per day
     */
    public record Population(int decisions, int eligible, int shoppers, double spanDays, double opportunitiesPerDay) {}

    /**
     * @param method {@code doubly-robust} or {@code model-based}
     * @param model the model that scored, {@code name@version}
     * @param matchedOffers ledger rows that issued the draft's coupon
     * @param matchedHoldouts ledger rows that withheld it at a visit that issued no other offer
     */
    public record Result(
            List<Day> days,
            long issued,
            long redeemed,
            BigDecimal budgetUsed,
            Interval incrementalRevenue,
            Interval incrementalProfit,
            String method,
            String model,
            double confidence,
            Population population,
            int matchedOffers,
            int matchedHoldouts,
            List<String> notes) {}

    public static Result forecast(
            Campaign draft,
            List<LoggedDecision> ledger,
            UpliftScorer model,
            String modelName,
            OfferSettings offers,
            Instant now,
            Settings settings) {
        var notes = new ArrayList<String>();
        if (!draft.eligibility().tags().isEmpty())
            notes.add("eligibility by tags is not applied: the decision ledger does not keep tags, so the forecast"
                    + " covers everyone in the draft's stages");
        var eligible = ledger.stream().filter(d -> admits(draft, d)).toList();
        // exploration as a decision would draw it: the cold-start share while the safe rule scores
        double exploration =
                offers.explorationFor(List.of(draft), modelName.startsWith(OfferSettings.SafeRule.NAME + "@"));
        // one opportunity per visit: a decision and the holdouts it assigned share their shopper and instant
        var visits = new LinkedHashMap<String, List<LoggedDecision>>();
        for (var d : eligible)
            visits.computeIfAbsent(shopperOf(d) + "@" + d.decidedAt(), k -> new ArrayList<>())
                    .add(d);
        var matched = visits.values().stream()
                .flatMap(v -> loggedIn(draft, v).stream())
                .toList();
        int matchedOffers = (int) matched.stream().filter(d -> !d.holdout()).count();
        int matchedHoldouts = matched.size() - matchedOffers;
        boolean offPolicy = matchedOffers >= settings.minLogged() && matchedHoldouts >= settings.minLogged();
        var logged = offPolicy ? loggedVariance(draft, matched) : null;
        var rows = perShopper(
                visits.values().stream()
                        .map(v -> row(draft, v, model, offers, exploration, logged))
                        .toList(),
                draft,
                offers);
        if (!offPolicy)
            notes.add("the ledger logged this coupon %d times issued and %d times withheld (%d of each needed for an"
                            .formatted(matchedOffers, matchedHoldouts, settings.minLogged())
                    + " off-policy correction): the model's estimate alone, whose interval covers the population's"
                    + " and the outcomes' noise, not the model's own error");
        double span = spanDays(rows.stream().map(Row::at).toList());
        var shoppers = new HashMap<String, List<Row>>();
        for (var r : rows)
            shoppers.computeIfAbsent(r.shopper(), k -> new ArrayList<>()).add(r);
        var population = new Population(
                ledger.size(), rows.size(), shoppers.size(), span, rows.isEmpty() ? 0 : rows.size() / span);
        if (ledger.isEmpty()) notes.add("no decision in the ledger's lookback has a closed outcome window yet");

        double keep = 1 - draft.holdoutPercent() / 100.0;
        var per = perOpportunity(rows, keep, offPolicy);
        double issueRate = per.issueRate();
        double redeemRate = per.redeemRate();
        double discount = per.discount();
        double profitPer = per.profit();
        double revenuePer = per.revenue();
        double profitVariancePer = per.profitVariance();
        double revenueVariancePer = per.revenueVariance();

        var first = (draft.startsAt().isAfter(now) ? draft.startsAt() : now).truncatedTo(ChronoUnit.DAYS);
        long wanted = first.isBefore(draft.endsAt())
                ? Duration.between(first, draft.endsAt())
                        .plusDays(1)
                        .minusNanos(1)
                        .toDays()
                : 0;
        if (wanted == 0) notes.add("the draft ends before the forecast would start: nothing to forecast");
        if (wanted > settings.maxDays())
            notes.add("the forecast stops after %d days; the draft runs %d".formatted(settings.maxDays(), wanted));
        int total = (int) Math.min(settings.maxDays(), wanted);
        double maxCost = draft.coupon().maxCost().doubleValue();
        double demand = population.opportunitiesPerDay() * issueRate;
        // An overbooked draft lets its reservations hold k times what is left of the allowance after spending.
        double overbooking = draft.reservable().doubleValue();
        double perCoupon = maxCost * (1 - redeemRate) + overbooking * discount * redeemRate;
        var days = new ArrayList<Day>();
        double spent = 0;
        double treatedDays = 0;
        double issuedTotal = 0;
        double redeemedTotal = 0;
        var issuedOn = new double[total];
        for (int d = 0; d < total; d++) {
            double outstanding = 0;
            for (int k = Math.max(0, d - draft.validDays() + 1); k < d; k++)
                outstanding += issuedOn[k] * (1 - redeemRate) * maxCost;
            var dayEnds = first.plus(Duration.ofDays(d + 1));
            double allowed = Pacing.allowance(
                            draft,
                            draft.budget(),
                            dayEnds.isBefore(draft.endsAt()) ? dayEnds : draft.endsAt(),
                            settings.pacingInitialShare())
                    .doubleValue();
            double room = Math.max(0, overbooking * (allowed - spent) - outstanding);
            double issued = perCoupon > 0 ? Math.min(demand, room / perCoupon) : demand;
            double share = demand > 0 ? issued / demand : 0;
            // what the budget cannot pay any more is refused at checkout (only an overbooked draft gets there)
            double used = Math.min(
                    issued * redeemRate * discount, Math.max(0, draft.budget().doubleValue() - spent));
            double redeemed = discount > 0 ? used / discount : issued * redeemRate;
            issuedOn[d] = issued;
            spent += used;
            treatedDays += share;
            issuedTotal += issued;
            redeemedTotal += redeemed;
            days.add(new Day(
                    LocalDate.ofInstant(first.plus(Duration.ofDays(d)), ZoneOffset.UTC),
                    Math.round(issued),
                    Math.round(redeemed),
                    money(used),
                    money(share * population.opportunitiesPerDay() * profitPer)));
        }
        double opportunities = treatedDays * population.opportunitiesPerDay();
        var se = bootstrap(shoppers, keep, offPolicy, settings);
        return new Result(
                List.copyOf(days),
                Math.round(issuedTotal),
                Math.round(redeemedTotal),
                money(spent),
                interval(opportunities * revenuePer, opportunities * se[0], opportunities * revenueVariancePer),
                interval(opportunities * profitPer, opportunities * se[1], opportunities * profitVariancePer),
                offPolicy ? "doubly-robust" : "model-based",
                modelName,
                0.9,
                population,
                matchedOffers,
                matchedHoldouts,
                List.copyOf(notes));
    }

    private static Interval interval(double estimate, double estimateSe, double outcomeVariance) {
        double half = Z90 * Math.sqrt(estimateSe * estimateSe + Math.max(0, outcomeVariance));
        return new Interval(money(estimate), money(estimate - half), money(estimate + half));
    }

    /**
     * Standard errors of the per-opportunity revenue and profit, resampling shoppers (the correction recomputed in each
     * resample).
     */
    private static double[] bootstrap(
            Map<String, List<Row>> shoppers, double keep, boolean correct, Settings settings) {
        if (shoppers.size() < 2) return new double[] {0, 0};
        var groups = new ArrayList<>(new TreeMap<>(shoppers).values());
        var random = new SplittableRandom(settings.seed());
        var revenue = new double[settings.resamples()];
        var profit = new double[settings.resamples()];
        for (int b = 0; b < settings.resamples(); b++) {
            var sample = new ArrayList<Row>();
            for (int i = 0; i < groups.size(); i++) sample.addAll(groups.get(random.nextInt(groups.size())));
            var per = perOpportunity(sample, keep, correct);
            revenue[b] = per.revenue();
            profit[b] = per.profit();
        }
        return new double[] {sd(revenue), sd(profit)};
    }

    /** The days the opportunities at {@code times} span: n evenly spread have n − 1 gaps, their span is one more. */
    private static double spanDays(List<Instant> times) {
        if (times.isEmpty()) return 1;
        var first = times.stream().min(Instant::compareTo).orElseThrow();
        var last = times.stream().max(Instant::compareTo).orElseThrow();
        double days = Duration.between(first, last).toSeconds() / 86_400.0;
        return Math.max(1, times.size() > 1 ? days * times.size() / (times.size() - 1) : days);
    }

    private static BigDecimal money(double amount) {
        return BigDecimal.valueOf(Double.isFinite(amount) ? amount : 0).setScale(2, RoundingMode.HALF_EVEN);
    }
}

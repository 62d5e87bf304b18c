package io.kairos.shopper;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.Pacing;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.FeatureValues;
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
 * pacing allows what the campaign entity allows by each day's end ({@link Pacing#allowance}). Redemptions are counted
 * on the day of issue.
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

    /**
     * One eligible opportunity, as the draft would meet it: {@code issue} is the probability it issues there (the
     * greedy choice or the exploration draw), the rest is what an issued offer brings ({@code profit}, {@code revenue},
     * {@code redeem} and the outcomes' variances over the decision's outcome window, {@code profit} before the
     * message's cost).
     */
    private record Row(
            String shopper,
            Instant at,
            double issue,
            double profit,
            double revenue,
            double redeem,
            double discount,
            double profitVariance,
            double revenueVariance,
            double message,
            double share,
            Correction treated,
            Correction control) {
        /** Not issuing here (a cap stopped it); what it logged still corrects the model. */
        Row capped() {
            return new Row(shopper, at, 0, 0, 0, 0, 0, 0, 0, 0, 0, treated, control);
        }

        /**
         * Its share of the one outcome of the {@code overlap} offers (expected) the draft makes the shopper in a
         * window.
         */
        Row shared(double overlap) {
            return new Row(
                    shopper,
                    at,
                    issue,
                    profit,
                    revenue,
                    redeem,
                    discount,
                    profitVariance,
                    revenueVariance,
                    message,
                    1 / overlap,
                    treated,
                    control);
        }
    }

    /**
     * What a logged row says of the model: its inverse propensity weight, and that weight times its residual (what it
     * earned in profit and revenue, and whether it converted, less what the model expected).
     */
    private record Correction(double weight, double profit, double revenue, double conversion) {
        static final Correction NONE = new Correction(0, 0, 0, 0);

        Correction plus(Correction o) {
            return new Correction(weight + o.weight, profit + o.profit, revenue + o.revenue, conversion + o.conversion);
        }

        /** The weighted mean residual (self-normalised); none without weight. */
        Correction mean() {
            return weight > 0
                    ? new Correction(1, profit / weight, revenue / weight, conversion / weight)
                    : new Correction(0, 0, 0, 0);
        }
    }

    /**
     * Per opportunity, what the draft brings: the issuing rate, a redemption per issued offer, the mean discount, the
     * profit and revenue, and the outcomes' variances.
     */
    private record PerOpportunity(
            double issueRate,
            double redeemRate,
            double discount,
            double profit,
            double revenue,
            double profitVariance,
            double revenueVariance) {}

    /**
     * The rows' figures per opportunity, outside the holdout ({@code keep}): each issuing row's model estimate plus the
     * self-normalised doubly robust correction (the weighted mean residual of the logged issued offers less that of the
     * logged holdouts; none when {@code correct} is off), times its share of the shopper's outcome, less its message.
     */
    private static PerOpportunity perOpportunity(List<Row> rows, double keep, boolean correct) {
        var t = Correction.NONE;
        var c = Correction.NONE;
        for (var r : rows) {
            t = t.plus(r.treated());
            c = c.plus(r.control());
        }
        var dt = correct ? t.mean() : Correction.NONE;
        var dc = correct ? c.mean() : Correction.NONE;
        double n = Math.max(1, rows.size());
        double issuing = sum(rows, Row::issue);
        double profit = 0;
        double revenue = 0;
        double redeem = 0;
        for (var r : rows) {
            if (r.issue() == 0) continue;
            profit += r.issue() * ((r.profit() + dt.profit() - dc.profit()) * r.share() - r.message());
            revenue += r.issue() * (r.revenue() + dt.revenue() - dc.revenue()) * r.share();
            redeem += r.issue() * (r.redeem() + dt.conversion()) * r.share();
        }
        return new PerOpportunity(
                keep * issuing / n,
                clamp(redeem / Math.max(issuing, 1e-9)),
                sum(rows, r -> r.issue() * r.discount()) / Math.max(issuing, 1e-9),
                keep * profit / n,
                keep * revenue / n,
                keep * sum(rows, r -> r.issue() * r.profitVariance() * r.share()) / n,
                keep * sum(rows, r -> r.issue() * r.revenueVariance() * r.share()) / n);
    }

    /** The outcomes' variance for one issued offer: of its profit and of its revenue. */
    private record Variance(double profit, double revenue) {}

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
        double perCoupon = maxCost * (1 - redeemRate) + discount * redeemRate;
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
            double room = Math.max(0, allowed - spent - outstanding);
            double issued = perCoupon > 0 ? Math.min(demand, room / perCoupon) : demand;
            double share = demand > 0 ? issued / demand : 0;
            double redeemed = issued * redeemRate;
            double used = redeemed * discount;
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

    /**
     * The outcomes' own variance for one issued offer, from the ledger: the sample variance of what the matched issued
     * decisions earned (margin on the price before the coupon, less its discount; what was paid) plus that of the
     * matched holdouts (margin when converted; revenue), each over its outcome window. The model's probabilities would
     * understate it when the model is wrong, and a doubly robust forecast is one where the ledger can say.
     */
    private static Variance loggedVariance(Campaign draft, List<LoggedDecision> matched) {
        var treatedProfit = new ArrayList<Double>();
        var treatedRevenue = new ArrayList<Double>();
        var controlProfit = new ArrayList<Double>();
        var controlRevenue = new ArrayList<Double>();
        double margin = draft.marginRate();
        for (var d : matched) {
            double value = orderValue(d);
            double discount = discountOn(draft, value);
            if (!d.holdout()) {
                treatedProfit.add((value + discount) * margin - discount);
                treatedRevenue.add(value);
            } else {
                controlProfit.add(value * margin);
                controlRevenue.add(value);
            }
        }
        return new Variance(
                sampleVariance(treatedProfit) + sampleVariance(controlProfit),
                sampleVariance(treatedRevenue) + sampleVariance(controlRevenue));
    }

    private static double sampleVariance(List<Double> xs) {
        if (xs.size() < 2) return 0;
        double sd = sd(xs.stream().mapToDouble(Double::doubleValue).toArray());
        return sd * sd;
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

    private static boolean admits(Campaign draft, LoggedDecision d) {
        var stages = draft.eligibility().stages();
        if (stages.isEmpty()) return true;
        var stage = d.shopper().get("stage");
        return stage != null && stages.stream().anyMatch(s -> s.wireName().equals(stage));
    }

    /**
     * The draft met at one visit (a decision and the holdouts it assigned): the model's view, and with {@code logged}
     * (doubly robust) the correction of the visit's rows that issued or withheld the draft's coupon.
     */
    private static Row row(
            Campaign draft,
            List<LoggedDecision> visit,
            UpliftScorer model,
            OfferSettings offers,
            double exploration,
            Variance logged) {
        var d = visit.get(0);
        var shopper = features(d.shopper());
        var preference = preference(draft, visit);
        var terms = new ArrayList<OfferPolicy.Terms>();
        var offerFeatures = new ArrayList<FeatureValues>();
        var candidates = new ArrayList<OfferFeatures>();
        for (var channel : draft.deliveryChannels()) {
            terms.add(OfferPolicy.Terms.of(draft, channel, offers.messageCost(channel)));
            var f = DecisionFeatures.offer(draft.campaignId(), draft.coupon(), channel, preference);
            offerFeatures.add(f);
            candidates.add(OfferFeatures.of(draft.campaignId() + "/" + channel, f.asMap()));
        }
        var scores = model.score(ShopperFeatures.of(d.shopper()), candidates);
        var evaluated = OfferPolicy.evaluate(
                terms, offerFeatures, scores, averageOrderValue(shopper), shopper, offers.defaultOrderValue());
        int best = 0;
        for (int i = 1; i < evaluated.size(); i++)
            if (evaluated.get(i).value() > evaluated.get(best).value()) best = i;
        var e = evaluated.get(best).score();
        double p1 = e.response().pWithOffer();
        double p0 = e.response().pWithoutOffer();
        double uplift = e.response().uplift() * (1 - OfferPolicy.dependency(shopper));
        double v = e.value().expectedOrderValue().doubleValue();
        double margin = e.value().marginRate();
        double discount = e.value().expectedDiscount().doubleValue();
        double message = e.value().messageCost().doubleValue();
        // OfferPolicy.choose over the k channels and "no offer": the greedy action with 1 − ε, any with ε/(k + 1)
        int k = evaluated.size();
        double explored = exploration * k / (k + 1);
        double issue = evaluated.get(best).value() > 0 ? 1 - exploration + explored : explored;
        // as a decision values it: uplift × value × margin − P(convert | offer) × discount
        double modelProfit = uplift * v * margin - p1 * discount;
        double modelRevenue = uplift * v - p1 * discount;
        double withoutProfit = p0 * v * margin;
        double withoutRevenue = p0 * v;
        var treated = Correction.NONE;
        var control = Correction.NONE;
        for (var m : logged == null ? List.<LoggedDecision>of() : loggedIn(draft, visit)) {
            double weight = Math.min(MAX_WEIGHT, 1 / m.propensity());
            double value = orderValue(m);
            double conv = m.converted() ? 1 : 0;
            if (!m.holdout()) { // what it earned with the offer against what the model expected with it
                // the ledger's order values are what was paid, after the coupon: the margin is on the price before it
                double realDiscount = discountOn(draft, value);
                treated = treated.plus(new Correction(
                        weight,
                        weight * ((value + realDiscount) * margin - realDiscount - (withoutProfit + modelProfit)),
                        weight * (value - (withoutRevenue + modelRevenue)),
                        weight * (conv - (p0 + uplift))));
            } else { // and without
                control = control.plus(new Correction(
                        weight, weight * (value * margin - withoutProfit), weight * (value - withoutRevenue), 0));
            }
        }
        var variance = logged != null
                ? logged
                : new Variance(
                        p1 * (1 - p1) * sq(v * margin - discount) + p0 * (1 - p0) * sq(v * margin),
                        p1 * (1 - p1) * sq(v - discount) + p0 * (1 - p0) * sq(v));
        return new Row(
                shopperOf(d),
                d.decidedAt(),
                issue,
                modelProfit,
                modelRevenue,
                p0 + uplift,
                discount,
                variance.profit(),
                variance.revenue(),
                message,
                1,
                treated,
                control);
    }

    /**
     * Each shopper's opportunities in time order, as the draft would meet them: its per-shopper cap and the engine's
     * contact cap stop it issuing (counting its own offers only), and the opportunities it issues at within one outcome
     * window of each other share their outcomes (an order in the window of several decisions is one order), so each
     * counts for its share of them.
     */
    private static List<Row> perShopper(List<Row> rows, Campaign draft, OfferSettings offers) {
        var byShopper = new TreeMap<String, List<Row>>();
        for (var r : rows)
            byShopper.computeIfAbsent(r.shopper(), k -> new ArrayList<>()).add(r);
        var caps = draft.caps();
        var window = offers.outcomeWindow();
        var out = new ArrayList<Row>(rows.size());
        for (var own : byShopper.values()) {
            own.sort(java.util.Comparator.comparing(Row::at));
            var issued = new ArrayList<Row>();
            var kept = new ArrayList<Row>(own.size());
            for (var r : own) {
                boolean capped = r.issue() > 0
                        && (caps.capped()
                                        && within(issued, r.at(), Duration.ofDays(caps.perShopperDays()))
                                                >= caps.perShopper()
                                || offers.contactCapMax() > 0
                                        && within(issued, r.at(), offers.contactCapWindow()) >= offers.contactCapMax());
                var k = capped ? r.capped() : r;
                if (k.issue() > 0) issued.add(k);
                kept.add(k);
            }
            for (var r : kept) {
                if (r.issue() == 0) {
                    out.add(r);
                    continue;
                }
                // the offers expected in this window over the chance of at least one: each gets its share of the
                // shopper's one outcome (one offer for sure: 1; three for sure: 3; a lone exploration draw: 1)
                double expected = 0;
                double none = 1;
                for (var o : issued)
                    if (Duration.between(o.at(), r.at()).abs().compareTo(window) < 0) {
                        expected += o.issue();
                        none *= 1 - o.issue();
                    }
                out.add(r.shared(Math.max(1, expected / (1 - none))));
            }
        }
        return out;
    }

    /**
     * The offers among {@code issued} made in {@code (at − window, at]}, as a cap counts them: one where the draft
     * issues greedily, the exploration draw's probability where it does not.
     */
    private static double within(List<Row> issued, Instant at, Duration window) {
        var from = at.minus(window);
        double n = 0;
        for (var r : issued) if (r.at().isAfter(from) && !r.at().isAfter(at)) n += r.issue() >= 0.5 ? 1 : r.issue();
        return n;
    }

    /** Whose the row is: its shopper, or the decision alone when the record did not say (older records). */
    private static String shopperOf(LoggedDecision d) {
        return d.shopperId() != null ? d.shopperId() : "decision:" + d.decisionId();
    }

    /**
     * +1: the row issued the draft's coupon; −1: it withheld it (a holdout); 0: neither, or its propensity is not one a
     * weight can be made of (as for training rows).
     */
    private static int matches(Campaign draft, LoggedDecision d) {
        var offer = d.holdout() ? (d.action() == null ? null : d.action().offer()) : d.offer();
        if (offer == null || offer.isEmpty() || !d.hasPropensity()) return 0;
        var c = draft.coupon();
        boolean same = c.type().wireName().equals(offer.get("couponType"))
                && number(offer.get("value")) == c.value().doubleValue()
                && number(offer.get("minSpend"))
                        == (c.minSpend() == null ? 0 : c.minSpend().doubleValue())
                && number(offer.get("maxDiscount"))
                        == (c.maxDiscount() == null ? 0 : c.maxDiscount().doubleValue());
        if (!same) return 0;
        return d.holdout() ? -1 : 1;
    }

    /**
     * The visit's rows that logged the draft's coupon: those that issued it, and those that withheld it (holdouts) from
     * a visit that issued no offer at all. A shopper held out of one campaign may have got another campaign's offer in
     * the same decision; her outcome is then no control for "no offer".
     */
    private static List<LoggedDecision> loggedIn(Campaign draft, List<LoggedDecision> visit) {
        boolean offered =
                visit.stream().anyMatch(d -> !d.holdout() && !d.offer().isEmpty());
        return visit.stream()
                .filter(d -> {
                    int m = matches(draft, d);
                    return m > 0 || m < 0 && !offered;
                })
                .toList();
    }

    /** What the row's orders came to within its outcome window (0 when it did not convert). */
    private static double orderValue(LoggedDecision d) {
        return d.converted() && Double.isFinite(d.orderValue()) ? d.orderValue() : 0;
    }

    /** What the draft's coupon takes off an order of {@code value} (none off no order). */
    private static double discountOn(Campaign draft, double value) {
        return value > 0
                ? io.kairos.offer.Checkout.expectedDiscount(draft.coupon(), BigDecimal.valueOf(value))
                        .doubleValue()
                : 0;
    }

    /**
     * The shopper's share of the draft's coupon type: a logged offer's of the visit when it was of that type (the
     * ledger keeps the share of the chosen or withheld offer only), else none.
     */
    private static CouponPreference preference(Campaign draft, List<LoggedDecision> visit) {
        var type = draft.coupon().type().wireName();
        double share = 0;
        for (var d : visit) {
            var offer = d.holdout()
                    ? (d.action() == null
                            ? Map.<String, Object>of()
                            : d.action().offer())
                    : d.offer();
            if (type.equals(offer.get("couponType"))) share = number(offer.get("typePreference"));
        }
        var cls = visit.get(0).shopper().get("preferenceClass");
        return new CouponPreference(cls == null ? CouponPreference.UNKNOWN : cls.toString(), Map.of(type, share));
    }

    private static BigDecimal averageOrderValue(FeatureValues shopper) {
        double orders = shopper.numbers().getOrDefault("frequency", 0.0);
        double spent = shopper.numbers().getOrDefault("monetary", 0.0);
        return orders > 0 ? BigDecimal.valueOf(spent / orders) : null;
    }

    /** A ledger row's features back as the typed maps a decision evaluates. */
    static FeatureValues features(Map<String, ?> values) {
        var numbers = new TreeMap<String, Double>();
        var categories = new TreeMap<String, String>();
        values.forEach((k, v) -> {
            if (v instanceof Number x) numbers.put(k, x.doubleValue());
            else if (v != null) categories.put(k, v.toString());
        });
        return new FeatureValues(numbers, categories);
    }

    /** The days the opportunities at {@code times} span: n evenly spread have n − 1 gaps, their span is one more. */
    private static double spanDays(List<Instant> times) {
        if (times.isEmpty()) return 1;
        var first = times.stream().min(Instant::compareTo).orElseThrow();
        var last = times.stream().max(Instant::compareTo).orElseThrow();
        double days = Duration.between(first, last).toSeconds() / 86_400.0;
        return Math.max(1, times.size() > 1 ? days * times.size() / (times.size() - 1) : days);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private static double sum(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).sum();
    }

    private static double sd(double[] xs) {
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= xs.length;
        double ss = 0;
        for (double x : xs) ss += sq(x - mean);
        return Math.sqrt(ss / Math.max(1, xs.length - 1));
    }

    private static double sq(double x) {
        return x * x;
    }

    private static double clamp(double p) {
        return Math.max(0, Math.min(1, p));
    }

    private static BigDecimal money(double amount) {
        return BigDecimal.valueOf(Double.isFinite(amount) ? amount : 0).setScale(2, RoundingMode.HALF_EVEN);
    }
}

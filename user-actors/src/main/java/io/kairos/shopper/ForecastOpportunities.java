package io.kairos.shopper;

import static io.kairos.shopper.LedgerRows.*;

import io.kairos.campaign.Campaign;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.FeatureValues;
import io.kairos.offer.OfferPolicy;
import io.kairos.offer.OfferSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The opportunities of a {@link CampaignForecast}, one per visit of the ledger, as the draft would meet them: what the
 * model says an issued offer brings, the doubly robust corrections the visit's logged rows carry, the caps and shared
 * outcome windows per shopper, and their sum per opportunity. Pure; the method is described on
 * {@link CampaignForecast}.
 */
final class ForecastOpportunities {
    private ForecastOpportunities() {}

    /**
     * One eligible opportunity, as the draft would meet it: {@code issue} is the probability it issues there (the
     * greedy choice or the exploration draw), the rest is what an issued offer brings ({@code profit}, {@code revenue},
     * {@code redeem} and the outcomes' variances over the decision's outcome window, {@code profit} before the
     * message's cost).
     */
    record Row(
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
    record Correction(double weight, double profit, double revenue, double conversion) {
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
    record PerOpportunity(
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
    static PerOpportunity perOpportunity(List<Row> rows, double keep, boolean correct) {
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
    record Variance(double profit, double revenue) {}

    /**
     * The outcomes' own variance for one issued offer, from the ledger: the sample variance of what the matched issued
     * decisions earned (margin on the price before the coupon, less its discount; what was paid) plus that of the
     * matched holdouts (margin when converted; revenue), each over its outcome window. The model's probabilities would
     * understate it when the model is wrong, and a doubly robust forecast is one where the ledger can say.
     */
    static Variance loggedVariance(Campaign draft, List<LoggedDecision> matched) {
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

    static double sampleVariance(List<Double> xs) {
        if (xs.size() < 2) return 0;
        double sd = sd(xs.stream().mapToDouble(Double::doubleValue).toArray());
        return sd * sd;
    }

    /**
     * The draft met at one visit (a decision and the holdouts it assigned): the model's view, and with {@code logged}
     * (doubly robust) the correction of the visit's rows that issued or withheld the draft's coupon.
     */
    static Row row(
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
            double weight = Math.min(CampaignForecast.MAX_WEIGHT, 1 / m.propensity());
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
    static List<Row> perShopper(List<Row> rows, Campaign draft, OfferSettings offers) {
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
    static double within(List<Row> issued, Instant at, Duration window) {
        var from = at.minus(window);
        double n = 0;
        for (var r : issued) if (r.at().isAfter(from) && !r.at().isAfter(at)) n += r.issue() >= 0.5 ? 1 : r.issue();
        return n;
    }

    static double sum(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).sum();
    }

    static double sd(double[] xs) {
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= xs.length;
        double ss = 0;
        for (double x : xs) ss += sq(x - mean);
        return Math.sqrt(ss / Math.max(1, xs.length - 1));
    }

    static double sq(double x) {
        return x * x;
    }

    static double clamp(double p) {
        return Math.max(0, Math.min(1, p));
    }
}

package io.kairos.pricing.policy;

import io.kairos.pricing.DemandBook;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.PriceDecision.Candidate;
import io.kairos.pricing.PricingSettings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Thompson sampling over a price ladder with a parametric Bayesian demand model.
 *
 * <p>Units per view at price {@code p} follow {@code exp(a + b x + c x^2)}, {@code x = ln(p / list)}: a
 * constant-elasticity curve when {@code c = 0}, and one whose elasticity changes with the price otherwise. The prior
 * comes from the SKU's {@link DemandPrior} (a = ln baseDemand, b = elasticity, c = 0), so a new SKU starts from the
 * demand model's belief and neighbouring prices share what is learnt. Each decision draws one (a, b, c) from the
 * Laplace posterior ({@link PoissonRegression}) and proposes the rung maximising the drawn value per view: {@code p *
 * rate} for revenue, {@code (p - cost) * rate} for margin (cost 0 with a sell-through date: see
 * {@link PolicyInput#effectiveUnitCost()}).
 *
 * <p>Inventory-aware: with a sell-through date, a rung is feasible only if its drawn sales until the date fit the stock
 * left (the single-product form of Ferreira, Simchi-Levi and Wang's constrained Thompson sampling); if none fits, the
 * rung with the fewest drawn sales. Sold out: hold.
 *
 * <p>Optional daypart contexts ({@code hours-per-daypart < 24}): the current daypart is fitted with, as prior, the
 * posterior of the other dayparts widened by {@code daypart-sd}, so a daypart starts from what the rest of the day
 * taught and only drifts from it as its own data demands.
 */
public final class ThompsonPolicy implements PricingPolicy {

    public static final String MODEL = "thompson-poisson-logquadratic-v1";

    private final PricingSettings settings;

    public ThompsonPolicy(PricingSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        var config = in.config();
        double list = config.listPrice().doubleValue();
        var ladder = PriceLadder.of(config.listPrice(), in.legalRange(), settings.ladderStepPercent(), config.scale());
        if (config.inventory().filter(i -> i == 0).isPresent()) {
            return new Proposal(in.currentPrice(), MODEL, List.of(), "sold out: hold", Optional.empty());
        }

        int hoursPerDaypart = settings.thompson().hoursPerDaypart();
        int daypart = in.hourOfDay() / hoursPerDaypart;
        IntPredicate inContext = inContext(in.hourOfDay());
        var posterior = posterior(in.prior(), in.demand(), config.listPrice(), in.hourOfDay());
        var rng = new SplittableRandom(in.seed());
        double[] theta = posterior.sample(rng);

        double cost = in.effectiveUnitCost();
        Optional<Double> ratePerViewCap = capacity(in);
        var context = aggregate(in.demand(), inContext);
        var candidates = new ArrayList<Candidate>(ladder.size());
        Candidate best = null;
        Candidate leastSales = null;
        int feasible = 0;
        for (var p : ladder) {
            double rate = Math.exp(PoissonRegression.eta(theta, Math.log(p.doubleValue() / list)));
            double score = (p.doubleValue() - cost) * rate;
            long[] seen = context.getOrDefault(p, new long[2]);
            var c = new Candidate(p, seen[0], seen[1], rate, score);
            candidates.add(c);
            if (leastSales == null || rate < leastSales.sample()) leastSales = c;
            if (ratePerViewCap.isPresent() && rate > ratePerViewCap.get()) continue;
            feasible++;
            if (best == null || score > best.score()) best = c;
        }
        var chosen = best != null ? best : leastSales;
        int feasibleCount = feasible;
        var note = String.format(
                Locale.ROOT,
                "draw a=%.4f b=%.4f c=%.4f; posterior b=%.3f±%.3f c=%.3f±%.3f; daypart %d/%d%s",
                theta[0],
                theta[1],
                theta[2],
                posterior.mean()[1],
                posterior.sd(1),
                posterior.mean()[2],
                posterior.sd(2),
                daypart,
                24 / hoursPerDaypart,
                ratePerViewCap
                        .map(cap -> String.format(
                                Locale.ROOT,
                                "; sell-through cap %.5f/view, %d of %d rungs fit",
                                cap,
                                feasibleCount,
                                candidates.size()))
                        .orElse(""));
        return new Proposal(chosen.price(), MODEL, candidates, note, Optional.empty());
    }

    /**
     * The belief a decision at {@code hourOfDay} draws from: the Laplace posterior of (a, b, c), {@code b} the
     * elasticity at the list price, given the prior and the demand cells of the hour's daypart context.
     */
    public PoissonRegression.Gaussian posterior(
            DemandPrior prior, DemandBook demand, BigDecimal listPrice, int hourOfDay) {
        double list = listPrice.doubleValue();
        double curvatureSd = settings.thompson().curvatureSd();
        var base = new PoissonRegression.Gaussian(
                new double[] {Math.log(prior.baseDemand()), prior.elasticity(), 0.0}, new double[][] {
                    {sq(prior.baseDemandLogSd()), 0, 0}, {0, sq(prior.elasticitySd()), 0}, {0, 0, sq(curvatureSd)}
                });
        if (settings.thompson().hoursPerDaypart() >= 24) {
            return PoissonRegression.posterior(base, points(demand, h -> true, list));
        }
        var inContext = inContext(hourOfDay);
        var t = settings.thompson();
        var rest = PoissonRegression.posterior(base, points(demand, inContext.negate(), list));
        var widened = rest.widened(new double[] {t.daypartInterceptSd(), t.daypartSlopeSd(), t.daypartCurvatureSd()});
        return PoissonRegression.posterior(widened, points(demand, inContext, list));
    }

    /** The hours of the day that share {@code hourOfDay}'s daypart context (all of them with one context). */
    private IntPredicate inContext(int hourOfDay) {
        int hoursPerDaypart = settings.thompson().hoursPerDaypart();
        int daypart = hourOfDay / hoursPerDaypart;
        return hoursPerDaypart >= 24 ? h -> true : h -> h / hoursPerDaypart == daypart;
    }

    /** Units allowed per view so that sales until the sell-through date fit the stock, if that applies. */
    private static Optional<Double> capacity(PolicyInput in) {
        var inventory = in.config().inventory();
        var periods = in.periodsToSellThrough();
        double viewsPerPeriod = in.demand().viewsPerPeriod();
        if (inventory.isEmpty() || periods.isEmpty() || viewsPerPeriod <= 0) return Optional.empty();
        return Optional.of(inventory.get() / (Math.max(periods.get(), 1.0) * viewsPerPeriod));
    }

    /** Views and units per price among the cells whose hour passes {@code hours}. */
    private static TreeMap<BigDecimal, long[]> aggregate(DemandBook demand, IntPredicate hours) {
        var byPrice = new TreeMap<BigDecimal, long[]>();
        for (var cell : demand.cells().values()) {
            if (!hours.test(cell.hour())) continue;
            long[] acc = byPrice.computeIfAbsent(cell.price(), p -> new long[2]);
            acc[0] += cell.views();
            acc[1] += cell.units();
        }
        return byPrice;
    }

    /** Regression points per price; prices without views carry no information about units per view and are left out. */
    private static List<PoissonRegression.Point> points(DemandBook demand, IntPredicate hours, double list) {
        var points = new ArrayList<PoissonRegression.Point>();
        aggregate(demand, hours).forEach((price, acc) -> {
            if (acc[0] > 0)
                points.add(new PoissonRegression.Point(Math.log(price.doubleValue() / list), acc[0], acc[1]));
        });
        return points;
    }

    private static double sq(double v) {
        return v * v;
    }
}

package io.kairos.pricing.policy;

import io.kairos.pricing.PriceDecision.Candidate;
import io.kairos.pricing.PriceDecision.QLearningStep;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.QTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Tabular Q-learning, the baseline of the issue: states are (time window of the day, inventory level, demand heat,
 * price level), actions move the price one step down, hold it, or move it one step up.
 *
 * <p>At each decision it first learns from the period that just ended: the reward is the period's revenue (or margin)
 * per view, divided by the list price so that SKUs share a scale, and {@code Q(s,a) += rate * (reward + discount * max
 * Q(s',.) - Q(s,a))}. Then it acts epsilon-greedily with {@code epsilon = max(min, 1/sqrt(1 + visits(s')))}. Rows first
 * seen are filled from the demand prior (the value of each action's price under the prior curve, held forever), so a
 * new SKU does not start blind.
 *
 * <p>The price level is not among the three state variables; without it the same state would mean any price and
 * "one step down" could not be learnt, so it is added (a stronger baseline, not a weaker one).
 */
public final class QLearningPolicy implements PricingPolicy {

    public static final String MODEL = "qlearning-tabular-v1";

    private final PricingSettings.QLearning q;

    public QLearningPolicy(PricingSettings settings) {
        this.q = settings.qlearning();
    }

    @Override
    public Proposal propose(PolicyInput in) {
        var rows = new HashMap<String, QTable.Row>();
        String state = stateOf(in);
        Optional<Double> reward = Optional.empty();
        var last = in.lastQStep();
        if (last.isPresent() && in.demand().sinceDecision().views() > 0) {
            double r = reward(in);
            reward = Optional.of(r);
            var previous = rowOf(in, rows, last.get().state());
            int a = last.get().action();
            double bootstrap = rowOf(in, rows, state).max();
            double updated = previous.value(a) + q.learningRate() * (r + q.discount() * bootstrap - previous.value(a));
            rows.put(last.get().state(), previous.with(a, updated));
        }

        var row = rowOf(in, rows, state);
        double epsilon = Math.max(q.epsilonMin(), 1.0 / Math.sqrt(1.0 + row.visits()));
        var rng = new SplittableRandom(in.seed());
        double draw = rng.nextDouble();
        boolean explored = draw < epsilon;
        int action = explored ? rng.nextInt(3) : argmax(row);
        rows.put(state, row.visited());

        var candidates = new ArrayList<Candidate>(3);
        for (int a = QTable.DOWN; a <= QTable.UP; a++) {
            candidates.add(new Candidate(priceAfter(in, a), 0, 0, 0.0, row.value(a)));
        }
        var step = new QLearningStep(
                last.map(QLearningStep::state),
                last.map(QLearningStep::action).orElse(-1),
                reward,
                state,
                action,
                epsilon,
                draw,
                explored,
                rows);
        var note =
                String.format(Locale.ROOT, "state %s, action %s%s", state, name(action), explored ? " (explore)" : "");
        return new Proposal(priceAfter(in, action), MODEL, candidates, note, Optional.of(step));
    }

    private QTable.Row rowOf(PolicyInput in, Map<String, QTable.Row> changed, String state) {
        var row = changed.get(state);
        if (row != null) return row;
        return in.qTable().row(state).orElseGet(() -> priorRow(in));
    }

    /** Action values under the prior curve, as if the action's price were held forever. */
    private QTable.Row priorRow(PolicyInput in) {
        double[] v = new double[3];
        for (int a = QTable.DOWN; a <= QTable.UP; a++) {
            double p = priceAfter(in, a).doubleValue();
            double list = in.config().listPrice().doubleValue();
            double rate =
                    in.prior().baseDemand() * Math.pow(p / list, in.prior().elasticity());
            v[a] = (p - in.effectiveUnitCost()) * rate / list / (1 - q.discount());
        }
        return new QTable.Row(v[0], v[1], v[2], 0);
    }

    private double reward(PolicyInput in) {
        var period = in.demand().sinceDecision();
        double value = period.revenue() - in.effectiveUnitCost() * period.units();
        return value / (period.views() * in.config().listPrice().doubleValue());
    }

    private BigDecimal priceAfter(PolicyInput in, int action) {
        double stepPercent =
                Math.min(q.stepPercent(), in.config().maxStepPercent().doubleValue());
        double factor = 1 + (action - 1) * stepPercent / 100.0;
        var p = in.currentPrice()
                .multiply(BigDecimal.valueOf(factor))
                .setScale(in.config().scale(), RoundingMode.HALF_EVEN);
        return p.max(in.legalRange().lower()).min(in.legalRange().upper());
    }

    String stateOf(PolicyInput in) {
        int window = in.hourOfDay() / q.hoursPerWindow();
        return "w" + window + "|i" + inventoryLevel(in) + "|h" + heat(in) + "|p" + priceLevel(in);
    }

    private static String inventoryLevel(PolicyInput in) {
        var inventory = in.config().inventory();
        if (inventory.isEmpty()) return "-";
        double unitsPerPeriod = in.demand().unitsPerPeriod();
        if (unitsPerPeriod <= 0) return "H";
        var periods = in.periodsToSellThrough();
        double ratio;
        if (periods.isPresent()) {
            ratio = inventory.get() / (unitsPerPeriod * periods.get());
            return ratio < 0.8 ? "L" : ratio <= 1.25 ? "M" : "H";
        }
        double periodsPerDay = 86_400_000.0 / in.config().repriceEvery().toMillis();
        double coverDays = inventory.get() / unitsPerPeriod / periodsPerDay;
        return coverDays < 7 ? "L" : coverDays < 30 ? "M" : "H";
    }

    private static int heat(PolicyInput in) {
        double usual = in.demand().viewsPerPeriod();
        if (usual <= 0) return 1;
        double ratio = in.demand().sinceDecision().views() / usual;
        return ratio < 0.75 ? 0 : ratio > 1.33 ? 2 : 1;
    }

    private int priceLevel(PolicyInput in) {
        double lower = Math.log(in.legalRange().lower().doubleValue());
        double upper = Math.log(in.legalRange().upper().doubleValue());
        if (upper <= lower) return 0;
        double position = (Math.log(in.currentPrice().doubleValue()) - lower) / (upper - lower);
        return Math.max(0, Math.min(q.priceLevels() - 1, (int) Math.floor(position * q.priceLevels())));
    }

    private static int argmax(QTable.Row row) {
        int best = QTable.HOLD;
        for (int a = QTable.DOWN; a <= QTable.UP; a++) if (row.value(a) > row.value(best)) best = a;
        return best;
    }

    private static String name(int action) {
        return switch (action) {
            case QTable.DOWN -> "down";
            case QTable.HOLD -> "hold";
            default -> "up";
        };
    }
}

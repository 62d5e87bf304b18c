package io.kairos.pricing;

import io.kairos.audit.Rederivation;
import io.kairos.audit.Rederivation.Result;
import io.kairos.pricing.PriceDecision.Reason;
import io.kairos.pricing.SkuPricingEntity.Configured;
import io.kairos.pricing.SkuPricingEntity.Event;
import io.kairos.pricing.SkuPricingEntity.PriceChanged;
import io.kairos.pricing.SkuPricingEntity.PriceHeld;
import io.kairos.pricing.SkuPricingState.Priced;
import io.kairos.pricing.SkuPricingState.Unconfigured;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Re-derives a recorded pricing decision from the SKU's journal: the state is rebuilt from the events before the
 * decision (the event handler, as recovery does), and the decision is taken again by the same code the entity runs
 * ({@link Decisions}): a repricing runs the policy with the recorded seed at the recorded time, the first price and a
 * correction forced by a new configuration run the guardrails on the configuration recorded just before. Pure.
 *
 * <p>Compared (field names as in the decision): {@code model}, {@code boundBy} and {@code note} exact; the money
 * ({@code currentPrice}, {@code target}, {@code price}) exact; every candidate's {@code price} exact, {@code views} and
 * {@code units} exact, {@code sample} and {@code score} within {@value Rederivation#RELATIVE_TOLERANCE} relative; the
 * Q-learning step exact. The node's pricing settings (policy parameters, time zone) are today's: a decision taken under
 * other settings can differ, and says where.
 */
public final class PriceReplay {
    private PriceReplay() {}

    /**
     * @param before the SKU's events before the decision, from sequence number 1, in order
     * @param decided the event at {@code sequenceNr} that records the decision
     */
    public static Result replay(
            String sku, List<Event> before, Event decided, long sequenceNr, PricingSettings settings) {
        if (before.size() != sequenceNr - 1)
            return Result.notRederivable(
                    SkuPricingEntity.decisionId(sku, sequenceNr),
                    "price",
                    "the journal holds " + before.size() + " events before sequence number " + sequenceNr);
        var previous = before.isEmpty() ? null : before.get(before.size() - 1);
        // one fold: the state before the previous event, then that event applied to it
        var beforePrevious = fold(before.isEmpty() ? before : before.subList(0, before.size() - 1), settings);
        var state = previous == null ? beforePrevious : beforePrevious.apply(previous, settings);
        return replay(sku, new Context(state, beforePrevious, previous), decided, sequenceNr, settings);
    }

    /**
     * Every decision of a SKU's whole journal ({@code events} from sequence number 1) that {@code which} selects,
     * re-derived in one pass over the journal (the state is carried along, not rebuilt per decision).
     */
    public static List<Result> replayAll(
            String sku, List<Event> events, Predicate<PriceDecision> which, PricingSettings settings) {
        var out = new ArrayList<Result>();
        SkuPricingState state = new Unconfigured();
        SkuPricingState beforePrevious = state;
        Event previous = null;
        for (int i = 0; i < events.size(); i++) {
            var e = events.get(i);
            var decision = decisionOf(e);
            if (decision != null && which.test(decision))
                out.add(replay(sku, new Context(state, beforePrevious, previous), e, i + 1L, settings));
            beforePrevious = state;
            state = state.apply(e, settings);
            previous = e;
        }
        return out;
    }

    /** The states around a decision: before it, before the event just before it, and that event (null: none). */
    private record Context(SkuPricingState before, SkuPricingState beforePrevious, Event previous) {}

    private static PriceDecision decisionOf(Event e) {
        return e instanceof PriceChanged c ? c.decision() : e instanceof PriceHeld h ? h.decision() : null;
    }

    private static Result replay(String sku, Context ctx, Event decided, long sequenceNr, PricingSettings settings) {
        var recorded = decisionOf(decided);
        String id = SkuPricingEntity.decisionId(sku, sequenceNr);
        if (recorded == null) return Result.notRederivable(id, "price", "the event is not a pricing decision");
        var decisions = new Decisions(sku, settings);
        Optional<Event> replayed;
        if (recorded.reason() == Reason.REPRICE) {
            if (!(ctx.before() instanceof Priced s))
                return Result.notRederivable(id, "price", "the SKU had no price before the decision");
            // validFrom is max(now, the quote's validFrom): only when they differ is the time of the decision known
            if (!recorded.at().isAfter(s.quote().validFrom()))
                return Result.notRederivable(
                        id,
                        "price",
                        "decided before the price in force took effect: the time of deciding is not recorded");
            var now = recorded.at();
            replayed = Optional.of(decisions.reprice(
                    s, now, sequenceNr, now.atZone(settings.timeZone()).getHour(), recorded.seed()));
        } else {
            if (!(ctx.previous() instanceof Configured configured))
                return Result.notRederivable(id, "price", "no configuration recorded just before the decision");
            if (recorded.reason() == Reason.INITIAL) {
                replayed = Optional.of(decisions.initial(configured.config(), configured.at(), sequenceNr));
            } else {
                if (!(ctx.beforePrevious() instanceof Priced s))
                    return Result.notRederivable(id, "price", "the SKU had no price before the new configuration");
                replayed = decisions
                        .correction(s, configured.config(), configured.at(), sequenceNr)
                        .map(Event.class::cast);
            }
        }
        var diff = new Rederivation.Comparison();
        var again = replayed.map(PriceReplay::decisionOf);
        diff.exact("decided", true, again.isPresent());
        if (again.isEmpty()) return diff.result(id, "price", null);
        var now = again.get();
        diff.exact("model", recorded.model(), now.model());
        diff.money("currentPrice", recorded.currentPrice(), now.currentPrice());
        diff.money("target", recorded.target(), now.target());
        diff.money("price", recorded.price(), now.price());
        diff.exact("boundBy", recorded.boundBy(), now.boundBy());
        diff.exact("note", recorded.note(), now.note());
        diff.exact(
                "candidates.size",
                recorded.candidates().size(),
                now.candidates().size());
        for (int i = 0;
                i < Math.min(recorded.candidates().size(), now.candidates().size());
                i++) {
            var was = recorded.candidates().get(i);
            var is = now.candidates().get(i);
            var at = "candidates[" + i + "].";
            diff.money(at + "price", was.price(), is.price());
            diff.exact(at + "views", was.views(), is.views());
            diff.exact(at + "units", was.units(), is.units());
            diff.close(at + "sample", was.sample(), is.sample());
            diff.close(at + "score", was.score(), is.score());
        }
        diff.exact("qLearning", recorded.qLearning(), now.qLearning());
        return diff.result(id, "price", now.model());
    }

    private static SkuPricingState fold(List<Event> events, PricingSettings settings) {
        SkuPricingState state = new Unconfigured();
        for (var e : events) state = state.apply(e, settings);
        return state;
    }
}

package io.kairos.http.campaign;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignState;
import io.kairos.campaign.Pacing;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /v1/campaigns/{id}/burn?from&to&step} (role operator or auditor): the budget's burn over time, from the
 * campaign's journal: at each step, what was reserved and spent after every event up to that instant, and what pacing
 * allowed then ({@link Pacing}, with the budget of that instant). {@code from} defaults to the campaign's creation,
 * {@code to} to now (or its end, if earlier), {@code step} (an ISO duration, at least a minute) to a hundredth of the
 * span, and {@code to} is the last point even off the steps; at most {@value #MAX_POINTS} points. Persists nothing.
 */
public record BurnRoutes(
        Function<String, Source<EventEnvelope, NotUsed>> journal,
        double pacingInitialShare,
        ActorSystem<?> system,
        RouteContext ctx) {
    static final int MAX_POINTS = 1000;

    public record Burn(String campaignId, Instant from, Instant to, String step, List<Point> points) {}

    public record Point(Instant at, BigDecimal reserved, BigDecimal spent, BigDecimal allowedByPacing) {}

    private record Timed(Instant at, CampaignEntity.Event event) {}

    public Route routes() {
        return pathPrefix(
                "campaigns",
                () -> RouteContext.id(
                        "campaignId",
                        id -> path(
                                "burn",
                                () -> get(() -> ctx.authorized(
                                        roles(Role.OPERATOR, Role.AUDITOR),
                                        () -> parameterOptional(
                                                "from",
                                                from -> parameterOptional(
                                                        "to",
                                                        to -> parameterOptional(
                                                                "step", step -> burn(id, from, to, step)))))))));
    }

    private Route burn(String id, Optional<String> fromParam, Optional<String> toParam, Optional<String> stepParam) {
        var v = new Validator();
        var from = fromParam.map(f -> v.instant("from", f, true)).orElse(null);
        var to = toParam.map(t -> v.instant("to", t, true)).orElse(null);
        var step = stepParam.map(s -> duration(v, s)).orElse(null);
        v.throwIfInvalid();
        var now = ctx.now();
        var pid = PersistenceId.of(CampaignEntity.ENTITY_KEY.name(), id).id();
        var events = journal.apply(pid)
                .map(env -> (CampaignEntity.Event) env.event())
                .map(e -> new Timed(e.at(), e))
                .runWith(Sink.seq(), system);
        return onSuccess(events, list -> {
            if (list.isEmpty()) throw ApiException.notFound("campaign " + id + " does not exist");
            var first = list.get(0).at();
            var state0 = CampaignState.EMPTY.apply(list.get(0).event());
            var start = from != null ? from : first;
            var end = to != null ? to : min(now, state0.definition().endsAt());
            if (end.isBefore(start)) throw ApiException.badRequest("to", "must not be before from (" + start + ")");
            var span = Duration.between(start, end);
            var every = step != null ? step : max(Duration.ofMinutes(1), span.dividedBy(100));
            long count = span.dividedBy(every) + 1;
            if (count > MAX_POINTS)
                throw ApiException.badRequest(
                        "step",
                        "gives " + count + " points; at most " + MAX_POINTS + " (a longer step, or a shorter span)");
            return complete(json(
                    StatusCodes.OK,
                    new Burn(id, start, end, every.toString(), points(list, start, end, every, count))));
        });
    }

    /**
     * The state after every event up to each point (events in journal order; their times never go back): every step
     * from {@code start}, and {@code end} itself when the steps do not land on it.
     */
    private List<Point> points(List<Timed> events, Instant start, Instant end, Duration every, long count) {
        var times = new ArrayList<Instant>();
        for (long i = 0; i < count; i++) times.add(start.plus(every.multipliedBy(i)));
        if (times.get(times.size() - 1).isBefore(end)) times.add(end);
        var points = new ArrayList<Point>();
        var state = CampaignState.EMPTY;
        int next = 0;
        for (var at : times) {
            while (next < events.size() && !events.get(next).at().isAfter(at))
                state = state.apply(events.get(next++).event());
            if (state.definition() == null) continue;
            points.add(new Point(
                    at,
                    state.reserved(),
                    state.spent(),
                    Pacing.allowance(state.definition(), state.budget(), at, pacingInitialShare)));
        }
        return points;
    }

    private static Duration duration(Validator v, String text) {
        try {
            var d = Duration.parse(text);
            if (d.compareTo(Duration.ofMinutes(1)) < 0) v.error("step", "must be at least PT1M");
            return d;
        } catch (DateTimeParseException e) {
            v.error("step", "must be an ISO-8601 duration such as PT1H");
            return null;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

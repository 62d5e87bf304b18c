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
        var step = stepParam
                .filter(s -> v.text("step", s, 64, false))
                .map(s -> duration(v, s))
                .orElse(null);
        v.throwIfInvalid();
        var now = ctx.now();
        var pid = PersistenceId.of(CampaignEntity.ENTITY_KEY.name(), id).id();
        // the first event (the creation) sets the defaults; then the journal is folded into the points, one pass
        var burn = journal.apply(pid)
                .map(env -> (CampaignEntity.Event) env.event())
                .prefixAndTail(1)
                .runWith(Sink.head(), system)
                .thenCompose(split -> {
                    if (split.first().isEmpty()) throw ApiException.notFound("campaign " + id + " does not exist");
                    var created = split.first().get(0);
                    var times = times(from, to, step, created, now);
                    return Source.from(split.first())
                            .concat(split.second())
                            .runWith(Sink.fold(new Burner(times), Burner::accept), system)
                            .thenApply(b -> new Burn(
                                    id,
                                    times.start(),
                                    times.end(),
                                    times.every().toString(),
                                    b.finish()));
                });
        return onSuccess(burn, b -> complete(json(StatusCodes.OK, b)));
    }

    /** The instants of the points: every step from the start, and the end itself when the steps miss it. */
    private record Times(Instant start, Instant end, Duration every, List<Instant> at) {}

    private Times times(Instant from, Instant to, Duration step, CampaignEntity.Event created, Instant now) {
        var definition = CampaignState.EMPTY.apply(created).definition();
        var start = from != null ? from : created.at();
        var endsAt = definition.endsAt();
        var end = to != null ? to : (now.isBefore(endsAt) ? now : endsAt);
        if (end.isBefore(start)) {
            throw to != null
                    ? ApiException.badRequest("to", "must not be before from (" + start + ")")
                    : ApiException.badRequest("from", "must not be after the default to (" + end + ")");
        }
        var span = Duration.between(start, end);
        var every = step != null ? step : span.dividedBy(100);
        if (every.compareTo(Duration.ofMinutes(1)) < 0) every = Duration.ofMinutes(1);
        long steps = span.dividedBy(every) + 1;
        boolean endOffStep = !every.multipliedBy(steps - 1).equals(span);
        long count = steps + (endOffStep ? 1 : 0);
        if (count > MAX_POINTS)
            throw ApiException.badRequest(
                    "step",
                    "gives " + count + " points; at most " + MAX_POINTS + " (a longer step, or a shorter span)");
        var at = new ArrayList<Instant>();
        for (long i = 0; i < steps; i++) at.add(start.plus(every.multipliedBy(i)));
        if (endOffStep) at.add(end);
        return new Times(start, end, every, at);
    }

    /**
     * Folds the journal (events in journal order; their times never go back) into the points: the state after every
     * event up to each instant, points before the campaign existed left out.
     */
    private final class Burner {
        private final List<Instant> times;
        private final List<Point> points = new ArrayList<>();
        private CampaignState state = CampaignState.EMPTY;
        private int next;

        Burner(Times times) {
            this.times = times.at();
        }

        Burner accept(CampaignEntity.Event e) {
            while (next < times.size() && times.get(next).isBefore(e.at())) point(times.get(next++));
            state = state.apply(e);
            return this;
        }

        List<Point> finish() {
            while (next < times.size()) point(times.get(next++));
            return points;
        }

        private void point(Instant at) {
            if (state.definition() == null) return;
            points.add(new Point(
                    at,
                    state.reserved(),
                    state.spent(),
                    Pacing.allowance(state.definition(), state.budget(), at, pacingInitialShare)));
        }
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
}

package io.kairos.http.dev;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.time.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's clock ({@link io.kairos.time.NodeClock}, the one the routes' {@link RouteContext#now} reads). {@code GET
 * /v1/dev/clock} (any role): the time the node decides by, and whether it is simulated. {@code POST /v1/dev/clock}
 * (role admin): moves a simulated clock forward, to an instant ({@code to}, idempotent) or by a duration
 * ({@code advanceBy}); a node on the system clock answers 409, a move backwards 422. What falls due with the move
 * (expiries, wake-ups, deliveries, repricing, pacing, scheduled learning) happens within
 * {@code kairos.clock.recheck-interval}.
 */
public record ClockRoutes(Optional<SimulatedClock> simulated, RouteContext ctx) {

    /** The node's time. */
    public record ClockView(Instant now, boolean simulated) {}

    /** A move: exactly one of {@code to} and {@code advanceBy} (an ISO-8601 duration such as {@code PT6H}). */
    public record ClockMove(Instant to, Duration advanceBy) {}

    public Route routes() {
        return pathPrefix(
                "dev",
                () -> path(
                        "clock",
                        () -> concat(
                                get(() -> ctx.authorized(
                                        roles(Role.INGEST, Role.OPERATOR, Role.AUDITOR),
                                        () -> complete(json(StatusCodes.OK, view())))),
                                post(() -> ctx.authorizedBody(
                                        roles(Role.ADMIN),
                                        ClockMove.class,
                                        move -> complete(json(StatusCodes.OK, move(move))))))));
    }

    private ClockView view() {
        return new ClockView(ctx.now(), simulated.isPresent());
    }

    private ClockView move(ClockMove move) {
        if ((move.to() == null) == (move.advanceBy() == null))
            throw ApiException.badRequest("to", "give exactly one of to (an instant) and advanceBy (a duration)");
        var clock = simulated.orElseThrow(() -> ApiException.conflict("this node runs on the system clock; only a dev"
                + " node started with KAIROS_CLOCK=simulated has a clock that can be moved"));
        try {
            if (move.to() != null) clock.moveTo(move.to());
            else clock.advance(move.advanceBy());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(e.getMessage());
        }
        return view();
    }
}

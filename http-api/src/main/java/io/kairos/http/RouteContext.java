package io.kairos.http;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.japi.function.Function;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What every resource's routes share: the API keys that authorize requests, the HTTP settings (timeouts, limits) and
 * the clock that stamps requests with their time, admission control and the rate limits. One per node; every
 * {@code XRoutes} class takes it.
 */
public record RouteContext(
        ApiKeys keys, HttpSettings settings, Clock clock, Admission admission, RateLimits rateLimits) {

    /** Without admission control (every request admitted) and without rate limits. */
    public RouteContext(ApiKeys keys, HttpSettings settings, Clock clock) {
        this(keys, settings, clock, Admission.UNLIMITED, RateLimits.NONE);
    }

    /** Without rate limits. */
    public RouteContext(ApiKeys keys, HttpSettings settings, Clock clock, Admission admission) {
        this(keys, settings, clock, admission, RateLimits.NONE);
    }

    /**
     * {@code inner} if the node admits one more of {@code work} ({@link Admission}); else a 503 at once, before the
     * request's body is even read. Whatever {@code inner} answers (its failures as problems) releases the permit.
     */
    public Route admitted(Admission.Work work, Supplier<Route> inner) {
        return Directives.extractRequestContext(
                request -> { // per request
                    var permit = admission.tryAcquire(work);
                    if (permit.isEmpty()) {
                        return Directives.complete(ApiDirectives.problem(
                                ApiException.overloaded(work.label()).problem(), settings));
                    }
                    try {
                        return Directives.mapRouteResultFuture(
                                result -> result.whenComplete((r, failure) -> {
                                    if (r instanceof akka.http.javadsl.server.Complete c)
                                        permit.get()
                                                .answered(
                                                        c.getResponse().status().intValue());
                                    else if (failure != null) permit.get().failed(failure);
                                    else permit.get().answered(400); // rejected: the request's fault, no sign of load
                                }),
                                () -> Directives.handleExceptions(ApiDirectives.exceptionHandler(settings), inner));
                    } catch (RuntimeException e) {
                        permit.get().failed(e);
                        throw e;
                    }
                });
    }

    /** {@code job} if the node admits one more of {@code work} ({@link Admission}); else a 503 at once. */
    public <T> CompletionStage<T> admit(Admission.Work work, Supplier<CompletionStage<T>> job) {
        return admission.admit(work, job);
    }

    /** Lets the request through when it carries a key of one of {@code roles} (admin always passes). */
    public Route authorized(Set<Role> roles, Supplier<Route> inner) {
        return ApiDirectives.authorized(keys, settings, rateLimits, roles, inner);
    }

    /**
     * As {@link #authorized}, for a request that changes state: {@code inner} is given the id of the API key it carries
     * (never the key), which the change records as who made it.
     */
    public Route acting(Set<Role> roles, java.util.function.Function<String, Route> inner) {
        return ApiDirectives.authorizedAs(keys, settings, rateLimits, roles, key -> inner.apply(key.id()));
    }

    /** As {@link #acting}, with the JSON body ({@link #jsonBody}): {@code handler} gets the body and the key's id. */
    public <T> Route actingBody(
            Set<Role> roles, Class<T> type, java.util.function.BiFunction<T, String, Route> handler) {
        return acting(roles, actor -> jsonBody(type, body -> handler.apply(body, actor)));
    }

    /** Reads the JSON body into {@code type}; anything else is a 400/413/415 problem. */
    public <T> Route jsonBody(Class<T> type, java.util.function.Function<T, Route> inner) {
        return ApiDirectives.jsonBody(settings, type, inner);
    }

    /** As {@link #jsonBody}; a request without a body gives {@code inner} null. */
    public <T> Route optionalJsonBody(Class<T> type, java.util.function.Function<T, Route> inner) {
        return ApiDirectives.optionalJsonBody(settings, type, inner);
    }

    /** An authorized request ({@link #authorized}) whose JSON body ({@link #jsonBody}) goes to {@code handler}. */
    public <T> Route authorizedBody(Set<Role> roles, Class<T> type, java.util.function.Function<T, Route> handler) {
        return authorized(roles, () -> jsonBody(type, handler));
    }

    /**
     * The next path segment as a resource id, checked as {@code field} (a malformed id is a 400 problem) before
     * {@code inner} sees it.
     */
    public static Route id(String field, java.util.function.Function<String, Route> inner) {
        return Directives.pathPrefix(PathMatchers.segment(), id -> {
            Validator.requireId(field, id);
            return inner.apply(id);
        });
    }

    public Instant now() {
        return clock.instant();
    }

    /** Asks an entity within the configured ask timeout (a timeout answers 503). */
    public <Req, Res> CompletionStage<Res> ask(EntityRef<Req> entity, Function<ActorRef<Res>, Req> message) {
        return entity.ask(message, settings.askTimeout());
    }
}

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
 * the clock that stamps requests with their time. One per node; every {@code XRoutes} class takes it.
 */
public record RouteContext(ApiKeys keys, HttpSettings settings, Clock clock) {

    /** Lets the request through when it carries a key of one of {@code roles} (admin always passes). */
    public Route authorized(Set<Role> roles, Supplier<Route> inner) {
        return ApiDirectives.authorized(keys, settings, roles, inner);
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

package io.kairos.http.model;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.models.registry.ModelMetadata;
import io.kairos.models.registry.ModelRegistry;
import io.kairos.modelserving.ModelServing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/models} (role operator): the stored model versions, which is promoted, which is active on this node, and
 * promotion/rollback. A promotion is written to the store, activated on this node at once and announced to every node,
 * which switches without restart.
 */
public record ModelRoutes(ModelServing models, RouteContext ctx) {

    public record TrainingBody(String source, Instant from, Instant to, long rows) {}

    public record ModelVersion(
            String name,
            String version,
            String kind,
            Instant createdAt,
            TrainingBody training,
            Map<String, Double> metrics,
            Map<String, String> properties,
            boolean promoted,
            boolean active) {}

    public record ModelList(List<ModelVersion> models) {}

    public record PromoteRequest(String version) {}

    public record Promotion(String name, String version, String previous) {}

    public Route routes() {
        return pathPrefix(
                "models",
                () -> ctx.authorized(
                        roles(Role.OPERATOR),
                        () -> concat(
                                pathEnd(() -> get(() -> onSuccess(list(), l -> complete(json(StatusCodes.OK, l))))),
                                pathPrefix(PathMatchers.segment(), name -> {
                                    Validator.requireId("name", name);
                                    return concat(
                                            path(
                                                    "promote",
                                                    () -> post(
                                                            () -> ctx.jsonBody(
                                                                    PromoteRequest.class,
                                                                    body -> {
                                                                        Validator.requireId("version", body.version());
                                                                        return onSuccess(
                                                                                change(
                                                                                        name,
                                                                                        r -> r.promote(
                                                                                                name, body.version())),
                                                                                p -> complete(json(StatusCodes.OK, p)));
                                                                    }))),
                                            path(
                                                    "rollback",
                                                    () -> post(
                                                            () -> onSuccess(
                                                                    change(name, r -> r.rollback(name)),
                                                                    p -> complete(json(StatusCodes.OK, p))))));
                                }))));
    }

    private CompletionStage<ModelList> list() {
        return models.withRegistry(r -> {
            var out = new ArrayList<ModelVersion>();
            for (ModelMetadata m : r.store().list()) {
                var promoted = r.store().promoted(m.name());
                var active = r.active(m.name()).map(a -> a.metadata().version());
                var t = m.training();
                out.add(new ModelVersion(
                        m.name(),
                        m.version(),
                        m.kind().name().toLowerCase(),
                        m.createdAt(),
                        new TrainingBody(t.source(), t.from(), t.to(), t.rows()),
                        m.metrics(),
                        m.properties(),
                        promoted.map(m.version()::equals).orElse(false),
                        active.map(m.version()::equals).orElse(false)));
            }
            return new ModelList(out);
        });
    }

    private CompletionStage<Promotion> change(
            String name, java.util.function.Function<ModelServing, CompletionStage<ModelRegistry.Active>> action) {
        return models.withRegistry(r -> r.store().promoted(name).orElse(null))
                .thenCompose(previous -> action.apply(models)
                        .thenApply(
                                active -> new Promotion(name, active.metadata().version(), previous)))
                .exceptionally(e -> {
                    var cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof NoSuchElementException) throw ApiException.notFound(cause.getMessage());
                    if (cause instanceof IllegalStateException) throw ApiException.conflict(cause.getMessage());
                    if (cause instanceof IllegalArgumentException)
                        throw ApiException.unprocessable("the version cannot be loaded: " + cause.getMessage());
                    throw e instanceof RuntimeException re ? re : new CompletionException(e);
                });
    }
}

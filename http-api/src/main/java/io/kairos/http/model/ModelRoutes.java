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
import io.kairos.models.registry.ModelChange;
import io.kairos.models.registry.ModelMetadata;
import io.kairos.models.registry.ModelRegistry;
import io.kairos.models.registry.TrainingRun;
import io.kairos.modelserving.Learning;
import io.kairos.modelserving.ModelServing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/models} (role operator): the stored model versions, which is promoted, which is active on this node, and
 * promotion/rollback. A promotion is written to the store, activated on this node at once and announced to every node,
 * which switches without restart. {@code GET /v1/models/{name}} adds the learning loop's runs of the model, and
 * {@code POST /v1/models/{name}/train} starts one ({@link Learning}).
 */
public record ModelRoutes(ModelServing models, Trainer trainer, RouteContext ctx) {
    /** Starts a learning-loop run of the uplift model (the cluster's learning singleton). */
    @FunctionalInterface
    public interface Trainer {
        /** Starts a run; {@code actor}: the id of the API key that asks. */
        CompletionStage<Learning.RunAccepted> train(List<String> excludedFeatures, String actor);
    }

    /** How many runs {@code GET /v1/models/{name}} lists, newest first. */
    static final int RUNS_LISTED = 50;

    public record TrainRequest(List<String> excludeFeatures) {}

    public record TrainAccepted(String name, String detail) {}

    /** {@code changes}: the promotions and rollbacks, newest first, each with who made it. */
    public record ModelDetail(
            String name,
            String promoted,
            String active,
            List<ModelVersion> versions,
            List<TrainingRun> runs,
            List<ModelChange> changes) {}

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
                () -> ctx.acting(
                        roles(Role.OPERATOR),
                        actor -> concat(
                                pathEnd(() -> get(() -> onSuccess(list(), l -> complete(json(StatusCodes.OK, l))))),
                                pathPrefix(PathMatchers.segment(), name -> {
                                    Validator.requireId("name", name);
                                    return concat(
                                            pathEnd(
                                                    () -> get(
                                                            () -> onSuccess(
                                                                    detail(name),
                                                                    d -> complete(
                                                                            json(
                                                                                    StatusCodes.OK,
                                                                                    d.orElseThrow(
                                                                                            () -> ApiException.notFound(
                                                                                                    "no model "
                                                                                                            + name
                                                                                                            + ": no stored version and no learning run"))))))),
                                            path(
                                                    "train",
                                                    () -> post(
                                                            () -> ctx.optionalJsonBody(
                                                                    TrainRequest.class,
                                                                    body -> train(name, body, actor)))),
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
                                                                                                name,
                                                                                                body.version(),
                                                                                                actor)),
                                                                                p -> complete(json(StatusCodes.OK, p)));
                                                                    }))),
                                            path(
                                                    "rollback",
                                                    () -> post(
                                                            () -> onSuccess(
                                                                    change(name, r -> r.rollback(name, actor)),
                                                                    p -> complete(json(StatusCodes.OK, p))))));
                                }))));
    }

    private CompletionStage<ModelList> list() {
        return models.withRegistry(r -> {
            var promoted = new HashMap<String, Optional<String>>();
            var out = new ArrayList<ModelVersion>();
            for (ModelMetadata m : r.store().list()) {
                var promotedVersion =
                        promoted.computeIfAbsent(m.name(), n -> r.store().promoted(n));
                out.add(version(m, promotedVersion, activeVersion(r, m.name())));
            }
            return new ModelList(out);
        });
    }

    private static Optional<String> activeVersion(ModelRegistry r, String name) {
        return r.active(name).map(a -> a.metadata().version());
    }

    /** One stored version, with the promoted and active versions of its name. */
    private static ModelVersion version(ModelMetadata m, Optional<String> promoted, Optional<String> active) {
        var t = m.training();
        return new ModelVersion(
                m.name(),
                m.version(),
                m.kind().name().toLowerCase(),
                m.createdAt(),
                new TrainingBody(t.source(), t.from(), t.to(), t.rows()),
                m.metrics(),
                m.properties(),
                promoted.map(m.version()::equals).orElse(false),
                active.map(m.version()::equals).orElse(false));
    }

    private CompletionStage<Optional<ModelDetail>> detail(String name) {
        return models.withRegistry(r -> {
            var promoted = r.store().promoted(name);
            var active = activeVersion(r, name);
            var versions = r.store().list().stream()
                    .filter(m -> m.name().equals(name))
                    .map(m -> version(m, promoted, active))
                    .toList();
            var runs = r.store().runs(name, RUNS_LISTED);
            if (versions.isEmpty() && runs.isEmpty()) return Optional.<ModelDetail>empty();
            return Optional.of(new ModelDetail(
                    name,
                    promoted.orElse(null),
                    active.orElse(null),
                    versions,
                    runs,
                    r.store().changes(name)));
        });
    }

    private Route train(String name, TrainRequest body, String actor) {
        var loopModel = models.settings().upliftModel();
        if (!name.equals(loopModel))
            throw ApiException.unprocessable(
                    "the learning loop trains the uplift model " + loopModel + ", not " + name);
        var excluded = body == null || body.excludeFeatures() == null ? List.<String>of() : body.excludeFeatures();
        excluded.forEach(f -> Validator.requireId("excludeFeatures[]", f));
        return onSuccess(trainer.train(excluded, actor), accepted -> {
            if (!accepted.started()) throw ApiException.conflict(accepted.detail());
            return complete(json(StatusCodes.ACCEPTED, new TrainAccepted(name, accepted.detail())));
        });
    }

    private CompletionStage<Promotion> change(
            String name, java.util.function.Function<ModelServing, CompletionStage<ModelRegistry.Active>> action) {
        return models.withRegistry(r -> r.store().promoted(name).orElse(null))
                .thenCompose(previous -> action.apply(models)
                        .thenApply(
                                active -> new Promotion(name, active.metadata().version(), previous)))
                .exceptionally(e -> {
                    var cause = cause(e);
                    if (cause instanceof NoSuchElementException) throw ApiException.notFound(cause.getMessage());
                    if (cause instanceof IllegalStateException) throw ApiException.conflict(cause.getMessage());
                    if (cause instanceof IllegalArgumentException)
                        throw ApiException.unprocessable("the version cannot be loaded: " + cause.getMessage());
                    throw e instanceof RuntimeException re ? re : new CompletionException(e);
                });
    }
}

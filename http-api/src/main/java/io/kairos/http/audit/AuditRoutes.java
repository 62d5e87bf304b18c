package io.kairos.http.audit;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.japi.Pair;
import akka.persistence.query.EventEnvelope;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.kairos.http.ApiException;
import io.kairos.http.Json;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.offer.OfferViews;
import io.kairos.http.shopper.ShopperResponse;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperReplay;
import io.kairos.shopper.ShopperReplay.Timeline;
import io.kairos.wire.LowerCaseName;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /v1/audit/shoppers/{id}}: a shopper's journal as recorded, for auditors. {@code /events} streams the events
 * (NDJSON, one per line, in sequence order) whose time lies in {@code [from, to)}; {@code /state?at=T} rebuilds the
 * shopper from its journal as of T with the entity's own transition function, ignoring snapshots, so what is shown is
 * exactly what the recorded events imply. Decayed scores in the rebuilt view are evaluated at T.
 *
 * <p>Times are business times by default ({@code clock=business}: when what each event records happened, see
 * {@link ShopperReplay#businessTime}), so a history imported today reads as of its own dates; {@code clock=recorded}
 * goes by the journal's write time instead. Either way the events kept are applied in journal order.
 *
 * @param journal a persistence id's current events in sequence order (a read journal's currentEventsByPersistenceId)
 */
public record AuditRoutes(
        Function<String, Source<EventEnvelope, NotUsed>> journal,
        ShopperReplay replay,
        ActorSystem<?> system,
        RouteContext ctx) {
    static final ContentType NDJSON = MediaTypes.applicationWithFixedCharset(
                    "x-ndjson", akka.http.javadsl.model.HttpCharsets.UTF_8)
            .toContentType();

    public Route routes() {
        return pathPrefix(
                "audit",
                () -> pathPrefix(
                        "shoppers",
                        () -> RouteContext.id(
                                "shopperId",
                                id -> ctx.authorized(
                                        roles(Role.AUDITOR),
                                        () -> parameterOptional(
                                                "clock",
                                                clock -> concat(
                                                        path(
                                                                "events",
                                                                () -> get(
                                                                        () -> parameterOptional(
                                                                                "from",
                                                                                from -> parameterOptional(
                                                                                        "to",
                                                                                        to -> events(
                                                                                                id, from, to,
                                                                                                clock))))),
                                                        path(
                                                                "state",
                                                                () -> get(
                                                                        () -> parameterOptional(
                                                                                "at",
                                                                                at -> state(id, at, clock))))))))));
    }

    /**
     * One line of the NDJSON stream: a journal event with its sequence number, persistence time and business time
     * ({@link ShopperReplay#businessTime}).
     */
    public record AuditEvent(long seqNr, Instant persistedAt, Instant occurredAt, String type, Object event) {}

    /**
     * A shopper as rebuilt from its journal at {@code at} on {@code clock}: a person's view, or the person an alias
     * belonged to.
     */
    public record AuditState(
            String shopperId,
            Instant at,
            String clock,
            long seqNr,
            String kind,
            String aliasOf,
            ShopperResponse shopper) {}

    static Timeline timeline(Validator v, Optional<String> clock) {
        if (clock.isEmpty()) return Timeline.BUSINESS;
        var t = LowerCaseName.find(Timeline.class, clock.get());
        if (t.isEmpty()) v.error("clock", "must be business or recorded");
        return t.orElse(null);
    }

    private Route events(String id, Optional<String> fromParam, Optional<String> toParam, Optional<String> clock) {
        var v = new Validator();
        var from = v.instant("from", fromParam.orElse(null), false);
        var to = v.instant("to", toParam.orElse(null), false);
        if (from != null && to != null && !from.isBefore(to)) v.error("to", "must be after from");
        var timeline = timeline(v, clock);
        v.throwIfInvalid();
        var lines = journal.apply(ShopperReplay.persistenceId(id))
                .filter(env -> {
                    var t = ShopperReplay.timeOf(env, timeline);
                    return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
                })
                .map(env -> {
                    var persistedAt = Instant.ofEpochMilli(env.timestamp());
                    var event = (ShopperEvent) env.event();
                    return ByteString.fromArray(Json.write(new AuditEvent(
                                    env.sequenceNr(),
                                    persistedAt,
                                    ShopperReplay.businessTime(event, persistedAt),
                                    event.getClass().getSimpleName(),
                                    event)))
                            .concat(ByteString.fromString("\n"));
                });
        // Peek at the first line so an empty history is a 404 rather than an empty 200 stream.
        return onSuccess(
                lines.prefixAndTail(1).runWith(Sink.head(), system),
                (Pair<java.util.List<ByteString>, Source<ByteString, NotUsed>> split) -> {
                    if (split.first().isEmpty())
                        throw ApiException.notFound("no events recorded for shopper " + id + " in that range");
                    var all = Source.from(split.first()).concat(split.second());
                    return complete(HttpResponse.create()
                            .withStatus(StatusCodes.OK)
                            .withEntity(HttpEntities.create(NDJSON, all)));
                });
    }

    private Route state(String id, Optional<String> atParam, Optional<String> clock) {
        var v = new Validator();
        var at = atParam.isPresent() ? v.instant("at", atParam.get(), true) : ctx.now();
        var timeline = timeline(v, clock);
        v.throwIfInvalid();
        var clockName = timeline.wireName();
        return onSuccess(replay.asOf(id, journal.apply(ShopperReplay.persistenceId(id)), at, timeline), r -> {
            if (!r.existed()) throw ApiException.notFound("no events recorded for shopper " + id + " up to " + at);
            if (r.aliasOf() != null) {
                return complete(json(
                        StatusCodes.OK, new AuditState(id, at, clockName, r.sequenceNr(), "alias", r.aliasOf(), null)));
            }
            var view = ShopperResponse.of(r.person(), OfferViews.PLAIN);
            return complete(
                    json(StatusCodes.OK, new AuditState(id, at, clockName, r.sequenceNr(), "person", null, view)));
        });
    }
}

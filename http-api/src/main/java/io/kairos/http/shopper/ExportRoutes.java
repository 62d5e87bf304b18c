package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.http.ApiException;
import io.kairos.http.Json;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.audit.DecisionResponse;
import io.kairos.http.offer.OfferViews;
import io.kairos.offer.DecisionLookup;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.Found;
import io.kairos.shopper.ShopperCommand.GetShopper;
import io.kairos.shopper.ShopperCommand.PersonNamed;
import io.kairos.shopper.ShopperCommand.ShopperReply;
import io.kairos.shopper.ShopperCommand.WhoAreYou;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code GET /v1/shoppers/{id}/export} (role admin): everything Kairos holds about a person (GDPR Art. 15 and 20), as
 * one JSON document: the shopper as {@code GET /v1/shoppers/{id}} shows it; every event of its journal and of the
 * journals that are about it (each linked identity's, its contact cap's (under the person's pseudonym), each of its
 * orders', each of its offers' delivery), as recorded; and the record of every decision its journal names. The journals
 * to read are found from the person's own events: every {@code orderId}, {@code offerId} and {@code decisionId} they
 * carry. Persists nothing.
 *
 * @param journal a persistence id's current events in sequence order
 */
public record ExportRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        OfferViews views,
        Function<String, Source<EventEnvelope, NotUsed>> journal,
        DecisionLookup decisions,
        ActorSystem<?> system,
        RouteContext ctx) {

    /** Journals read at once while exporting. */
    private static final int PARALLEL_READS = 4;

    public record Export(
            String shopperId,
            Instant exportedAt,
            ShopperResponse shopper,
            List<ExportedJournal> journals,
            List<DecisionResponse> decisions) {}

    /** One journal that is about the person: its persistence id and its events, oldest first. */
    public record ExportedJournal(String persistenceId, List<ExportedEvent> events) {}

    public record ExportedEvent(long seqNr, Instant persistedAt, String type, Object event) {}

    public Route routes() {
        return Identities.underShopper(
                id -> path("export", () -> get(() -> ctx.authorized(roles(Role.ADMIN), () -> export(id)))));
    }

    private Route export(String id) {
        var now = ctx.now();
        CompletionStage<Export> export = ctx.ask(
                        shoppers.apply(id), (ActorRef<ShopperReply> r) -> new GetShopper(now, r))
                .thenCompose(reply -> {
                    if (!(reply instanceof Found found)) throw ApiException.notFound("no shopper " + id);
                    var person = found.summary().shopperId();
                    // the contact cap is kept under the person's name (its pseudonym), which its shopper gives;
                    // the person's own journal is read meanwhile
                    CompletionStage<PersonNamed> named = ctx.ask(shoppers.apply(person), WhoAreYou::new);
                    var ownJournal = read(shopperPid(person));
                    return named.thenCompose(name -> ownJournal.thenCompose(own -> {
                        var related = new ArrayList<String>();
                        found.summary().links().forEach(identity -> related.add(shopperPid(identity)));
                        related.add(pid("ContactCap", name.name() == null ? person : name.name()));
                        var ids = named(own, List.of(ORDER_ID, OFFER_ID, DECISION_ID));
                        ids.get(ORDER_ID).forEach(order -> related.add(pid("Order", order)));
                        ids.get(OFFER_ID).forEach(offer -> related.add(pid("Delivery", offer)));
                        return Source.from(related)
                                .mapAsync(PARALLEL_READS, this::read)
                                .filter(j -> !j.events().isEmpty())
                                .runWith(Sink.seq(), system)
                                .thenCompose(
                                        others -> records(ids.get(DECISION_ID)).thenApply(records -> {
                                            var journals = new ArrayList<ExportedJournal>();
                                            journals.add(own);
                                            journals.addAll(others);
                                            return new Export(
                                                    person,
                                                    now,
                                                    ShopperResponse.of(found.summary(), views),
                                                    journals,
                                                    records);
                                        }));
                    }));
                });
        return onSuccess(export, e -> complete(json(StatusCodes.OK, e)));
    }

    private static String shopperPid(String id) {
        return pid(ShopperCommand.ENTITY_KEY.name(), id);
    }

    private static String pid(String entityType, String id) {
        return PersistenceId.of(entityType, id).id();
    }

    private CompletionStage<ExportedJournal> read(String persistenceId) {
        return journal.apply(persistenceId)
                .map(env -> new ExportedEvent(
                        env.sequenceNr(),
                        Instant.ofEpochMilli(env.timestamp()),
                        env.event().getClass().getSimpleName(),
                        env.event()))
                .runWith(Sink.seq(), system)
                .thenApply(events -> new ExportedJournal(persistenceId, events));
    }

    /** The distinct values of the fields named {@code field} anywhere in the journal's events, sorted. */
    private static final String ORDER_ID = "orderId";

    private static final String OFFER_ID = "offerId";
    private static final String DECISION_ID = "decisionId";

    /**
     * Per field name of {@code fields}: the distinct values of the fields so named anywhere in the journal's events,
     * sorted (each event is read as JSON once).
     */
    private static Map<String, Collection<String>> named(ExportedJournal journal, List<String> fields) {
        var values = new HashMap<String, Collection<String>>();
        fields.forEach(f -> values.put(f, new TreeSet<>()));
        for (var e : journal.events()) {
            var tree = Json.MAPPER.valueToTree(e.event());
            for (var f : fields)
                for (var v : tree.findValues(f))
                    if (v.isTextual()) values.get(f).add(v.asText());
        }
        return values;
    }

    private CompletionStage<List<DecisionResponse>> records(Collection<String> decisionIds) {
        return Source.from(List.copyOf(decisionIds))
                .mapAsync(PARALLEL_READS, decisions::find)
                .filter(Optional::isPresent)
                .map(d -> DecisionResponse.of(d.get()))
                .runWith(Sink.seq(), system);
    }
}

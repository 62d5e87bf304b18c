package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.Route;
import akka.persistence.query.EventEnvelope;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.http.Json;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.offer.OfferViews;
import io.kairos.offer.Offer;
import io.kairos.offer.PriceSource;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.GetPrices;
import io.kairos.shopper.ShopperCommand.GetStream;
import io.kairos.shopper.ShopperCommand.PricesReply;
import io.kairos.shopper.ShopperCommand.ShopperPrices;
import io.kairos.shopper.ShopperCommand.StreamStart;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperStreams;
import io.kairos.shopper.ShopperStreams.InterestChanged;
import io.kairos.shopper.ShopperStreams.Message;
import io.kairos.shopper.ShopperStreams.OfferChanged;
import io.kairos.shopper.ShopperStreams.PriceChanged;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code GET /v1/shoppers/{id}/stream} (role ingest): Server-Sent Events of what changes for the shopper, within a
 * second: {@code offer} (an offer issued or changed, the Offer as data) and {@code price} (a SKU the shopper viewed or
 * put in the cart lately changed price; the shopper-price entry as data, explained in {@code ?lang=}), heartbeats every
 * 15 s (an empty {@code data:} event, which EventSource ignores). The person's entity publishes its changes once they
 * are durable ({@link ShopperStreams}); price changes come from this node's price view. Each event's id is the person's
 * journal sequence number it reflects: reconnecting with {@code Last-Event-ID} first re-sends (as they are now) the
 * offers changed after that event, read from the journal. Subscribing elsewhere in the cluster takes up to a second to
 * be known everywhere, so the stream re-checks the journal once after that. Persists nothing.
 *
 * @param priceChanges subscribes a listener to the SKUs whose price changes on this node (closed with the stream)
 * @param journal the person's journal events from a sequence number on (catch-up)
 */
public record ShopperStreamRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        ShopperStreams streams,
        Function<Consumer<String>, AutoCloseable> priceChanges,
        PriceSource prices,
        OfferViews views,
        BiFunction<String, Long, Source<EventEnvelope, NotUsed>> journal,
        ActorSystem<?> system,
        RouteContext ctx) {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** Longer than the pub-sub gossip interval (1 s): after it, a subscription is known on every node. */
    static final Duration RECHECK = Duration.ofMillis(1500);

    private static final ObjectMapper JSON = Json.MAPPER;

    public Route routes(String id) {
        return path(
                "stream",
                () -> get(() -> ctx.authorized(
                        roles(Role.INGEST),
                        () -> parameterOptional(
                                "lang",
                                lang -> optionalHeaderValueByName(
                                        "Last-Event-ID", last -> stream(id, Validator.language(lang), last))))));
    }

    private Route stream(String id, Locale lang, Optional<String> last) {
        return onSuccess(
                start(id), s -> completeOK(events(s, lastEventId(last), lang), EventStreamMarshalling.toEventStream()));
    }

    private CompletionStage<StreamStart> start(String id) {
        return shoppers.apply(id)
                .<StreamStart>ask(
                        r -> new GetStream(ctx.now(), r), ctx.settings().askTimeout());
    }

    private static long lastEventId(Optional<String> header) {
        try {
            return header.map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private Source<ServerSentEvent, NotUsed> events(StreamStart start, long lastSeen, Locale lang) {
        var person = start.shopperId();
        var lastId = new AtomicLong(Math.max(start.seqNr(), 0));
        var interest = new AtomicReference<Set<String>>(Set.copyOf(start.recentSkus()));
        var live = ActorSource.<Message>actorRef(m -> false, m -> Optional.empty(), 256, OverflowStrategy.dropHead())
                .preMaterialize(system);
        var ref = live.first();
        var subscription = streams.subscribe(person, ref);
        var listening = priceChanges.apply(sku -> {
            if (interest.get().contains(sku)) ref.tell(new PriceChanged(sku));
        });
        // Catch-up: offers changed after the client's last event, and (once the subscription is known everywhere)
        // after the start.
        Source<Message, NotUsed> missed = lastSeen >= 0 && lastSeen < start.seqNr()
                ? changedSince(person, lastSeen, start.seqNr())
                : Source.empty();
        Source<Message, NotUsed> recheck = Source.single(start.seqNr())
                .initialDelay(RECHECK)
                .mapAsync(1, seq -> start(person)
                        .thenApply(now ->
                                now.seqNr() > seq ? changedSince(person, seq, now.seqNr()) : Source.<Message>empty()))
                .flatMapConcat(s -> s);
        return missed.concat(live.second().merge(recheck))
                .mapAsync(1, m -> toEvent(m, person, lastId, interest, lang))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat)
                .watchTermination((mat, done) -> {
                    done.whenComplete((d, e) -> {
                        closeQuietly(subscription);
                        closeQuietly(listening);
                    });
                    return NotUsed.getInstance();
                });
    }

    /** The person's offers changed by events {@code after + 1 … upTo}, as they are now. */
    private Source<Message, NotUsed> changedSince(String person, long after, long upTo) {
        var touched = journal.apply("Shopper|" + person, after + 1)
                .takeWhile(env -> env.sequenceNr() <= upTo)
                .filter(env -> env.event() instanceof ShopperEvent)
                .runWith(
                        Sink.fold(new LinkedHashSet<String>(), (acc, env) -> {
                            acc.addAll(ShopperStreams.offersChangedBy((ShopperEvent) env.event()));
                            return acc;
                        }),
                        system);
        return Source.completionStage(touched.thenCompose(ids -> start(person).thenApply(now -> now.offers().stream()
                        .filter(o -> ids.contains(o.offerId()))
                        .map(o -> (Message) new OfferChanged(person, upTo, o))
                        .toList())))
                .mapConcat(l -> l);
    }

    private CompletionStage<Optional<ServerSentEvent>> toEvent(
            Message m, String person, AtomicLong lastId, AtomicReference<Set<String>> interest, Locale lang) {
        if (m instanceof OfferChanged o) {
            lastId.accumulateAndGet(o.seqNr(), Math::max);
            return CompletableFuture.completedFuture(Optional.of(event("offer", offer(o.offer()), lastId.get())));
        }
        if (m instanceof InterestChanged i) {
            lastId.accumulateAndGet(i.seqNr(), Math::max);
            interest.set(Set.copyOf(i.skus()));
            return CompletableFuture.completedFuture(Optional.empty());
        }
        var sku = ((PriceChanged) m).sku();
        return prices.prices(List.of(sku))
                .thenCompose(list -> shoppers.apply(person)
                        .<PricesReply>ask(
                                r -> new GetPrices(List.of(sku), list, ctx.now(), r),
                                ctx.settings().askTimeout()))
                .thenApply(reply -> {
                    var priced = (ShopperPrices) reply;
                    return priced.prices().stream()
                            .findFirst()
                            .map(p -> event(
                                    "price",
                                    ShopperPriceRoutes.entry(p, priced.guest(), views.currency(), lang),
                                    lastId.get()));
                });
    }

    private Object offer(Offer o) {
        return views.body(o, ctx.now());
    }

    private static ServerSentEvent event(String type, Object data, long id) {
        try {
            return ServerSentEvent.create(JSON.writeValueAsString(data), type, Long.toString(id));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a stream event", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // a subscription that cannot be closed ends with its actor
        }
    }
}

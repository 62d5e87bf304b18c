package io.kairos.http.audit;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.NotUsed;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.kairos.audit.Rederivation;
import io.kairos.http.ApiException;
import io.kairos.http.Json;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.http.price.PriceDecisionResponse;
import io.kairos.http.price.PriceDecisions;
import io.kairos.offer.DecisionLookup;
import io.kairos.offer.DecisionLookup.StoredDecision;
import io.kairos.offer.DecisionReplay;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code /v1/audit/decisions/{decisionId}} (role auditor): a decision as recorded; {@code POST …/replay} re-derives an
 * offer decision from its record ({@link DecisionReplay}) and says whether the result is identical. Ids of the form
 * {@code price:<sku>:<sequenceNr>} are pricing decisions ({@link PriceDecisions}: the SKU entity, else its journal);
 * every other id is an offer decision, found through {@link DecisionLookup} (in a node, the Cassandra table the shopper
 * projection writes), so an offer decision made in the last few seconds may not be there yet: 404 says so.
 *
 * @param prices pricing decisions: found, re-derived, a SKU's window re-derived ({@link PriceDecisions})
 * @param replay re-derives a recorded offer decision (in a node, {@code ModelServing#replay})
 */
public record DecisionAuditRoutes(
        DecisionLookup offers,
        PriceAudit prices,
        Function<StoredDecision, CompletionStage<Rederivation.Result>> replay,
        RouteContext ctx) {

    /** What the audit asks of pricing decisions. */
    public interface PriceAudit {
        /** A pricing decision as recorded, empty when there is none with that id. */
        CompletionStage<Optional<PriceDecisionResponse>> lookup(String decisionId);

        /** A pricing decision re-derived, empty when there is none with that id. */
        CompletionStage<Optional<Rederivation.Result>> replay(String decisionId);

        /** Every decision of {@code sku} made in {@code [from, to)}, re-derived. */
        CompletionStage<List<Rederivation.Result>> replayWindow(String sku, Instant from, Instant to);

        /** A node without pricing: no pricing decision exists. */
        PriceAudit NONE = new PriceAudit() {
            @Override
            public CompletionStage<Optional<PriceDecisionResponse>> lookup(String decisionId) {
                return CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public CompletionStage<Optional<Rederivation.Result>> replay(String decisionId) {
                return CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public CompletionStage<List<Rederivation.Result>> replayWindow(String sku, Instant from, Instant to) {
                return CompletableFuture.completedFuture(List.of());
            }
        };
    }

    /** Offer decisions only (a node without pricing). */
    public static DecisionAuditRoutes offersOnly(
            DecisionLookup offers,
            Function<StoredDecision, CompletionStage<Rederivation.Result>> replay,
            RouteContext ctx) {
        return new DecisionAuditRoutes(offers, PriceAudit.NONE, replay, ctx);
    }

    public Route routes() {
        var decisions = PathMatchers.segment("audit").slash("decisions").slash(PathMatchers.segment());
        return concat(
                path(
                        PathMatchers.segment("audit").slash("decisions").slash("replay"),
                        () -> post(() -> ctx.authorized(
                                roles(Role.AUDITOR), () -> ctx.jsonBody(ReplayWindow.class, this::replayWindow)))),
                path(decisions, id -> get(() -> ctx.authorized(roles(Role.AUDITOR), () -> decision(id)))),
                path(
                        decisions.slash("replay"),
                        id -> post(() -> ctx.authorized(roles(Role.AUDITOR), () -> replay(id)))));
    }

    /**
     * {@code POST /v1/audit/decisions/replay}: the decisions made in {@code [from, to)}: the offer decisions of one
     * campaign or all, or the pricing decisions of one SKU.
     */
    public record ReplayWindow(String from, String to, String campaignId, String sku) {}

    /** The last line of a window's stream: the counts, so a client knows the stream is complete. */
    public record ReplaySummary(Counts summary) {}

    public record Counts(long replayed, long identical, long different, long notRederivable) {}

    /** How many decisions of a window each lane re-derives at once. */
    private static final int PARALLELISM = 4;

    /**
     * Lanes a window's decisions are balanced over, each opening (decrypting, decoding), re-deriving and writing its
     * decisions on its own thread: the scan is one query, its rows the only thing handed across.
     */
    private static final int LANES = 2;

    /** Decisions a lane opens at once (their keys looked up concurrently). */
    private static final int OPENS = 8;

    /**
     * Re-derives every offer decision of a window, streamed as NDJSON: one verdict per line as it is ready, then the
     * counts. A campaign's decisions are those it was a candidate in, or held the person out of.
     */
    private Route replayWindow(ReplayWindow window) {
        var v = new Validator();
        var from = v.instant("from", window.from(), true);
        var to = v.instant("to", window.to(), true);
        if (from != null && to != null && !from.isBefore(to)) v.error("to", "must be after from");
        v.id("campaignId", window.campaignId(), false);
        v.id("sku", window.sku(), false);
        if (window.campaignId() != null && window.sku() != null)
            v.error("sku", "a window is a campaign's offer decisions or a SKU's pricing decisions, not both");
        v.throwIfInvalid();
        var campaign = window.campaignId();
        var identical = new AtomicLong();
        var different = new AtomicLong();
        var notRederivable = new AtomicLong();
        Flow<Rederivation.Result, ByteString, NotUsed> chunks = Flow.<Rederivation.Result>create()
                .map(r -> {
                    (!r.rederivable() ? notRederivable : r.identical() ? identical : different).incrementAndGet();
                    return line(r);
                })
                // a chunk per few hundred lines, not per line: the stream's cost is then the replay's, not the writes'
                .groupedWithin(CHUNK_LINES, CHUNK_WAIT)
                .map(DecisionAuditRoutes::joined);
        Source<ByteString, ?> verdicts = window.sku() != null
                ? Source.completionStage(prices.replayWindow(window.sku(), from, to))
                        .mapConcat(list -> list)
                        .via(chunks)
                : offers.storedBetween(from, to)
                        .via(Lanes.balanced(
                                LANES,
                                Flow.<DecisionLookup.Stored>create()
                                        .mapAsync(OPENS, DecisionLookup.Stored::open)
                                        .filter(Optional::isPresent)
                                        .map(Optional::get)
                                        .filter(d -> campaign == null || concerns(d, campaign))
                                        .mapAsyncUnordered(PARALLELISM, replay::apply)
                                        .via(chunks)));
        var lines = verdicts.concatLazy(Source.lazySingle(() -> {
            long n = identical.get() + different.get() + notRederivable.get();
            return line(new ReplaySummary(new Counts(n, identical.get(), different.get(), notRederivable.get())));
        }));
        return complete(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .withEntity(HttpEntities.create(AuditRoutes.NDJSON, lines)));
    }

    /** At most this many lines per chunk of a window's stream, or what came within {@link #CHUNK_WAIT}. */
    private static final int CHUNK_LINES = 256;

    private static final java.time.Duration CHUNK_WAIT = java.time.Duration.ofMillis(50);

    private static ByteString joined(List<ByteString> lines) {
        var joined = ByteString.emptyByteString();
        for (var line : lines) joined = joined.concat(line);
        return joined;
    }

    private static ByteString line(Object value) {
        return ByteString.fromArray(Json.write(value)).concat(ByteString.fromString("\n"));
    }

    private static boolean concerns(StoredDecision d, String campaignId) {
        var r = d.record();
        if (r == null) return false;
        return campaignId.equals(r.choice().campaignId())
                || r.scoring().candidates().stream().anyMatch(c -> campaignId.equals(c.campaignId()));
    }

    /** Re-derives a decision: an offer decision ({@link DecisionReplay}) or a pricing decision (PriceReplay). */
    private Route replay(String id) {
        if (id.startsWith("price:")) {
            if (PriceDecisions.parse(id).isEmpty())
                throw ApiException.notFound(
                        "no pricing decision " + id + " (pricing decision ids are price:<sku>:<sequenceNr>)");
            return onSuccess(
                    within(prices.replay(id)),
                    r -> complete(json(
                            StatusCodes.OK, r.orElseThrow(() -> ApiException.notFound("no pricing decision " + id)))));
        }
        Validator.requireId("decisionId", id);
        return onSuccess(
                within(offers.find(id)),
                d -> onSuccess(
                        within(replay.apply(d.orElseThrow(() -> ApiException.notFound("no decision " + id
                                + " (an offer decision is listed here a few seconds after it is made)")))),
                        r -> complete(json(StatusCodes.OK, r))));
    }

    private Route decision(String id) {
        if (id.startsWith("price:")) {
            if (PriceDecisions.parse(id).isEmpty())
                throw ApiException.notFound(
                        "no pricing decision " + id + " (pricing decision ids are price:<sku>:<sequenceNr>)");
            var found = within(prices.lookup(id));
            return onSuccess(
                    found,
                    d -> complete(json(
                            StatusCodes.OK, d.orElseThrow(() -> ApiException.notFound("no pricing decision " + id)))));
        }
        Validator.requireId("decisionId", id);
        var found = within(offers.find(id));
        return onSuccess(
                found,
                d -> complete(json(
                        StatusCodes.OK,
                        DecisionResponse.of(d.orElseThrow(() -> ApiException.notFound("no decision " + id
                                + " (an offer decision is listed here a few seconds after it is made)"))))));
    }

    private <T> CompletableFuture<T> within(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(ctx.settings().askTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}

package io.kairos.http.price;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.audit.Rederivation;
import io.kairos.http.Validator;
import io.kairos.http.audit.DecisionAuditRoutes;
import io.kairos.pricing.PriceDecision;
import io.kairos.pricing.PriceReplay;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuCommand.DecisionReply;
import io.kairos.pricing.SkuPricingEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Finds a pricing decision by its id, {@code price:<sku>:<sequenceNr>}, for the audit API: first in the SKU entity's
 * recent decisions (held in its state), else in the SKU's journal at that sequence number, so every decision ever taken
 * can be read, as recorded, without re-running a policy.
 *
 * <p>An id that is not of that form, names an invalid SKU, or points at a journal event that is not a decision gives an
 * empty result (the caller answers 404).
 */
public final class PriceDecisions implements DecisionAuditRoutes.PriceAudit {

    /** A parsed decision id. */
    public record DecisionId(String sku, long sequenceNr) {}

    private final Function<String, EntityRef<SkuCommand>> skus;
    private final Journal journal;
    private final PricingSettings settings;
    private final Duration askTimeout;
    private final ActorSystem<?> system;

    /** A persistence id's events in {@code [from, to]} (a read journal's {@code currentEventsByPersistenceId}). */
    @FunctionalInterface
    public interface Journal {
        Source<EventEnvelope, NotUsed> events(String persistenceId, long from, long to);
    }

    /** @param settings the node's pricing settings, which a re-derivation runs under */
    public PriceDecisions(
            Function<String, EntityRef<SkuCommand>> skus,
            Journal journal,
            PricingSettings settings,
            Duration askTimeout,
            ActorSystem<?> system) {
        this.skus = skus;
        this.journal = journal;
        this.settings = settings;
        this.askTimeout = askTimeout;
        this.system = system;
    }

    public static Optional<DecisionId> parse(String decisionId) {
        if (decisionId == null || !decisionId.startsWith("price:")) return Optional.empty();
        int last = decisionId.lastIndexOf(':');
        if (last <= "price:".length()) return Optional.empty();
        String sku = decisionId.substring("price:".length(), last);
        if (!Validator.ID.matcher(sku).matches()) return Optional.empty();
        try {
            long seqNr = Long.parseLong(decisionId.substring(last + 1));
            return seqNr > 0 ? Optional.of(new DecisionId(sku, seqNr)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The decision, or empty when there is none with that id. */
    @Override
    public CompletionStage<Optional<PriceDecisionResponse>> lookup(String decisionId) {
        var id = parse(decisionId);
        if (id.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        String sku = id.get().sku();
        return skus.apply(sku)
                .<DecisionReply>ask(r -> new SkuCommand.GetDecision(decisionId, r), askTimeout)
                .thenCompose(reply -> {
                    if (reply.decision().isPresent()) {
                        var d = reply.decision().get();
                        // The state keeps both kinds; a decision changed the price when it posted a different one.
                        return CompletableFuture.completedFuture(Optional.of(PriceDecisionResponse.of(
                                sku,
                                d,
                                d.price().compareTo(d.currentPrice()) != 0
                                        || d.reason() == PriceDecision.Reason.INITIAL)));
                    }
                    return fromJournal(sku, id.get().sequenceNr(), decisionId);
                });
    }

    private CompletionStage<Optional<PriceDecisionResponse>> fromJournal(String sku, long seqNr, String decisionId) {
        String pid = PersistenceId.of(SkuPricingEntity.ENTITY_KEY.name(), sku).id();
        return journal.events(pid, seqNr, seqNr)
                .runWith(Sink.headOption(), system)
                .thenApply(env -> env.flatMap(e -> {
                    if (e.event() instanceof SkuPricingEntity.PriceChanged pc
                            && pc.decision().decisionId().equals(decisionId)) {
                        return Optional.of(PriceDecisionResponse.of(sku, pc.decision(), true));
                    }
                    if (e.event() instanceof SkuPricingEntity.PriceHeld ph
                            && ph.decision().decisionId().equals(decisionId)) {
                        return Optional.of(PriceDecisionResponse.of(sku, ph.decision(), false));
                    }
                    return Optional.empty();
                }));
    }

    /**
     * Re-derives a pricing decision ({@link PriceReplay}) from the SKU's journal up to it; empty when there is no
     * decision with that id.
     */
    @Override
    public CompletionStage<Optional<Rederivation.Result>> replay(String decisionId) {
        var id = parse(decisionId);
        if (id.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        String sku = id.get().sku();
        long seqNr = id.get().sequenceNr();
        String pid = PersistenceId.of(SkuPricingEntity.ENTITY_KEY.name(), sku).id();
        return journal.events(pid, 1, seqNr)
                .map(e -> (SkuPricingEntity.Event) e.event())
                .runWith(Sink.seq(), system)
                .thenApply(events -> {
                    if (events.size() != seqNr) return Optional.empty();
                    var decided = events.get(events.size() - 1);
                    if (!(decided instanceof SkuPricingEntity.PriceChanged
                            || decided instanceof SkuPricingEntity.PriceHeld)) return Optional.empty();
                    return Optional.of(
                            PriceReplay.replay(sku, events.subList(0, events.size() - 1), decided, seqNr, settings));
                });
    }

    /** Every decision of {@code sku} made in {@code [from, to)}, re-derived in one pass over its journal. */
    @Override
    public CompletionStage<List<Rederivation.Result>> replayWindow(String sku, Instant from, Instant to) {
        String pid = PersistenceId.of(SkuPricingEntity.ENTITY_KEY.name(), sku).id();
        return journal.events(pid, 1, Long.MAX_VALUE)
                .map(e -> (SkuPricingEntity.Event) e.event())
                .runWith(Sink.seq(), system)
                .thenApply(events -> PriceReplay.replayAll(
                        sku, events, d -> !d.at().isBefore(from) && d.at().isBefore(to), settings));
    }
}

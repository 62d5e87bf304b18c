package io.kairos.http.price;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.persistence.query.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.http.Validator;
import io.kairos.pricing.PriceDecision;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuCommand.DecisionReply;
import io.kairos.pricing.SkuPricingEntity;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Finds a pricing decision by its id, {@code price:<sku>:<sequenceNr>}, for the audit API: first in the SKU entity's
 * recent decisions (held in its state), else in the SKU's journal at that sequence number, so every decision ever taken
 * can be read, as recorded, without re-running a policy.
 *
 * <p>An id that is not of that form, names an invalid SKU, or points at a journal event that is not a decision gives an
 * empty result (the caller answers 404).
 */
public final class PriceDecisions {

    /** A parsed decision id. */
    public record DecisionId(String sku, long sequenceNr) {}

    private final Function<String, EntityRef<SkuCommand>> skus;
    private final BiFunction<String, Long, Source<EventEnvelope, NotUsed>> journalAt;
    private final Duration askTimeout;
    private final ActorSystem<?> system;

    /**
     * @param journalAt the events of a persistence id at one sequence number (a read journal's
     *     {@code currentEventsByPersistenceId(pid, seqNr, seqNr)})
     */
    public PriceDecisions(
            Function<String, EntityRef<SkuCommand>> skus,
            BiFunction<String, Long, Source<EventEnvelope, NotUsed>> journalAt,
            Duration askTimeout,
            ActorSystem<?> system) {
        this.skus = skus;
        this.journalAt = journalAt;
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
        return journalAt
                .apply(pid, seqNr)
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
}

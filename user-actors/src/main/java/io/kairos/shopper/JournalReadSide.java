package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.offer.CampaignOutcomes;
import io.kairos.offer.CouponFunnel;
import io.kairos.offer.DecisionLookup;
import io.kairos.shopper.ShopperEvent.HoldoutAssigned;
import io.kairos.shopper.ShopperEvent.OfferClaimed;
import io.kairos.shopper.ShopperEvent.OfferIssued;
import io.kairos.shopper.ShopperEvent.OutcomeRecorded;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decisions, campaign outcomes and coupon funnels computed by scanning the shopper journal (every shopper tag, from the
 * beginning): the same answers as the Cassandra tables the shopper projection writes ({@code DecisionStore},
 * {@code OutcomeStore}, {@code FunnelStore}), without them and without their delay, at the cost of reading every
 * shopper event on each call. For journals that small (tests on the in-memory journal, a demo); a node uses the tables.
 */
public final class JournalReadSide implements DecisionLookup {
    private final ActorSystem<?> system;
    private final CurrentEventsByTagQuery journal;
    private final List<String> tags;

    public JournalReadSide(ActorSystem<?> system, CurrentEventsByTagQuery journal, List<String> tags) {
        this.system = system;
        this.journal = journal;
        this.tags = List.copyOf(tags);
    }

    private Source<EventEnvelope, ?> all() {
        return Source.from(tags).flatMapConcat(tag -> journal.currentEventsByTag(tag, Offset.noOffset()));
    }

    @Override
    public CompletionStage<Optional<StoredDecision>> find(String decisionId) {
        return all().map(env -> ShopperJournal.decisionRow(env.persistenceId(), env.sequenceNr(), env.event())
                        .filter(row -> row.decisionId().equals(decisionId)))
                .filter(Optional::isPresent)
                .runWith(Sink.headOption(), system)
                .thenApply(found -> found.flatMap(o -> o));
    }

    @Override
    public Source<StoredDecision, akka.NotUsed> between(java.time.Instant from, java.time.Instant to) {
        return all().map(env -> ShopperJournal.decisionRow(env.persistenceId(), env.sequenceNr(), env.event()))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .filter(d -> !d.decidedAt().isBefore(from) && d.decidedAt().isBefore(to))
                .mapMaterializedValue(m -> akka.NotUsed.getInstance());
    }

    /** A campaign's exposures, claims and outcomes, as {@code OutcomeStore.read} gives them. */
    public CompletionStage<CampaignOutcomes.Builder> outcomes(String campaignId) {
        return all().runWith(
                        Sink.fold(new CampaignOutcomes.Builder(), (b, env) -> {
                            var shopperId = akka.persistence.typed.PersistenceId.extractEntityId(env.persistenceId());
                            var event = env.event();
                            if (event instanceof OfferIssued e
                                    && e.offer().campaignId().equals(campaignId)) b.exposure(shopperId, false);
                            else if (event instanceof HoldoutAssigned e
                                    && e.campaignId().equals(campaignId)) b.exposure(shopperId, true);
                            else if (event instanceof OfferClaimed e
                                    && e.campaignId().equals(campaignId)) b.claimed(shopperId);
                            else if (event instanceof OutcomeRecorded e
                                    && e.campaignId().equals(campaignId))
                                b.order(shopperId, e.orderId(), e.netAmount());
                            return b;
                        }),
                        system);
    }

    /** A campaign's coupon funnel, as {@code FunnelStore.read} gives it (the same facts, from {@link FunnelFacts}). */
    public CompletionStage<CouponFunnel.Result> funnel(String campaignId) {
        return all().runWith(
                        Sink.fold(new CouponFunnel.Builder(), (b, env) -> {
                            if (env.event() instanceof ShopperEvent e) {
                                for (var f : FunnelFacts.of(e))
                                    if (f.campaignId().equals(campaignId)) b.add(f);
                            }
                            return b;
                        }),
                        system)
                .thenApply(CouponFunnel.Builder::result);
    }
}

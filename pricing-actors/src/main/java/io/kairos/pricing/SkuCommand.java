package io.kairos.pricing;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.kairos.entity.Rejection;
import io.kairos.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a SKU's pricing entity ({@link SkuPricingEntity}) is asked to do, and what it answers. */
public sealed interface SkuCommand extends CborSerializable {

    EntityTypeKey<SkuCommand> ENTITY_KEY = EntityTypeKey.create(SkuCommand.class, "SkuPricing");

    /**
     * Sets or changes the configuration; replies with the price in force, or every invalid field at once.
     * {@code actor}: who configures it, the id of the operator's API key (recorded in the event).
     */
    record Configure(SkuConfig config, Instant at, String actor, ActorRef<ConfigureReply> replyTo)
            implements SkuCommand {}

    sealed interface ConfigureReply extends CborSerializable {}

    record ConfigAccepted(PriceQuote quote) implements ConfigureReply {}

    record ConfigRejected(ConfigRejection reason, List<SkuConfig.FieldError> errors) implements ConfigureReply {
        public String detail() {
            return Decisions.describe(errors);
        }
    }

    enum ConfigRejection implements Rejection {
        /** The configuration breaks its own rules (floor above ceiling, a cadence below the minimum…). */
        INVALID_CONFIG;

        public Kind kind() {
            return switch (this) {
                case INVALID_CONFIG -> Kind.UNPROCESSABLE;
            };
        }
    }

    record GetSku(ActorRef<SkuStatus> replyTo) implements SkuCommand {}

    record GetPrice(ActorRef<PriceReply> replyTo) implements SkuCommand {}

    record GetPriceHistory(Instant from, Instant to, ActorRef<PriceHistory> replyTo) implements SkuCommand {}

    record GetDecision(String decisionId, ActorRef<DecisionReply> replyTo) implements SkuCommand {}

    /** Demand seen at this SKU; idempotent by source event id (see {@link RecentIds}). */
    record RecordDemand(List<DemandObservation> observations, ActorRef<DemandAck> replyTo) implements SkuCommand {}

    /** Decides the price of the period starting at {@code now}, if the cadence is due. */
    record Reprice(Instant now, ActorRef<RepriceResult> replyTo) implements SkuCommand {}

    /** The production timer's tick: a {@link Reprice} at the injected clock's time, without a reply. */
    enum Tick implements SkuCommand {
        INSTANCE
    }

    /** The SKU's configuration (inventory = what remains) and price, empty when never configured. */
    record SkuStatus(
            String sku,
            Optional<SkuConfig> config,
            Optional<PriceQuote> price,
            Optional<Instant> lastDecisionAt,
            long views,
            long units)
            implements CborSerializable {}

    record PriceReply(Optional<PriceQuote> quote) implements CborSerializable {}

    /**
     * Points in force during the range; {@code complete} is false when older points were dropped from the state;
     * {@code configured} is false for a SKU that was never configured (and then there are no points).
     */
    record PriceHistory(String sku, boolean configured, List<PricePoint> points, boolean complete)
            implements CborSerializable {}

    record DecisionReply(Optional<PriceDecision> decision) implements CborSerializable {}

    /**
     * @param accepted observations recorded, those dated before the SKU's configuration included (at its list price)
     * @param stale observations from before the first price kept when the history kept no longer reaches back to the
     *     configuration ({@code history.retention}): their price is unknown
     * @param ignored observations for a SKU that is not configured, or with negative counts / no id or time
     */
    record DemandAck(int accepted, int duplicates, int stale, int ignored) implements CborSerializable {}

    /** The outcome, the price in force after it, and the decision when one was taken. */
    record RepriceResult(Outcome outcome, Optional<PriceQuote> quote, Optional<PriceDecision> decision)
            implements CborSerializable {}

    enum Outcome {
        CHANGED,
        HELD,
        NOT_DUE,
        NOT_CONFIGURED
    }
}

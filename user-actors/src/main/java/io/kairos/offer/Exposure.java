package io.kairos.offer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kairos.entity.PackedIds;
import io.kairos.entity.PackedTimes;
import io.kairos.serialization.ExplicitProperties;
import java.time.Instant;
import java.util.Objects;

/**
 * A decision (offer or holdout) in a person's {@link OfferBook} whose outcomes are attributed to it until
 * {@code until}. Immutable, with a record's accessors, equality and serialized form; the decision id (a UUID) is held
 * as two {@code long}s ({@link PackedIds}), {@code until} as a span after {@code at} ({@link PackedTimes}) and the
 * campaign id interned, as in {@link Offer}.
 */
@ExplicitProperties
@JsonPropertyOrder({"decisionId", "campaignId", "holdout", "at", "until"})
public final class Exposure {
    private final String decisionId; // null while packed in decisionHigh and decisionLow, or when there is none
    private final long decisionHigh;
    private final long decisionLow;
    private final String campaignId;
    private final boolean holdout;
    private final Instant at;
    private final long untilAfter; // until as nanoseconds after at (PackedTimes)
    private final Instant untilFar; // until while it does not fit in untilAfter

    @JsonCreator
    public Exposure(
            @JsonProperty("decisionId") String decisionId,
            @JsonProperty("campaignId") String campaignId,
            @JsonProperty("holdout") boolean holdout,
            @JsonProperty("at") Instant at,
            @JsonProperty("until") Instant until) {
        boolean packed = PackedIds.isUuid(decisionId);
        this.decisionHigh = packed ? PackedIds.uuidHigh(decisionId) : 0;
        this.decisionLow = packed ? PackedIds.uuidLow(decisionId) : 0;
        this.decisionId = packed ? null : decisionId;
        this.campaignId = campaignId == null ? null : campaignId.intern();
        this.holdout = holdout;
        this.at = at;
        this.untilAfter = PackedTimes.span(at, until);
        this.untilFar = untilAfter == PackedTimes.FAR ? until : null;
    }

    @JsonProperty("decisionId")
    public String decisionId() {
        return decisionId == null && (decisionHigh != 0 || decisionLow != 0)
                ? PackedIds.uuid(decisionHigh, decisionLow)
                : decisionId;
    }

    @JsonProperty("campaignId")
    public String campaignId() {
        return campaignId;
    }

    @JsonProperty("holdout")
    public boolean holdout() {
        return holdout;
    }

    @JsonProperty("at")
    public Instant at() {
        return at;
    }

    @JsonProperty("until")
    public Instant until() {
        return PackedTimes.end(at, untilAfter, untilFar);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Exposure other
                && decisionHigh == other.decisionHigh
                && decisionLow == other.decisionLow
                && holdout == other.holdout
                && Objects.equals(decisionId, other.decisionId)
                && Objects.equals(campaignId, other.campaignId)
                && Objects.equals(at, other.at)
                && untilAfter == other.untilAfter
                && Objects.equals(untilFar, other.untilFar);
    }

    @Override
    public int hashCode() {
        return Objects.hash(decisionHigh, decisionLow, decisionId, campaignId, holdout, at, untilAfter);
    }

    @Override
    public String toString() {
        return "Exposure[decisionId=%s, campaignId=%s, holdout=%s, at=%s, until=%s]"
                .formatted(decisionId(), campaignId, holdout, at, until());
    }
}

package io.kairos.offer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kairos.entity.PackedTimes;
import io.kairos.serialization.ExplicitProperties;
import java.time.Instant;
import java.util.Objects;

/**
 * A decision trigger in a person's {@link OfferBook} waiting to fire at {@code dueAt}: {@code cart_abandonment} (since
 * = the cart activity), {@code lifecycle} (a stage change to act on), {@code dormancy} (a wake-up to detect
 * inactivity). Immutable, with a record's accessors, equality and serialized form; most shoppers hold one (the dormancy
 * wake-up), so it is held compactly: its kind interned, {@code dueAt} as a span after {@code since}
 * ({@link PackedTimes}).
 */
@ExplicitProperties
@JsonPropertyOrder({"kind", "dueAt", "since", "detail"})
public final class Trigger {
    private final String kind;
    private final long dueAfter; // dueAt as nanoseconds after since (PackedTimes)
    private final Instant dueFar; // dueAt while it does not fit in dueAfter
    private final Instant since;
    private final String detail;

    @JsonCreator
    public Trigger(
            @JsonProperty("kind") String kind,
            @JsonProperty("dueAt") Instant dueAt,
            @JsonProperty("since") Instant since,
            @JsonProperty("detail") String detail) {
        this.kind = kind.intern(); // a few kinds, in every shopper's triggers: a node holds each once
        this.dueAfter = PackedTimes.span(since, dueAt);
        this.dueFar = dueAfter == PackedTimes.FAR ? dueAt : null;
        this.since = since;
        this.detail = detail;
    }

    @JsonProperty("kind")
    public String kind() {
        return kind;
    }

    @JsonProperty("dueAt")
    public Instant dueAt() {
        return PackedTimes.end(since, dueAfter, dueFar);
    }

    @JsonProperty("since")
    public Instant since() {
        return since;
    }

    @JsonProperty("detail")
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trigger t
                && dueAfter == t.dueAfter
                && kind.equals(t.kind)
                && Objects.equals(dueFar, t.dueFar)
                && Objects.equals(since, t.since)
                && Objects.equals(detail, t.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, dueAfter, dueFar, since, detail);
    }

    @Override
    public String toString() {
        return "Trigger[kind=%s, dueAt=%s, since=%s, detail=%s]".formatted(kind, dueAt(), since, detail);
    }
}

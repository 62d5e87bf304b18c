package io.kairos.http.shopper;

import io.kairos.http.ApiException;
import io.kairos.http.Validator;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.wire.LowerCaseName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks every behaviour event passes before it reaches a shopper, whatever way it came in: a batch of {@code POST
 * /v1/events}, or one Kafka record of the events topic. Invalid input is an {@link ApiException} naming every invalid
 * field (a 400 problem over HTTP, the dead-letter reason on Kafka).
 *
 * @param maxEvents the most events in one batch
 * @param maxClockSkew how far ahead of the server's clock an event may claim to have happened
 */
public record EventValidation(int maxEvents, Duration maxClockSkew) {

    private static final String TYPES = String.join(
            ", ", Arrays.stream(EventType.values()).map(EventType::wireName).toList());

    /** One valid event and the shopper it belongs to. */
    public record Valid(String shopperId, BehaviourEvent event) {}

    /** The batch's events grouped by shopper in arrival order, or a 400/413 naming every invalid field. */
    public Map<String, List<BehaviourEvent>> batch(EventsRequest request, Instant now) {
        if (request.events() == null) throw ApiException.badRequest("events", "is required");
        if (request.events().isEmpty()) throw ApiException.badRequest("events", "must hold at least one event");
        if (request.events().size() > maxEvents) {
            throw ApiException.tooLarge("at most " + maxEvents + " events per request; got "
                    + request.events().size());
        }
        var v = new Validator();
        var byShopper = new LinkedHashMap<String, List<BehaviourEvent>>();
        v.each("events", request.events(), (f, e) -> {
            var event = check(v, f, e, now);
            if (v.ok())
                byShopper.computeIfAbsent(e.shopperId(), k -> new ArrayList<>()).add(event);
        });
        v.throwIfInvalid();
        return byShopper;
    }

    /** One event on its own (fields named without a prefix), or a 400 naming every invalid field. */
    public Valid single(EventsRequest.EventBody body, Instant now) {
        var v = new Validator();
        var event = check(v, "", body, now);
        v.throwIfInvalid();
        return new Valid(body.shopperId(), event);
    }

    /** Reports what is wrong with {@code e} under the field prefix {@code f}; the event when nothing is. */
    private BehaviourEvent check(Validator v, String f, EventsRequest.EventBody e, Instant now) {
        v.id(f + "eventId", e.eventId(), true);
        v.id(f + "shopperId", e.shopperId(), true);
        EventType type = null;
        if (e.type() == null) v.error(f + "type", "is required");
        else type = LowerCaseName.find(EventType.class, e.type()).orElse(null);
        if (e.type() != null && type == null) v.error(f + "type", "must be one of " + TYPES);
        var occurredAt = v.instant(f + "occurredAt", e.occurredAt(), true);
        if (occurredAt != null && occurredAt.isAfter(now.plus(maxClockSkew)))
            v.error(
                    f + "occurredAt",
                    "lies in the future (more than " + maxClockSkew.toMinutes() + " min ahead of the server clock)");
        boolean needsOrder = type != null && type.needsOrder();
        v.id(f + "sku", e.sku(), false);
        v.text(f + "category", e.category(), 128, false);
        v.money(f + "amount", e.amount(), needsOrder);
        v.range(f + "quantity", e.quantity(), 1, 100_000, false);
        v.id(f + "channel", e.channel(), false);
        v.id(f + "orderId", e.orderId(), needsOrder);
        v.id(f + "couponId", e.couponId(), false);
        v.stringMap(f + "attributes", e.attributes(), 32, 64, 512);
        if (!v.ok()) return null;
        return new BehaviourEvent(
                e.eventId(),
                type,
                occurredAt,
                e.sku(),
                e.category(),
                e.amount(),
                e.quantity(),
                e.channel(),
                e.orderId(),
                e.couponId(),
                e.attributes() == null ? Map.of() : e.attributes());
    }
}

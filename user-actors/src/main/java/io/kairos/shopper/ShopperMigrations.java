package io.kairos.shopper;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.offer.DecisionRecordV1;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * How journals and snapshots written by the first version of the shopper aggregate are read by this one. Registered per
 * class name under {@code akka.serialization.jackson.migrations} in this module's {@code reference.conf}; each
 * migration's current version is 2.
 *
 * <ul>
 *   <li>Events moved from {@code ShopperEntity$X} to {@link ShopperEvent}{@code $X} (the protocol got its own file):
 *       {@link Renamed}.
 *   <li>{@code OfferIssued} and {@code HoldoutAssigned} carry the decision record, whose second version groups its
 *       fields and keeps money as decimals: {@link DecisionEvents}.
 *   <li>{@code IdentityLinked} and {@code BecameAlias} carry a {@link History}, and the {@code Alias} snapshot holds
 *       one: its behaviour moved into a nested {@link Behaviour} ({@link HistoryEvents}, {@link AliasSnapshot}).
 *   <li>The {@link Person} snapshot moved out of {@code ShopperState} and nests its behaviour and lifecycle:
 *       {@link PersonSnapshot}.
 *   <li>Version 3 of everything that holds a {@link Behaviour} (the person and alias snapshots, {@code IdentityLinked},
 *       {@code BecameAlias}, and the {@code AliasAccepted} and {@code ShopperSummary} messages): decayed scores and the
 *       hour histogram became compact ({@link #compactBehaviour}), which made an active shopper smaller in memory and
 *       in its snapshot.
 * </ul>
 *
 * Old payloads are never rewritten: each is upgraded as it is read. {@code LegacyPayloadsTest} recovers entities from
 * payloads recorded with each earlier version's serializers.
 */
public final class ShopperMigrations {
    private ShopperMigrations() {}

    static final String OLD_EVENT_PREFIX = "io.kairos.shopper.ShopperEntity$";
    static final String NEW_EVENT_PREFIX = "io.kairos.shopper.ShopperEvent$";

    /** The behaviour fields a first-version person or history kept at top level. */
    private static final String[] BEHAVIOUR_FIELDS = {
        "policy",
        "typeScores",
        "categoryScores",
        "preferences",
        "eventCount",
        "firstSeenAt",
        "lastEventAt",
        "recentIds",
        "hours"
    };

    static String renamed(String className) {
        return className.startsWith(OLD_EVENT_PREFIX)
                ? NEW_EVENT_PREFIX + className.substring(OLD_EVENT_PREFIX.length())
                : className;
    }

    /** A first-version person or history with its behaviour fields moved into {@code behaviour}. */
    static ObjectNode nestBehaviour(JsonNode v1) {
        var out = ((ObjectNode) v1).deepCopy();
        if (out.has("behaviour")) return out;
        var behaviour = out.putObject("behaviour");
        for (var field : BEHAVIOUR_FIELDS) {
            var value = out.remove(field);
            if (value != null) behaviour.set(field, value);
        }
        return out;
    }

    /**
     * A second-version behaviour ({@code typeScores}, {@code categoryScores} and {@code preferences} as maps of
     * {@code {value, asOf}}, {@code hours} as a map of counts by hour) in its third, compact shape:
     * {@link DecayedScores} as parallel arrays and {@link HourHistogram} as 24 counts. Already compact parts are kept.
     */
    static ObjectNode compactBehaviour(JsonNode v2) {
        var out = ((ObjectNode) v2).deepCopy();
        for (var field : new String[] {"typeScores", "categoryScores", "preferences"}) {
            var scores = out.get(field);
            if (scores != null && scores.has("scores")) out.set(field, compactScores(scores.get("scores")));
        }
        var hours = out.get("hours");
        if (hours != null && hours.has("counts")) out.set("hours", compactHours(hours.get("counts")));
        return out;
    }

    private static ObjectNode compactScores(JsonNode scores) {
        var out = JsonNodeFactory.instance.objectNode();
        var keys = out.putArray("keys");
        var values = out.putArray("values");
        var asOf = out.putArray("asOfMicros");
        for (var it = scores.fields(); it.hasNext(); ) {
            var e = it.next();
            keys.add(e.getKey());
            values.add(e.getValue().path("value").asDouble());
            asOf.add(DecayedScores.micros(instant(e.getValue().get("asOf"))));
        }
        return out;
    }

    private static ObjectNode compactHours(JsonNode counts) {
        var perHour = new long[24];
        boolean any = false;
        for (var it = counts.fields(); it.hasNext(); ) {
            var e = it.next();
            perHour[Integer.parseInt(e.getKey())] += e.getValue().asLong();
            any = true;
        }
        var out = JsonNodeFactory.instance.objectNode();
        var array = out.putArray("perHour");
        if (any) for (long n : perHour) array.add((int) Math.min(Integer.MAX_VALUE, n));
        return out;
    }

    /** An instant as Jackson writes it: ISO-8601 text, or decimal seconds since the epoch. */
    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) throw new IllegalArgumentException("a decayed score without asOf");
        if (node.isNumber()) {
            var seconds = node.decimalValue();
            var whole = seconds.setScale(0, RoundingMode.FLOOR);
            return Instant.ofEpochSecond(
                    whole.longValueExact(),
                    seconds.subtract(whole).movePointRight(9).intValue());
        }
        return Instant.parse(node.asText());
    }

    /** A migration to version 2 that renames a first-version event class, if the name is one. */
    private abstract static class ToVersion2 extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public String transformClassName(int fromVersion, String className) {
            return renamed(className);
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            return fromVersion >= 2 ? json : upgrade((ObjectNode) json);
        }

        /** The first-version JSON in its second shape. */
        abstract JsonNode upgrade(ObjectNode v1);
    }

    /** A class that holds a behaviour: to version 2 as before, then to version 3 with the behaviour compact. */
    private abstract static class ToVersion3 extends ToVersion2 {
        @Override
        public int currentVersion() {
            return 3;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            var v2 = super.transform(fromVersion, json);
            return fromVersion >= 3 ? v2 : compact((ObjectNode) v2);
        }

        /** The second-version JSON with its behaviours compact. */
        abstract JsonNode compact(ObjectNode v2);
    }

    /** Events of the first version whose shape did not change, only their class name. */
    public static final class Renamed extends ToVersion2 {
        @Override
        JsonNode upgrade(ObjectNode v1) {
            return v1;
        }
    }

    /** {@code OfferIssued} and {@code HoldoutAssigned}: renamed, and the decision record upgraded to version 2. */
    public static final class DecisionEvents extends ToVersion2 {
        @Override
        JsonNode upgrade(ObjectNode v1) {
            var out = v1.deepCopy();
            out.set("decision", DecisionRecordV1.upgrade(v1.get("decision")));
            return out;
        }
    }

    /** {@code IdentityLinked} ({@code history}) and {@code BecameAlias} ({@code handedOver}): renamed and nested. */
    public static final class HistoryEvents extends ToVersion3 {
        @Override
        JsonNode upgrade(ObjectNode v1) {
            return nestHistories(v1, "history", "handedOver");
        }

        @Override
        JsonNode compact(ObjectNode v2) {
            return compactHistories(v2, "history", "handedOver");
        }
    }

    /** The person snapshot: {@code ShopperState$Person} became {@link Person}, with nested behaviour and lifecycle. */
    public static final class PersonSnapshot extends ToVersion3 {
        @Override
        public String transformClassName(int fromVersion, String className) {
            return Person.class.getName();
        }

        @Override
        JsonNode upgrade(ObjectNode v1) {
            var out = nestBehaviour(v1);
            var lifecycle = out.putObject("lifecycle");
            lifecycle.set("stage", out.remove("stage"));
            lifecycle.set("since", out.remove("stageSince"));
            return out;
        }

        @Override
        JsonNode compact(ObjectNode v2) {
            return withEach(v2, ShopperMigrations::compactBehaviour, "behaviour");
        }
    }

    /** The alias snapshot keeps its class; the history it handed over nests its behaviour. */
    public static final class AliasSnapshot extends ToVersion3 {
        @Override
        JsonNode upgrade(ObjectNode v1) {
            return nestHistories(v1, "handedOver");
        }

        @Override
        JsonNode compact(ObjectNode v2) {
            return compactHistories(v2, "handedOver");
        }
    }

    /**
     * Messages that hold a behaviour, {@code AliasAccepted} ({@code history}) and {@code ShopperSummary}
     * ({@code activity.activeHours}): unversioned before the third version (they were never persisted), so a node of
     * this version understands one of the previous version during a rolling upgrade.
     */
    public static final class BehaviourMessages extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 3;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            if (fromVersion >= 3) return json;
            var out = compactHistories((ObjectNode) json, "history");
            return withEach(
                    out,
                    activity -> withEach(
                            activity,
                            hours -> hours.has("counts") ? compactHours(hours.get("counts")) : hours,
                            "activeHours"),
                    "activity");
        }
    }

    /** A copy of {@code json} with each object under {@code fields} replaced by what {@code upgrade} makes of it. */
    private static ObjectNode withEach(ObjectNode json, UnaryOperator<ObjectNode> upgrade, String... fields) {
        var out = json.deepCopy();
        for (var field : fields) {
            if (out.get(field) instanceof ObjectNode node) out.set(field, upgrade.apply(node));
        }
        return out;
    }

    /** Second-version histories (under {@code fields}) with their behaviour compact. */
    private static ObjectNode compactHistories(ObjectNode v2, String... fields) {
        return withEach(v2, history -> withEach(history, ShopperMigrations::compactBehaviour, "behaviour"), fields);
    }

    private static ObjectNode nestHistories(ObjectNode v1, String... fields) {
        return withEach(v1, ShopperMigrations::nestBehaviour, fields);
    }
}

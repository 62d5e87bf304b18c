package io.kairos.shopper;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.offer.DecisionRecordV1;

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
 * </ul>
 *
 * Old payloads are never rewritten: each is upgraded as it is read. {@code LegacyPayloadsTest} recovers entities from
 * payloads recorded with the first version's serializers.
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
    public static final class HistoryEvents extends ToVersion2 {
        @Override
        JsonNode upgrade(ObjectNode v1) {
            return nestHistories(v1, "history", "handedOver");
        }
    }

    /** The person snapshot: {@code ShopperState$Person} became {@link Person}, with nested behaviour and lifecycle. */
    public static final class PersonSnapshot extends ToVersion2 {
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
    }

    /** The alias snapshot keeps its class; the history it handed over nests its behaviour. */
    public static final class AliasSnapshot extends ToVersion2 {
        @Override
        JsonNode upgrade(ObjectNode v1) {
            return nestHistories(v1, "handedOver");
        }
    }

    private static ObjectNode nestHistories(ObjectNode v1, String... fields) {
        var out = v1.deepCopy();
        for (var field : fields) {
            var h = out.get(field);
            if (h != null && h.isObject()) out.set(field, nestBehaviour(h));
        }
        return out;
    }
}

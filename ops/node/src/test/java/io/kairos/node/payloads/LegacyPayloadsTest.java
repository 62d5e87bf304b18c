package io.kairos.node.payloads;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.SnapshotMeta;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import akka.persistence.testkit.javadsl.SnapshotTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.LocalCampaignCatalogue;
import io.kairos.dispatch.ContactCapEntity;
import io.kairos.dispatch.DeliveryEntity;
import io.kairos.dispatch.DeliveryState;
import io.kairos.entity.EntitySettings;
import io.kairos.offer.DecisionStore;
import io.kairos.offer.OfferSettings;
import io.kairos.order.OrderEntity;
import io.kairos.pricing.DemandPriors;
import io.kairos.pricing.PricePublisher;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.shopper.CouponPreference;
import io.kairos.shopper.OfferServices;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperSettings;
import io.kairos.shopper.ShopperSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events are forever: entities recover from journals and snapshots written by earlier versions of Kairos. The payloads
 * under {@code src/test/resources/payloads/<version>/} were recorded by {@link PayloadRecorder} with that version's
 * serializers (serializer id, manifest and bytes, as the Cassandra plugins store them). Each entity is recovered twice,
 * from its whole journal and from its snapshot alone, through this version's serialization (with its Jackson
 * migrations) and event handlers, and must answer what it answered when the payloads were recorded.
 */
class LegacyPayloadsTest {
    private static final Path ROOT = Path.of("src/test/resources/payloads");
    private static final Config CONFIG = ConfigFactory.parseString(
                    "akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off")
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.parseResources("serialization.conf"))
            .withFallback(ConfigFactory.load());
    private static final ActorTestKit testKit = ActorTestKit.create("legacy", CONFIG);
    private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    private static final SnapshotTestKit snapshots = SnapshotTestKit.create(testKit.system());
    private static final ObjectMapper json = JacksonObjectMapperProvider.get(Adapter.toClassic(testKit.system()))
            .getOrCreate("jackson-json", Optional.empty())
            .copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final AtomicInteger run = new AtomicInteger();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** One recorded payload: a journal event or a snapshot. */
    record Payload(String kind, long sequenceNr, Object value) {}

    /** One recorded entity: its payloads, deserialized with this version, and what it answered then. */
    record Recorded(String version, String type, String entityId, List<Payload> payloads, JsonNode expected) {
        List<Object> events() {
            return payloads.stream()
                    .filter(p -> p.kind().equals("event"))
                    .map(Payload::value)
                    .toList();
        }

        Payload snapshot() {
            return payloads.stream()
                    .filter(p -> p.kind().equals("snapshot"))
                    .findFirst()
                    .orElseThrow();
        }

        @Override
        public String toString() {
            return version + " " + type + "|" + entityId;
        }
    }

    enum From {
        JOURNAL,
        SNAPSHOT
    }

    static Stream<Arguments> entities() throws IOException {
        var out = new ArrayList<Arguments>();
        try (var versions = Files.list(ROOT)) {
            for (var version : versions.sorted().toList()) {
                try (var files = Files.walk(version)) {
                    for (var file : files.filter(f -> f.toString().endsWith(".tsv"))
                            .sorted()
                            .toList()) {
                        var recorded = read(version.getFileName().toString(), file);
                        for (var from : From.values()) out.add(Arguments.of(recorded, from));
                    }
                }
            }
        }
        return out.stream();
    }

    private static Recorded read(String version, Path file) {
        try {
            var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
            var payloads = new ArrayList<Payload>();
            for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                var f = line.split("\t");
                var value = serialization
                        .deserialize(Base64.getDecoder().decode(f[4]), Integer.parseInt(f[2]), f[3])
                        .get();
                payloads.add(new Payload(f[0], Long.parseLong(f[1]), value));
            }
            var name = file.getFileName().toString().replaceFirst("\\.tsv$", "");
            var expected =
                    json.readTree(file.resolveSibling(name + ".expected.json").toFile());
            var type = file.getParent().getFileName().toString();
            var id = expected.has("entityId") ? expected.get("entityId").asText() : entityId(type, name);
            return new Recorded(version, type, id, payloads, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entity id a file name stands for (file names replace characters a path cannot hold). */
    private static String entityId(String type, String fileName) {
        return type.equals("Shopper") && fileName.startsWith("phone_")
                ? "phone:" + fileName.substring("phone_".length())
                : fileName;
    }

    @ParameterizedTest(name = "{0} from its {1}")
    @MethodSource("entities")
    void recoversAndAnswersAsWhenRecorded(Recorded recorded, From from) throws Exception {
        // Each recovery starts from a store holding only the recorded payloads.
        journal.clearAll();
        snapshots.clearAll();
        var pid = recorded.type() + "|" + recorded.entityId();
        if (from == From.JOURNAL) {
            journal.persistForRecovery(pid, recorded.events());
        } else {
            var s = recorded.snapshot();
            snapshots.persistForRecovery(
                    pid, List.of(new akka.japi.Pair<>(SnapshotMeta.create(s.sequenceNr(), 0L), s.value())));
        }
        var name = recorded.type() + "-" + run.incrementAndGet();
        switch (recorded.type()) {
            case "Shopper" -> checkShopper(recorded, name);
            case "Campaign" -> checkCampaign(recorded, name);
            case "Order" -> checkOrder(recorded, name);
            case "SkuPricing" -> checkSku(recorded, name);
            case "Delivery" -> checkDelivery(recorded, name);
            case "ContactCap" -> checkContactCap(recorded, name);
            default -> throw new AssertionError("no check for entity type " + recorded.type());
        }
    }

    private void checkShopper(Recorded r, String name) throws Exception {
        var settings = ShopperSettings.fromConfig(CONFIG.getConfig("kairos.shopper"));
        var services = OfferServices.without(OfferSettings.fromConfig(CONFIG.getConfig("kairos.offers")));
        var owner = testKit.<ShopperCommand>createTestProbe();
        Function<String, RecipientRef<ShopperCommand>> others = id -> owner.ref();
        var shopper =
                testKit.spawn(ShopperEntity.create(r.entityId(), settings, entity("shopper"), others, services), name);
        var now = Instant.parse(r.expected().get("now").asText());
        if (r.expected().has("forwardsTo")) {
            // An alias: forwards to its person.
            shopper.tell(new ShopperCommand.GetShopper(
                    now, testKit.<ShopperCommand.ShopperReply>createTestProbe().ref()));
            owner.expectMessageClass(ShopperCommand.GetShopper.class);
            return;
        }
        var reply = ask(shopper, (ActorRef<ShopperCommand.ShopperReply> to) -> new ShopperCommand.GetShopper(now, to));
        assertThat(reply).isInstanceOf(ShopperCommand.Found.class);
        var summary = ((ShopperCommand.Found) reply).summary();
        // Derived after the payloads were recorded from what they do hold (the decayed preferences): it must equal its
        // derivation, and is then left out of the comparison with the recorded answer.
        assertThat(summary.activity().couponPreference())
                .isEqualTo(CouponPreference.of(summary.activity().preferences()));
        assertSameJson(
                r.version().equals("v1") ? firstShape(summary) : summary,
                r.expected().get("summary"),
                "activity",
                "couponPreference");
        testKit.stop(shopper);
    }

    private void checkCampaign(Recorded r, String name) throws Exception {
        var settings = CampaignSettings.fromConfig(
                CONFIG.getConfig("kairos.campaign"),
                io.kairos.entity.EntitySettings.fromConfig(CONFIG.getConfig("kairos.entities"), "campaign"));
        var now = Instant.parse(r.expected().get("now").asText());
        var campaign = testKit.spawn(
                CampaignEntity.create(
                        r.entityId(), settings, new LocalCampaignCatalogue(), Clock.fixed(now, ZoneOffset.UTC)),
                name);
        var reply = ask(campaign, (ActorRef<CampaignEntity.CampaignReply> to) -> new CampaignEntity.Get(now, to));
        assertThat(reply).isInstanceOf(CampaignEntity.CampaignFound.class);
        assertSameJson(
                ((CampaignEntity.CampaignFound) reply).campaign(), r.expected().get("campaign"));
        testKit.stop(campaign);
    }

    private void checkOrder(Recorded r, String name) {
        var shopper = testKit.<ShopperCommand>createTestProbe();
        var owners = new ArrayList<String>();
        var order = testKit.spawn(
                OrderEntity.create(r.entityId(), entity("order"), id -> {
                    owners.add(id);
                    return shopper.ref();
                }),
                name);
        order.tell(new OrderEntity.Cancel(
                Instant.now(),
                testKit.<ShopperCommand.OrderReply>createTestProbe().ref()));
        var cancel = shopper.expectMessageClass(ShopperCommand.CancelOrder.class);
        assertThat(cancel.orderId()).isEqualTo(r.entityId());
        assertThat(owners).containsExactly(r.expected().get("shopperId").asText());
        testKit.stop(order);
    }

    private void checkSku(Recorded r, String name) throws Exception {
        var settings = PricingSettings.fromConfig(ConfigFactory.parseString("reprice-timer.enabled = off")
                .atPath("kairos.pricing")
                .withFallback(CONFIG));
        var env = new SkuPricingEntity.Env(
                settings,
                Clock.systemUTC(),
                DemandPriors.constant(settings.defaultPrior()),
                PricePublisher.none(),
                Optional.empty());
        var sku = testKit.spawn(
                SkuPricingEntity.create(r.entityId(), SkuPricingEntity.tagFor(r.entityId(), settings.tags()), env),
                name);
        var status = ask(sku, SkuCommand.GetSku::new);
        assertSameJson(status, r.expected().get("status"));
        var history = ask(
                sku,
                (ActorRef<SkuCommand.PriceHistory> to) -> new SkuCommand.GetPriceHistory(
                        Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"), to));
        assertSameJson(history, r.expected().get("history"));
        testKit.stop(sku);
    }

    private void checkDelivery(Recorded r, String name) throws Exception {
        var env = RecoveredDelivery.env(CONFIG, Clock.systemUTC());
        var delivery = testKit.spawn(DeliveryEntity.create(r.entityId(), env), name);
        DeliveryState state = ask(delivery, DeliveryEntity.Get::new);
        assertSameJson(state, r.expected().get("state"));
        testKit.stop(delivery);
    }

    /** The recorded person holds two contacts of at most three in the window: one more fits, the next does not. */
    private void checkContactCap(Recorded r, String name) throws Exception {
        var contacts = r.expected().get("state").get("contacts");
        assertThat(contacts).hasSize(2);
        var at = Instant.parse(contacts.get(1).get("at").asText()).plusSeconds(1);
        var cap = testKit.spawn(
                ContactCapEntity.create(
                        r.entityId(),
                        3,
                        Duration.ofDays(7),
                        io.kairos.entity.EntitySettings.fromConfig(
                                com.typesafe.config.ConfigFactory.load().getConfig("kairos.entities"), "contact-cap")),
                name);
        assertThat(ask(
                        cap,
                        (ActorRef<Boolean> to) -> new ContactCapEntity.Reserve(
                                contacts.get(0).get("offerId").asText(), at, to)))
                .isTrue();
        assertThat(ask(cap, (ActorRef<Boolean> to) -> new ContactCapEntity.Reserve("of-new-1", at, to)))
                .isTrue();
        assertThat(ask(cap, (ActorRef<Boolean> to) -> new ContactCapEntity.Reserve("of-new-2", at, to)))
                .isFalse();
        testKit.stop(cap);
    }

    /**
     * The offer decisions recorded by every earlier version re-derive identical: re-scored by the model version their
     * record names (the recorder's), valued from the campaigns of the same recording (rebuilt from their journals),
     * drawn again with the recorded seed, or the one version 1 derived from the decision id.
     */
    @Test
    void decisionsOfEveryVersionReplayIdentical() throws IOException {
        var settings = OfferSettings.fromConfig(CONFIG.getConfig("kairos.offers"));
        try (var versions = Files.list(ROOT)) {
            for (var version : versions.sorted().toList()) {
                var campaigns = new java.util.HashMap<String, io.kairos.campaign.Campaign>();
                try (var files = Files.list(version.resolve("Campaign"))) {
                    for (var file :
                            files.filter(f -> f.toString().endsWith(".tsv")).toList()) {
                        var recorded = read(version.getFileName().toString(), file);
                        var states = io.kairos.campaign.CampaignState.replay(recorded.events().stream()
                                .map(io.kairos.campaign.CampaignEntity.Event.class::cast)
                                .toList());
                        campaigns.put(
                                recorded.entityId(),
                                states.get(states.size() - 1).definition());
                    }
                }
                int replayed = 0;
                for (var row : Files.readAllLines(version.resolve("decisions-table-rows.jsonl"))) {
                    var body = DecisionStore.read(json, row);
                    var r = body.record();
                    var kind = body.offer() != null ? "offer" : r.holdout() ? "holdout" : "none";
                    var stored = new io.kairos.offer.DecisionLookup.StoredDecision(
                            r.decisionId(),
                            r.shopperId(),
                            "Shopper|" + r.shopperId(),
                            1,
                            kind,
                            r.decidedAt(),
                            r,
                            body.offer());
                    var result = io.kairos.offer.DecisionReplay.replay(
                            stored,
                            Optional.of(PayloadRecorder.scorer()),
                            id -> Optional.ofNullable(campaigns.get(id)),
                            settings);
                    assertThat(result.rederivable())
                            .as("%s: %s", version, result)
                            .isTrue();
                    assertThat(result.identical()).as("%s: %s", version, result).isTrue();
                    replayed++;
                }
                assertThat(replayed).as("%s", version).isPositive();
            }
        }
    }

    /** The decisions table's JSON rows written before a change to the decision record still read. */
    @Test
    void decisionRowsOfEveryVersionRead() throws IOException {
        try (var versions = Files.list(ROOT)) {
            for (var version : versions.toList()) {
                var rows = Files.readAllLines(version.resolve("decisions-table-rows.jsonl"));
                assertThat(rows).isNotEmpty();
                for (var row : rows) {
                    var body = DecisionStore.read(json, row);
                    assertThat(body.record().decisionId()).isNotBlank();
                    // an offer was scored; a holdout was not; a decision that issued nothing (version 4 on) was
                    var scored = !body.record().scoring().candidates().isEmpty();
                    if (body.offer() != null) assertThat(scored).isTrue();
                    else if (scored)
                        assertThat(body.record().choice().reservation()).isNull();
                    else assertThat(body.record().holdout()).isTrue();
                    if (body.record().recordVersion() >= 2) {
                        // bound directly: written again, it is the row (decimals with their scale included)
                        var exact = json.reader()
                                .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                                .with(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
                        assertThat(exact.readTree(json.writeValueAsString(body)))
                                .as("%s of %s", row, version)
                                .isEqualTo(exact.readTree(row));
                    }
                }
            }
        }
    }

    /**
     * The first version's decision records, read from the journal (through the events' migration) and from the
     * decisions table (through the row reader), are the same record with every field in its new place.
     */
    @Test
    void firstVersionDecisionRecordsReadTheSameFromTheJournalAndTheTable() throws IOException {
        var journalRecords = new java.util.HashMap<String, io.kairos.offer.DecisionRecord>();
        var recorded = read("v1", ROOT.resolve("v1/Shopper/s-main.tsv"));
        for (var e : recorded.events()) {
            if (e instanceof ShopperEvent.OfferIssued i)
                journalRecords.put(i.decision().decisionId(), i.decision());
            if (e instanceof ShopperEvent.HoldoutAssigned h)
                journalRecords.put(h.decision().decisionId(), h.decision());
        }
        var rows = Files.readAllLines(ROOT.resolve("v1/decisions-table-rows.jsonl"));
        assertThat(journalRecords).hasSize(rows.size());
        for (var row : rows) {
            var fromTable = DecisionStore.read(json, row).record();
            assertThat(journalRecords.get(fromTable.decisionId())).isEqualTo(fromTable);
            assertThat(fromTable.recordVersion()).isEqualTo(1);
            var v1 = json.readTree(row).get("record");
            assertThat(fromTable.inputs().featuresHash())
                    .isEqualTo(v1.get("featuresHash").asText());
            assertThat(fromTable.scoring().source()).isEqualTo(v1.get("scoring").asText());
            assertThat(fromTable.choice().campaignId())
                    .isEqualTo(v1.get("chosenCampaignId").asText());
            assertThat(fromTable.choice().propensity())
                    .isEqualTo(v1.get("propensity").asDouble());
            assertThat(fromTable.choice().rule())
                    .isEqualTo(v1.get("bindingRule").asText());
            assertThat(fromTable.choice().holdout()).isEqualTo(v1.get("holdout").asBoolean());
            assertThat(fromTable.limits()).hasSize(v1.get("limits").size());
            var candidates = v1.get("candidates");
            assertThat(fromTable.scoring().candidates()).hasSize(candidates.size());
            for (int i = 0; i < candidates.size(); i++) {
                var old = candidates.get(i);
                var now = fromTable.scoring().candidates().get(i);
                assertThat(now.response().uplift()).isEqualTo(old.get("uplift").asDouble());
                assertThat(now.value().expectedOrderValue())
                        .isEqualByComparingTo(old.get("expectedOrderValue").decimalValue());
                // money that was a double is now exact to the cent
                assertThat(now.value().couponCost())
                        .isEqualTo(java.math.BigDecimal.valueOf(
                                        old.get("couponCost").asDouble())
                                .setScale(2, java.math.RoundingMode.HALF_EVEN));
                assertThat(now.value().expected().scale()).isEqualTo(2);
            }
            if (!fromTable.holdout()) {
                assertThat(fromTable.scoring().model().name())
                        .isEqualTo(v1.get("modelName").asText());
                assertThat(fromTable.choice().reservation().amount()).isPositive();
            }
        }
    }

    /**
     * A person's view in the shape it was recorded in (version 1 was flat; version 2 groups lifecycle, RFM and
     * activity): the same values, so the comparison shows nothing was lost or changed on the way.
     */
    private static java.util.Map<String, Object> firstShape(ShopperSummary s) {
        var out = new java.util.LinkedHashMap<String, Object>();
        out.put("shopperId", s.shopperId());
        out.put("profile", s.profile());
        out.put("stage", s.lifecycle().stage());
        out.put("stageSince", s.lifecycle().since());
        out.put("pAlive", s.lifecycle().pAlive());
        out.put("recencyDays", s.rfm().recencyDays());
        out.put("frequency", s.rfm().frequency());
        out.put("monetary", s.rfm().monetary());
        out.put("scores", s.activity().scores());
        out.put("tags", s.activity().tags());
        out.put("preferences", s.activity().preferences());
        out.put("eventCount", s.activity().eventCount());
        out.put("lastEventAt", s.activity().lastEventAt());
        out.put("links", s.links());
        out.put("offers", s.offers());
        out.put("activeHours", s.activity().activeHours());
        return out;
    }

    /**
     * The active hours in the shape versions 1 to 3 recorded them, counts by hour ({@code {"counts": {"9": 2}}}): the
     * histogram became 24 counts ({@code perHour}) when the shopper state got compact, with the same values.
     */
    private static void hoursAsCounts(JsonNode tree) {
        if (tree.isContainerNode()) tree.forEach(LegacyPayloadsTest::hoursAsCounts);
        if (!(tree instanceof ObjectNode o) || !(o.get("activeHours") instanceof ObjectNode h) || !h.has("perHour"))
            return;
        var counts = o.putObject("activeHours").putObject("counts");
        var perHour = h.get("perHour");
        for (int hour = 0; hour < perHour.size(); hour++) {
            if (perHour.get(hour).asInt() > 0)
                counts.put(Integer.toString(hour), perHour.get(hour).asInt());
        }
    }

    private static EntitySettings entity(String type) {
        return EntitySettings.fromConfig(CONFIG.getConfig("kairos.entities"), type);
    }

    /**
     * The answer as recorded. A field added to an answer after the payloads were recorded is accepted only with its
     * empty default (null, false, empty, or an object of such): what an old journal cannot have said.
     */
    private static void assertSameJson(Object actual, JsonNode expected) {
        assertSameJson(actual, expected, new String[0]);
    }

    /**
     * The answer as recorded, less one derived field the recording predates ({@code derived}: the path to it, e.g.
     * {@code activity, couponPreference}), which the caller checks against its derivation.
     */
    private static void assertSameJson(Object actual, JsonNode expected, String... derived) {
        try {
            // Both sides parsed from text the same way (numbers keep their textual form's type).
            var tree = json.readTree(json.writeValueAsString(actual));
            if (derived.length > 0) {
                JsonNode parent = tree;
                JsonNode recorded = expected;
                for (int i = 0; i < derived.length - 1; i++) {
                    parent = parent.path(derived[i]);
                    recorded = recorded == null ? null : recorded.get(derived[i]);
                }
                String field = derived[derived.length - 1];
                if (parent instanceof ObjectNode o && (recorded == null || !recorded.has(field))) o.remove(field);
            }
            // versions 1 to 3 recorded the active hours as counts by hour
            if (expected != null && expected.findParent("counts") != null) hoursAsCounts(tree);
            withoutNewEmptyFields(tree, expected);
            assertThat(tree).as("%s", actual).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void withoutNewEmptyFields(JsonNode actual, JsonNode expected) {
        if (actual instanceof ObjectNode object && expected != null && expected.isObject()) {
            var names = new ArrayList<String>();
            object.fieldNames().forEachRemaining(names::add);
            for (var name : names) {
                if (!expected.has(name) && isEmptyDefault(object.get(name))) object.remove(name);
                else withoutNewEmptyFields(object.get(name), expected.get(name));
            }
        } else if (actual != null && actual.isArray() && expected != null && expected.isArray()) {
            for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
                withoutNewEmptyFields(actual.get(i), expected.get(i));
            }
        }
    }

    private static boolean isEmptyDefault(JsonNode n) {
        if (n == null || n.isNull() || n.isBoolean() && !n.booleanValue()) return true;
        if (n.isArray()) return n.isEmpty();
        if (n.isObject()) {
            var all = new boolean[] {true};
            n.elements().forEachRemaining(e -> all[0] &= isEmptyDefault(e));
            return all[0];
        }
        return false;
    }

    private static <Req, Res> Res ask(RecipientRef<Req> to, akka.japi.function.Function<ActorRef<Res>, Req> message)
            throws Exception {
        return AskPattern.ask(to, message, Duration.ofSeconds(10), testKit.scheduler())
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
    }
}

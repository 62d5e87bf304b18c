package io.kairos.node.payloads;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.CampaignState;
import io.kairos.campaign.CampaignStatus;
import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.campaign.LocalCampaignCatalogue;
import io.kairos.dispatch.ContactCapEntity;
import io.kairos.dispatch.DeliveryEntity;
import io.kairos.entity.EntitySettings;
import io.kairos.models.uplift.FixedUplift;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.PriceList;
import io.kairos.offer.PriceLookup;
import io.kairos.order.OrderEntity;
import io.kairos.pricing.DemandObservation;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.DemandPriors;
import io.kairos.pricing.PricePublisher;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuConfig;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.pricing.SkuPricingState;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.shopper.OfferServices;
import io.kairos.shopper.Person;
import io.kairos.shopper.Profile;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperSettings;
import io.kairos.shopper.ShopperState;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records what the journal and snapshot store hold for every entity type, as the serializers of this version write it:
 * a realistic life of each entity driven through its real commands, then every persisted event (and the state, as a
 * snapshot) serialized exactly as the Cassandra plugins would store them (serializer id, manifest, bytes). Also the
 * {@code decisions} table's JSON rows. The files are checked in under {@code src/test/resources/payloads/<version>/}
 * before a change to an event, state or snapshot class, and {@code LegacyPayloadsTest} recovers entities from them
 * after it.
 *
 * <p>Run: {@code mvn -pl ops/node test -Dtest=PayloadRecorder
 * -Dkairos.record-payloads=ops/node/src/test/resources/payloads/v<next>}
 */
@EnabledIfSystemProperty(named = "kairos.record-payloads", matches = ".+")
class PayloadRecorder {
    static final Instant T = Instant.parse("2026-11-04T09:00:00Z");
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private final Path out = Path.of(System.getProperty("kairos.record-payloads"));
    private final Config config = ConfigFactory.parseString(
                    "akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off")
            .withFallback(EventSourcedBehaviorTestKit.config())
            .withFallback(ConfigFactory.parseResources("serialization.conf"))
            .withFallback(ConfigFactory.load());
    private final ActorTestKit testKit = ActorTestKit.create("recorder", config);
    private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    private final ObjectMapper json = JacksonObjectMapperProvider.get(Adapter.toClassic(testKit.system()))
            .getOrCreate("jackson-json", Optional.empty())
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void record() throws Exception {
        Files.createDirectories(out);
        try {
            shoppersCampaignsAndOrders();
            pricing();
            dispatch();
        } finally {
            testKit.shutdownTestKit();
        }
    }

    // ---- shoppers, campaigns, orders ----

    private void shoppersCampaignsAndOrders() throws Exception {
        var shopperSettings = ShopperSettings.fromConfig(config.getConfig("kairos.shopper"));
        var offerSettings =
                // no exploration; a contact cap above the four decisions the scenario makes
                OfferSettings.fromConfig(config.getConfig("kairos.offers"))
                        .withEpsilon(0)
                        .withContactCapMax(10);
        var campaignSettings = CampaignSettings.fromConfig(
                config.getConfig("kairos.campaign"),
                io.kairos.entity.EntitySettings.fromConfig(config.getConfig("kairos.entities"), "campaign"));
        var catalogue = new LocalCampaignCatalogue();
        var clock = Clock.fixed(T, ZoneOffset.UTC);
        Map<String, ActorRef<CampaignEntity.Command>> campaigns = new ConcurrentHashMap<>();
        Function<String, RecipientRef<CampaignEntity.Command>> campaignRefs = id -> campaigns.computeIfAbsent(
                id, k -> testKit.spawn(CampaignEntity.create(k, campaignSettings, catalogue, clock), "campaign-" + k));
        var threads = Executors.newSingleThreadExecutor();
        var scoring =
                new OfferScoring(() -> Optional.of(scorer()), threads, Duration.ofSeconds(5), offerSettings.safeRule());
        PriceLookup prices = sku -> Optional.of(
                new PriceLookup.SkuPrice(new BigDecimal("20.00"), new BigDecimal("8.00"), new BigDecimal("9.00")));
        var services = new OfferServices(offerSettings, catalogue, campaignRefs, scoring);
        Map<String, ActorRef<ShopperCommand>> shoppers = new ConcurrentHashMap<>();
        Function<String, RecipientRef<ShopperCommand>>[] shopperRefs = new Function[1];
        shopperRefs[0] = id -> shoppers.computeIfAbsent(
                id,
                k -> testKit.spawn(
                        ShopperEntity.create(k, shopperSettings, entity("shopper"), shopperRefs[0], services),
                        "shopper-" + k.replaceAll("[^A-Za-z0-9-]", "_")));

        // Three in-app campaigns (amount off, percent off, threshold); a fourth holds the person out.
        var amount = campaign(
                "c-amount",
                new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null));
        var percent = campaign(
                "c-percent",
                new Coupon(
                        CouponType.PERCENT_OFF,
                        new BigDecimal("10"),
                        null,
                        new BigDecimal("8"),
                        List.of(),
                        List.of("tea"),
                        null));
        var threshold = campaign(
                "c-threshold",
                new Coupon(
                        CouponType.THRESHOLD_AMOUNT_OFF,
                        new BigDecimal("10"),
                        new BigDecimal("50"),
                        null,
                        List.of(),
                        List.of(),
                        "seasonal"));
        var holdout = holdoutCampaign("s-main");
        for (var c : List.of(amount, percent, threshold, holdout)) {
            var reply = ask(
                    campaignRefs.apply(c.campaignId()),
                    (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Create(c, T, "ops-1", r));
            assertThat(reply).isInstanceOf(CampaignEntity.CampaignFound.class);
        }

        // An identity with its own history, linked later.
        var phone = "phone:4915112340001";
        ask(
                shopperRefs[0].apply(phone),
                (ActorRef<ShopperCommand.Recorded> r) -> new ShopperCommand.RecordEvents(
                        List.of(
                                event("p-1", EventType.APP_OPEN, T.minus(Duration.ofDays(20)), null, null),
                                event("p-2", EventType.VIEW, T.minus(Duration.ofDays(19)), "mug-1", "kitchen")),
                        T.minus(Duration.ofDays(19)),
                        r));

        var main = (ActorRef<ShopperCommand>) shopperRefs[0].apply("s-main");
        var history = new ArrayList<BehaviourEvent>();
        history.add(event("e-1", EventType.VIEW, T.minus(Duration.ofDays(40)), "tea-1", "tea"));
        history.add(event("e-2", EventType.ORDER, T.minus(Duration.ofDays(39)), null, null)
                .withOrder("o-ev-1", new BigDecimal("42.50")));
        history.add(event("e-3", EventType.SEARCH, T.minus(Duration.ofDays(10)), null, null));
        history.add(event("e-4", EventType.ORDER, T.minus(Duration.ofDays(9)), null, "tea")
                .withOrder("o-ev-2", new BigDecimal("30.00"))
                .withAttributes(Map.of("couponType", "amount_off")));
        history.add(event("e-5", EventType.REFUND, T.minus(Duration.ofDays(8)), null, null)
                .withOrder("o-ev-2", new BigDecimal("5.00")));
        history.add(event("e-6", EventType.COUPON_CLAIM, T.minus(Duration.ofDays(7)), null, null)
                .withAttributes(Map.of("couponType", "percent_off")));
        ask(
                main,
                (ActorRef<ShopperCommand.Recorded> r) ->
                        new ShopperCommand.RecordEvents(history, T.minus(Duration.ofDays(7)), r));
        ask(
                main,
                (ActorRef<ShopperCommand.ShopperReply> r) -> new ShopperCommand.UpdateProfile(
                        new Profile(
                                "f",
                                "25-34",
                                "DE-BE",
                                true,
                                T.minus(Duration.ofDays(300)),
                                "Europe/Berlin",
                                Map.of("tier", "gold"),
                                Map.of("email", true, "sms", false),
                                List.of("vip"),
                                null),
                        null,
                        T.minus(Duration.ofHours(2)),
                        r));
        var linked = ask(
                main,
                (ActorRef<ShopperCommand.LinkReply> r) ->
                        new ShopperCommand.LinkIdentity(phone, T.minus(Duration.ofHours(1)), r));
        assertThat(linked).isInstanceOf(ShopperCommand.Linked.class);
        ask(
                main,
                (ActorRef<ShopperCommand.Recorded> r) -> new ShopperCommand.RecordEvents(
                        List.of(
                                event("e-7", EventType.VIEW, T.minusSeconds(600), "tea-2", "tea"),
                                event("e-8", EventType.ADD_TO_CART, T.minusSeconds(300), "tea-2", "tea")),
                        T.minusSeconds(300),
                        r));

        // Three decisions on request: one offer each (the best campaign left), and the holdout recorded on the first.
        var offers = new ArrayList<Offer>();
        for (int i = 0; i < 3; i++) {
            var at = T.plusSeconds(i);
            var reply =
                    ask(main, (ActorRef<ShopperCommand.DecideReply> r) -> new ShopperCommand.DecideOffers(null, at, r));
            offers.clear();
            offers.addAll(((ShopperCommand.Decided) reply).offers());
        }
        assertThat(offers).hasSize(3);
        // A profit campaign whose expected value is negative under the recorder's model: the next decision issues
        // nothing and is recorded as NoOfferDecided (its own exploration share set, to 0, so the draw is off).
        var profit = campaign(
                "c-profit",
                new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null),
                0,
                Campaign.Objective.PROFIT,
                0.0);
        assertThat(ask(
                        campaignRefs.apply(profit.campaignId()),
                        (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Create(profit, T, "ops-1", r)))
                .isInstanceOf(CampaignEntity.CampaignFound.class);
        var none = ask(
                main,
                (ActorRef<ShopperCommand.DecideReply> r) -> new ShopperCommand.DecideOffers(null, T.plusSeconds(3), r));
        assertThat(((ShopperCommand.Decided) none).decisionId()).isNotNull();
        assertThat(journal.persistedInStorage("Shopper|s-main"))
                .anyMatch(e -> e instanceof ShopperEvent.NoOfferDecided);
        var byCampaign = new LinkedHashMap<String, Offer>();
        offers.forEach(o -> byCampaign.put(o.campaignId(), o));
        var a = byCampaign.get("c-amount");
        var p = byCampaign.get("c-percent");
        var th = byCampaign.get("c-threshold");
        ask(
                main,
                (ActorRef<akka.Done> r) -> new ShopperCommand.RecordDelivery(
                        p.offerId(), "in_app", true, null, BigDecimal.ZERO, T.plusSeconds(10), r));
        ask(
                main,
                (ActorRef<akka.Done> r) -> new ShopperCommand.RecordDelivery(
                        th.offerId(), "email", false, "rejected: 550", new BigDecimal("0.002"), T.plusSeconds(11), r));
        ask(
                main,
                (ActorRef<ShopperCommand.Recorded> r) -> new ShopperCommand.RecordEvents(
                        List.of(BehaviourEvent.of("e-9", EventType.MESSAGE_OPEN, T.plusSeconds(20))
                                .withCoupon("email", th.couponId())),
                        T.plusSeconds(20),
                        r));
        var claimed = ask(
                main,
                (ActorRef<ShopperCommand.ClaimReply> r) ->
                        new ShopperCommand.ClaimCoupon(a.couponId(), T.plusSeconds(30), r));
        assertThat(claimed).isInstanceOf(ShopperCommand.CouponClaimed.class);

        // An order through the order entity (which binds the order id to the person), then its cancellation.
        var orders =
                testKit.spawn(OrderEntity.create("o-api-1", entity("order"), shopperRefs[0]::apply), "order-o-api-1");
        var placed = ask(
                orders,
                (ActorRef<ShopperCommand.OrderReply> r) -> new OrderEntity.Place(
                        "s-main",
                        List.of(new ShopperCommand.CartItem("tea-2", 3, "tea")),
                        List.of(a.couponId()),
                        new BigDecimal("4.90"),
                        PriceList.of(List.of("tea-2"), prices),
                        T.plusSeconds(60),
                        r));
        assertThat(placed).isInstanceOf(ShopperCommand.OrderAccepted.class);
        var cancelled =
                ask(orders, (ActorRef<ShopperCommand.OrderReply> r) -> new OrderEntity.Cancel(T.plusSeconds(120), r));
        assertThat(cancelled).isInstanceOf(ShopperCommand.OrderAccepted.class);
        ask(
                main,
                (ActorRef<akka.Done> r) ->
                        new ShopperCommand.RevokeOffer(p.offerId(), "test revocation", T.plusSeconds(130), r));
        // The cart was abandoned: its trigger fires an hour later.
        ask(main, (ActorRef<ShopperCommand.Woken> r) -> new ShopperCommand.Wake(T.plus(Duration.ofHours(2)), r));

        // The campaigns' own changes: a pause and a resume, a sweep long after every offer expired (release,
        // compaction).
        var c = campaignRefs.apply("c-amount");
        ask(
                c,
                (ActorRef<CampaignEntity.CampaignReply> r) ->
                        new CampaignEntity.Update(CampaignStatus.PAUSED, null, T.plusSeconds(200), "ops-1", r));
        ask(
                c,
                (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Update(
                        CampaignStatus.ACTIVE, new BigDecimal("150.00"), T.plusSeconds(300), "ops-2", r));
        var percentRef = campaignRefs.apply("c-threshold");
        percentRef.tell(new CampaignEntity.Sweep(T.plus(Duration.ofDays(20))));
        percentRef.tell(new CampaignEntity.Sweep(T.plus(Duration.ofDays(40))));
        ask(
                percentRef,
                (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Get(T.plus(Duration.ofDays(20)), r));

        var now = T.plus(Duration.ofHours(3));
        var summary = ((ShopperCommand.Found)
                        ask(main, (ActorRef<ShopperCommand.ShopperReply> r) -> new ShopperCommand.GetShopper(now, r)))
                .summary();
        // The state as a snapshot: the actor stopped, the test kit recovers it from the same in-memory journal.
        // The state as a snapshot: what recovery computes from these events (the one transition function).
        var state = fold("s-main");
        var mainDir = write("Shopper", "s-main", state, Map.of("now", now, "summary", summary));
        var phoneSummary = ask(
                shopperRefs[0].apply(phone),
                (ActorRef<ShopperCommand.ShopperReply> r) -> new ShopperCommand.GetShopper(now, r));
        write("Shopper", phone, fold(phone), Map.of("now", now, "forwardsTo", "s-main", "reply", phoneSummary));
        for (var id : List.of("c-amount", "c-percent", "c-threshold", "c-profit", holdout.campaignId())) {
            var snap = ask(
                    campaignRefs.apply(id),
                    (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Get(now, r));
            var events = journal.persistedInStorage("Campaign|" + id).stream()
                    .map(e -> (CampaignEntity.Event) e)
                    .toList();
            var states = CampaignState.replay(events);
            write(
                    "Campaign",
                    id,
                    states.get(states.size() - 1),
                    Map.of("now", now, "campaign", ((CampaignEntity.CampaignFound) snap).campaign()));
        }
        write("Order", "o-api-1", new OrderEntity.State("s-main", null), Map.of("shopperId", "s-main"));

        // The decisions table's rows as the shopper projection writes them (JSON through the node's jackson-json
        // mapper).
        var rows = new ArrayList<Map<String, Object>>();
        for (var e : journal.persistedInStorage("Shopper|s-main")) {
            if (e instanceof ShopperEvent.OfferIssued oi) {
                rows.add(Map.of("record", oi.decision(), "offer", oi.offer()));
            } else if (e instanceof ShopperEvent.HoldoutAssigned h) {
                var body = new LinkedHashMap<String, Object>();
                body.put("record", h.decision());
                body.put("offer", null);
                rows.add(body);
            } else if (e instanceof ShopperEvent.NoOfferDecided n) {
                var body = new LinkedHashMap<String, Object>();
                body.put("record", n.decision());
                body.put("offer", null);
                rows.add(body);
            }
        }
        var plain = JacksonObjectMapperProvider.get(Adapter.toClassic(testKit.system()))
                .getOrCreate("jackson-json", Optional.empty());
        var lines = new ArrayList<String>();
        for (var row : rows) lines.add(plain.writeValueAsString(row));
        Files.write(out.resolve("decisions-table-rows.jsonl"), lines);
        threads.shutdownNow();
        assertThat(mainDir).exists();
    }

    private ShopperState fold(String shopperId) {
        ShopperState state = Person.empty();
        for (var e : journal.persistedInStorage("Shopper|" + shopperId)) state = state.apply((ShopperEvent) e);
        return state;
    }

    private EntitySettings entity(String type) {
        return EntitySettings.fromConfig(config.getConfig("kairos.entities"), type);
    }

    private static Campaign campaign(String id, Coupon coupon) {
        return campaign(id, coupon, 0);
    }

    /** An in-app campaign of {@code coupon} from START for 30 days. */
    private static Campaign campaign(String id, Coupon coupon, double holdoutPercent) {
        return campaign(id, coupon, holdoutPercent, Campaign.Objective.ACTIVATION, null);
    }

    private static Campaign campaign(
            String id, Coupon coupon, double holdoutPercent, Campaign.Objective objective, Double exploration) {
        return new Campaign(
                id,
                "campaign " + id,
                coupon,
                new BigDecimal("100.00"),
                7,
                START,
                START.plus(Duration.ofDays(30)),
                Campaign.Eligibility.ANYONE,
                Campaign.Caps.NONE,
                holdoutPercent,
                List.of(Campaign.IN_APP),
                objective,
                Campaign.PacingMode.ASAP,
                0.3,
                null,
                exploration,
                null);
    }

    /** A campaign whose 50 % holdout holds {@code personId} out. */
    private static Campaign holdoutCampaign(String personId) {
        for (int i = 0; ; i++) {
            var id = "c-holdout-" + i;
            if (io.kairos.offer.Holdout.heldOut(personId, id, 50)) {
                return campaign(
                        id,
                        new Coupon(
                                CouponType.FREE_SHIPPING,
                                new BigDecimal("4.90"),
                                null,
                                null,
                                List.of(),
                                List.of(),
                                null),
                        50);
            }
        }
    }

    private static BehaviourEvent event(String id, EventType type, Instant at, String sku, String category) {
        return new BehaviourEvent(
                id, type, at, sku, category, null, sku == null ? null : 1, null, null, null, Map.of());
    }

    /** The uplift model the recorded decisions were scored by (what a re-derivation of them loads). */
    static UpliftScorer scorer() {
        return new FixedUplift("recorded-uplift", "3", Map.of("c-amount", 0.09, "c-percent", 0.07), 0.05, 0.1, 45.0);
    }

    // ---- pricing ----

    private void pricing() throws Exception {
        var settings = PricingSettings.fromConfig(ConfigFactory.parseString("reprice-timer.enabled = off")
                .atPath("kairos.pricing")
                .withFallback(config));
        var movable = new io.kairos.time.ManualClock(START);
        var prior = new DemandPrior(-2.0, 0.05, 0.5, 0.5, "recorded");
        // one SKU configuration (500 in stock, no prior of its own) priced by each policy in turn
        var teaConfig = new SkuConfig(
                new BigDecimal("20.00"),
                new BigDecimal("8.00"),
                new BigDecimal("14.00"),
                new BigDecimal("26.00"),
                BigDecimal.TEN,
                BigDecimal.TEN,
                Duration.ofHours(1),
                SkuConfig.Policy.FIXED,
                SkuConfig.Objective.REVENUE,
                "EUR",
                Optional.of(500L),
                Optional.empty(),
                List.of(),
                Optional.empty());
        for (var policy : List.of(SkuConfig.Policy.FIXED, SkuConfig.Policy.THOMPSON, SkuConfig.Policy.QLEARNING)) {
            var sku = "tea-" + policy.name().toLowerCase();
            var env = new SkuPricingEntity.Env(
                    settings, movable, DemandPriors.constant(prior), PricePublisher.none(), Optional.empty());
            var kit = EventSourcedBehaviorTestKit.<SkuCommand, SkuPricingEntity.Event, SkuPricingState>create(
                    testKit.system(), SkuPricingEntity.create(sku, SkuPricingEntity.tagFor(sku, settings.tags()), env));
            movable.set(START);
            var configured = kit.runCommand((ActorRef<SkuCommand.ConfigureReply> r) ->
                    new SkuCommand.Configure(teaConfig.withPolicy(policy), START, "ops-1", r));
            assertThat(configured.reply()).isInstanceOf(SkuCommand.ConfigAccepted.class);
            for (int h = 1; h <= 6; h++) {
                var at = START.plus(Duration.ofHours(h));
                var observations = new ArrayList<DemandObservation>();
                for (int i = 0; i < 5; i++)
                    observations.add(DemandObservation.view(sku + "-v" + h + "-" + i, at.minusSeconds(600 + i)));
                observations.add(new DemandObservation(sku + "-o" + h, at.minusSeconds(300), 0, 0, 1, h % 3));
                kit.runCommand((ActorRef<SkuCommand.DemandAck> r) -> new SkuCommand.RecordDemand(observations, r));
                movable.set(at);
                kit.runCommand((ActorRef<SkuCommand.RepriceResult> r) -> new SkuCommand.Reprice(at, r));
            }
            var status = kit.runCommand((ActorRef<SkuCommand.SkuStatus> r) -> new SkuCommand.GetSku(r))
                    .reply();
            var history = kit.runCommand((ActorRef<SkuCommand.PriceHistory> r) ->
                            new SkuCommand.GetPriceHistory(START, START.plus(Duration.ofDays(1)), r))
                    .reply();
            write("SkuPricing", sku, kit.getState(), Map.of("status", status, "history", history));
        }
    }

    // ---- dispatch ----

    private void dispatch() throws Exception {
        var coupon = new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null);
        var sent = List.<DeliveryEntity.Event>of(
                new DeliveryEntity.DeliveryScheduled(
                        "s-main", issuedOffer("of-d1", "cp-D1", "email", "d1", coupon), 0.3, T, null),
                new DeliveryEntity.AttemptStarted("email", T.plusSeconds(1)),
                new DeliveryEntity.AttemptStarted("email", T.plusSeconds(31)),
                new DeliveryEntity.DeliverySent("email", new BigDecimal("0.002"), T.plusSeconds(32)),
                new DeliveryEntity.DeliveryReported(T.plusSeconds(33)));
        var abandoned = List.<DeliveryEntity.Event>of(
                new DeliveryEntity.DeliveryScheduled(
                        "s-main", issuedOffer("of-d2", "cp-D2", "sms", "d2", coupon), 0.3, T, null),
                new DeliveryEntity.DeliveryAbandoned("sms", "no-consent", T.plusSeconds(2)),
                new DeliveryEntity.DeliveryReported(T.plusSeconds(3)));
        for (var entry : Map.of("of-d1", sent, "of-d2", abandoned).entrySet()) {
            journal.persistForRecovery("Delivery|" + entry.getKey(), new ArrayList<>(entry.getValue()));
            var env = RecoveredDelivery.env(config, Clock.fixed(T.plusSeconds(60), ZoneOffset.UTC));
            var delivery = testKit.spawn(DeliveryEntity.create(entry.getKey(), env), "delivery-" + entry.getKey());
            var state = ask(delivery, DeliveryEntity.Get::new);
            assertThat(state.isFinal()).as("recovered delivery state").isTrue();
            write("Delivery", entry.getKey(), state, Map.of("state", state));
        }
        var cap =
                EventSourcedBehaviorTestKit
                        .<ContactCapEntity.Command, ContactCapEntity.Event, ContactCapEntity.State>create(
                                testKit.system(),
                                ContactCapEntity.create(
                                        "s-main",
                                        3,
                                        Duration.ofDays(7),
                                        io.kairos.entity.EntitySettings.fromConfig(
                                                com.typesafe.config.ConfigFactory.load()
                                                        .getConfig("kairos.entities"),
                                                "contact-cap")));
        cap.runCommand((ActorRef<Boolean> r) -> new ContactCapEntity.Reserve("of-d1", T, r));
        cap.runCommand((ActorRef<Boolean> r) -> new ContactCapEntity.Reserve("of-d2", T.plusSeconds(5), r));
        cap.runCommand((ActorRef<akka.Done> r) -> new ContactCapEntity.Release("of-d2", r));
        cap.runCommand((ActorRef<Boolean> r) -> new ContactCapEntity.Reserve("of-d3", T.plusSeconds(9), r));
        write("ContactCap", "s-main", cap.getState(), Map.of("state", cap.getState()));
    }

    /** An offer of campaign c-amount, issued at T for a week, reserving 5. */
    private static Offer issuedOffer(
            String offerId, String couponId, String channel, String decisionId, Coupon coupon) {
        return new Offer(
                offerId,
                couponId,
                "c-amount",
                coupon,
                io.kairos.offer.OfferStatus.ISSUED,
                T,
                T.plus(Duration.ofDays(7)),
                channel,
                decisionId,
                new BigDecimal("5"),
                null,
                null,
                null);
    }

    // ---- output ----

    /**
     * Writes {@code <type>/<id>.tsv}: one line per journal event ({@code event seqNr serializerId manifest base64})
     * and, when {@code snapshot} is given, one for the state as a snapshot at the last sequence number; and
     * {@code <type>/<id>.expected.json}, what the entity answered at the end.
     */
    private Path write(String type, String id, Object snapshot, Map<String, Object> expected) throws IOException {
        var dir = Files.createDirectories(out.resolve(type));
        var events = journal.persistedInStorage(type + "|" + id);
        assertThat(events).as("journal of %s|%s", type, id).isNotEmpty();
        var lines = new ArrayList<String>();
        long seq = 0;
        for (var e : events) lines.add(line("event", ++seq, e));
        if (snapshot != null) lines.add(line("snapshot", seq, snapshot));
        var file = dir.resolve(fileName(id) + ".tsv");
        Files.write(file, lines);
        Files.writeString(dir.resolve(fileName(id) + ".expected.json"), json.writeValueAsString(expected) + "\n");
        return file;
    }

    static String fileName(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private String line(String kind, long seq, Object payload) {
        var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        var serializer = serialization.findSerializerFor(payload);
        var bytes = serializer.toBinary(payload);
        return String.join(
                "\t",
                kind,
                Long.toString(seq),
                Integer.toString(serializer.identifier()),
                Serializers.manifestFor(serializer, payload),
                Base64.getEncoder().encodeToString(bytes));
    }

    private <Req, Res> Res ask(RecipientRef<Req> to, akka.japi.function.Function<ActorRef<Res>, Req> message)
            throws Exception {
        return AskPattern.ask(to, message, Duration.ofSeconds(10), testKit.scheduler())
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
    }
}

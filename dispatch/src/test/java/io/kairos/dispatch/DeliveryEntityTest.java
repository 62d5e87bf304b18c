package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.dispatch.DeliveryState.Status;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferStatus;
import io.kairos.privacy.MemoryPersonKeys;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.PersonKeys.Created;
import io.kairos.privacy.Seals;
import io.kairos.shopper.HourHistogram;
import io.kairos.shopper.LifecycleStage;
import io.kairos.shopper.Profile;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperSummary;
import io.kairos.time.ManualClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery ledger of one offer with a manual clock, the in-memory journal, a real contact-cap entity and a real
 * webhook channel to a local receiver; the shopper is a stand-in that answers with a fixed summary and records the
 * reported results.
 */
class DeliveryEntityTest {
    private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
            .withFallback(ConfigFactory.parseString("kairos.dispatch { retry-interval = 200ms, ask-timeout = 1s }"))
            .withFallback(ConfigFactory.load()));
    private static final DispatchSettings SETTINGS =
            DispatchSettings.fromConfig(testKit.system().settings().config().getConfig("kairos.dispatch"));
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** Outside the quiet hours in UTC (22:00-08:00). */
    private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

    private static int ids;

    private WebhookReceiver receiver;
    private ResilientChannel webhook;
    private final List<ShopperCommand.RecordDelivery> reports = new CopyOnWriteArrayList<>();
    private ActorRef<ContactCapEntity.Command> cap;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @org.junit.jupiter.api.AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        var settings = SETTINGS.channels().get("webhook");
        var ch = new DispatchSettings.ChannelSettings(
                "webhook",
                "webhook",
                true,
                "webhook",
                "",
                settings.cost(),
                settings.responseRate(),
                100,
                8,
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(20),
                Duration.ofSeconds(30),
                5,
                Duration.ofSeconds(1),
                ConfigFactory.empty());
        webhook = new ResilientChannel(
                new WebhookChannel("webhook", receiver.url(), "secret", testKit.system(), Clock.systemUTC()),
                ch,
                testKit.system());
        cap = testKit.spawn(ContactCapEntity.create(
                "person-" + (++ids),
                2,
                Duration.ofDays(7),
                io.kairos.entity.EntitySettings.fromConfig(
                        com.typesafe.config.ConfigFactory.load().getConfig("kairos.entities"), "contact-cap")));
    }

    /** An offer issued at {@code now}, valid for a week. */
    private static Offer offer(String offerId, Instant now) {
        return offer(offerId, now, now.plus(Duration.ofDays(7)));
    }

    private static Offer offer(String offerId, Instant issuedAt, Instant expiresAt) {
        var coupon = new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null);
        return new Offer(
                offerId,
                "CPN-" + offerId,
                "c1",
                coupon,
                OfferStatus.ISSUED,
                issuedAt,
                expiresAt,
                "webhook",
                "d-" + offerId,
                new BigDecimal("5"),
                null,
                null,
                null);
    }

    /** The shopper: answers GetShopper with its profile and offers, records RecordDelivery. */
    private Behavior<ShopperCommand> shopper(Profile profile, List<Offer> offers) {
        return shopper(profile, offers, HourHistogram.EMPTY);
    }

    /** As above, with the behaviour events the shopper's state counted per UTC hour. */
    private Behavior<ShopperCommand> shopper(Profile profile, List<Offer> offers, HourHistogram activeHours) {
        return Behaviors.receiveMessage(c -> {
            if (c instanceof ShopperCommand.GetShopper g) {
                g.replyTo()
                        .tell(new ShopperCommand.Found(new ShopperSummary(
                                "person",
                                profile,
                                new ShopperSummary.Lifecycle(LifecycleStage.ACTIVE, null, null),
                                new ShopperSummary.Rfm(null, 1, BigDecimal.TEN),
                                new ShopperSummary.Activity(Map.of(), List.of(), Map.of(), 1, null, activeHours, null),
                                List.of(),
                                offers)));
            } else if (c instanceof ShopperCommand.RecordDelivery r) {
                reports.add(r);
                r.replyTo().tell(Done.getInstance());
            }
            return Behaviors.same();
        });
    }

    private static Profile profile(String zone, boolean consent) {
        return new Profile(null, null, null, null, null, zone, Map.of(), Map.of("webhook", consent), List.of(), null);
    }

    /** The delivery of {@code o} to a shopper with {@code profile} who holds {@code o}. */
    private ActorRef<DeliveryEntity.Command> deliveryTo(Profile profile, Offer o, Clock clock) {
        return delivery(o.offerId(), testKit.spawn(shopper(profile, List.of(o))), clock);
    }

    private ActorRef<DeliveryEntity.Command> delivery(String offerId, ActorRef<ShopperCommand> shopper, Clock clock) {
        return delivery(offerId, shopper, clock, Map.of("webhook", webhook));
    }

    private ActorRef<DeliveryEntity.Command> delivery(
            String offerId, ActorRef<ShopperCommand> shopper, Clock clock, Map<String, ResilientChannel> channels) {
        // named by shopper id, as before pseudonyms: no key store asked
        return testKit.spawn(DeliveryEntity.create(offerId, env(channels, id -> shopper, id -> cap, null, clock)));
    }

    private DeliveryEntity.Env env(
            Map<String, ResilientChannel> channels,
            java.util.function.Function<String, akka.actor.typed.RecipientRef<ShopperCommand>> shoppers,
            java.util.function.Function<String, akka.actor.typed.RecipientRef<ContactCapEntity.Command>> caps,
            PersonKeys keys,
            Clock clock) {
        return new DeliveryEntity.Env(
                SETTINGS,
                channels,
                shoppers,
                caps,
                keys,
                ch -> 0.02,
                new Templates(SETTINGS.templates()),
                TrackedLinks.NONE,
                clock,
                io.kairos.entity.EntitySettings.fromConfig(
                        com.typesafe.config.ConfigFactory.load().getConfig("kairos.entities"), "delivery"),
                Optional.empty());
    }

    private DeliveryState state(ActorRef<DeliveryEntity.Command> d) {
        var probe = testKit.<DeliveryState>createTestProbe();
        d.tell(new DeliveryEntity.Get(probe.ref()));
        return probe.receiveMessage();
    }

    private void schedule(ActorRef<DeliveryEntity.Command> d, Offer o) {
        var probe = testKit.<Done>createTestProbe();
        d.tell(new DeliveryEntity.Schedule("person", null, o, 10, probe.ref()));
        probe.expectMessage(Done.getInstance());
    }

    /** The shopper was told the result once, delivered or not. */
    private void assertReportedOnce(boolean delivered) {
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.delivered())
                .isEqualTo(delivered));
    }

    private DeliveryState awaitFinal(ActorRef<DeliveryEntity.Command> d) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state(d).reported());
        return state(d);
    }

    @Test
    void aConsentingShopperGetsOneMessageWithTheOfferIdAsKeyAndTheResultIsReported() {
        var now = Instant.parse("2026-11-23T04:00:00Z"); // 12:00 in Shanghai
        var o = offer("o-sent", now);
        var d = deliveryTo(profile("Asia/Shanghai", true), o, new ManualClock(now));
        schedule(d, o);
        schedule(d, o); // a replayed projection envelope
        var s = awaitFinal(d);
        assertThat(s.status()).isEqualTo(Status.SENT);
        assertThat(receiver.byKey).containsOnlyKeys("o-sent");
        assertThat(receiver.byKey.get("o-sent").get()).isEqualTo(1);
        var body = new String(receiver.received.get(0).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).contains("5.00 EUR off.", "CPN-o-sent", "2026-11-30 12:00 CST");
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.offerId()).isEqualTo("o-sent");
            assertThat(r.delivered()).isTrue();
            assertThat(r.channel()).isEqualTo("webhook");
            assertThat(r.messageCost())
                    .isEqualByComparingTo(SETTINGS.channels().get("webhook").cost());
        });
    }

    @Test
    void aDeliveryNamedByPseudonymReachesItsShopperThroughTheKeyStoreAndAnErasedPersonIsSentNothing() throws Exception {
        var keys = new MemoryPersonKeys(Seals.create(testKit.system()));
        // each created by this first lookup
        var ann = ((Created) keys.resolve("email:ann@shop.example")
                        .toCompletableFuture()
                        .get())
                .person();
        var bob = ((Created) keys.resolve("bob").toCompletableFuture().get()).person();
        keys.erase(bob.pseudonym(), List.of("bob"), "admin-key", NOON)
                .toCompletableFuture()
                .get();
        var asked = new CopyOnWriteArrayList<String>();
        var counted = new CopyOnWriteArrayList<String>();
        var sent = offer("o-ann", NOON);
        var gone = offer("o-bob", NOON);
        var shopper = testKit.spawn(shopper(profile("UTC", true), List.of(sent, gone)));
        var env = env(
                Map.of("webhook", webhook),
                id -> {
                    asked.add(id);
                    return shopper;
                },
                id -> {
                    counted.add(id);
                    return cap;
                },
                keys,
                new ManualClock(NOON));
        var toAnn = testKit.spawn(DeliveryEntity.create("o-ann", env));
        var toBob = testKit.spawn(DeliveryEntity.create("o-bob", env));
        var probe = testKit.<Done>createTestProbe();
        toAnn.tell(new DeliveryEntity.Schedule(null, ann.pseudonym(), sent, 10, probe.ref()));
        toBob.tell(new DeliveryEntity.Schedule(null, bob.pseudonym(), gone, 10, probe.ref()));
        probe.expectMessage(Done.getInstance());
        probe.expectMessage(Done.getInstance());

        var annState = awaitFinal(toAnn);
        assertThat(annState.status()).isEqualTo(Status.SENT);
        assertThat(annState.personId()).isNull();
        assertThat(annState.capKey()).isEqualTo(ann.pseudonym());
        var bobState = awaitFinal(toBob);
        assertThat(bobState.status()).isEqualTo(Status.ABANDONED);
        assertThat(bobState.reason()).isEqualTo("unknown-shopper");
        // the shopper is reached by its id, the cap by the pseudonym; the erased person by neither
        assertThat(asked).containsOnly("email:ann@shop.example");
        assertThat(counted).containsOnly(ann.pseudonym());
        assertThat(receiver.byKey).containsOnlyKeys("o-ann");
        assertReportedOnce(true);
    }

    @Test
    void withoutConsentNothingIsSentAndTheFailureIsReported() {
        var o = offer("o-noconsent", NOON);
        var d = deliveryTo(profile("UTC", false), o, new ManualClock(NOON));
        schedule(d, o);
        var s = awaitFinal(d);
        assertThat(s.status()).isEqualTo(Status.ABANDONED);
        assertThat(s.reason()).isEqualTo("no-consent");
        assertThat(receiver.received).isEmpty();
        assertReportedOnce(false);
    }

    @Test
    void aNodeWithoutChannelsRecordsThatItHasNone() {
        var o = offer("o-nochannel", NOON);
        var d = delivery(
                "o-nochannel",
                testKit.spawn(shopper(profile("UTC", true), List.of(o))),
                new ManualClock(NOON),
                Map.of());
        schedule(d, o);
        assertThat(awaitFinal(d).reason()).isEqualTo("no-channel");
        assertReportedOnce(false);
    }

    @Test
    void aResultTheShopperDidNotAcknowledgeIsReportedAgain() {
        var o = offer("o-report", NOON);
        var first = new java.util.concurrent.atomic.AtomicBoolean(true);
        var shopper = testKit.spawn(Behaviors.<ShopperCommand>receiveMessage(c -> {
            if (c instanceof ShopperCommand.GetShopper g) {
                g.replyTo()
                        .tell(new ShopperCommand.Found(new ShopperSummary(
                                "person",
                                profile("UTC", true),
                                new ShopperSummary.Lifecycle(LifecycleStage.ACTIVE, null, null),
                                new ShopperSummary.Rfm(null, 1, BigDecimal.TEN),
                                new ShopperSummary.Activity(
                                        Map.of(), List.of(), Map.of(), 1, null, HourHistogram.EMPTY, null),
                                List.of(),
                                List.of(o))));
            } else if (c instanceof ShopperCommand.RecordDelivery r) {
                reports.add(r);
                if (!first.getAndSet(false)) r.replyTo().tell(Done.getInstance()); // the first report is lost
            }
            return Behaviors.same();
        }));
        var d = delivery("o-report", shopper, new ManualClock(NOON));
        schedule(d, o);
        assertThat(awaitFinal(d).status()).isEqualTo(Status.SENT);
        assertThat(reports).hasSize(2).allSatisfy(r -> assertThat(r.delivered()).isTrue());
        assertThat(receiver.byKey.get("o-report").get()).isEqualTo(1);
    }

    @Test
    void quietHoursInTheShoppersZoneHoldTheMessageUntilTheyEnd() throws Exception {
        var clock = new ManualClock(java.time.LocalDateTime.parse("2026-11-23T23:30")
                .atZone(SHANGHAI)
                .toInstant());
        var o = offer("o-quiet", clock.instant());
        var d = deliveryTo(profile("Asia/Shanghai", true), o, clock);
        schedule(d, o);
        Thread.sleep(500); // the check runs; it must defer, not send
        assertThat(state(d).status()).isEqualTo(Status.PENDING);
        assertThat(receiver.received).isEmpty();
        clock.set(java.time.LocalDateTime.parse("2026-11-24T08:00")
                .atZone(SHANGHAI)
                .toInstant());
        d.tell(DeliveryEntity.Tick.INSTANCE); // what the timer does at 08:00
        assertThat(awaitFinal(d).status()).isEqualTo(Status.SENT);
        assertThat(receiver.byKey).containsOnlyKeys("o-quiet");
    }

    @Test
    void theMessageWaitsForTheShoppersActiveHourFromItsOwnState() throws Exception {
        var clock = new ManualClock(NOON);
        var o = offer("o-active", NOON);
        var evenings = HourHistogram.EMPTY;
        for (int day = 1; day <= SETTINGS.activeHourMinEvents(); day++)
            evenings = evenings.plus(NOON.minus(Duration.ofDays(day)).plus(Duration.ofHours(7)));
        var d = delivery(
                "o-active", testKit.spawn(shopper(profile("UTC", true), List.of(o), evenings.plus(NOON))), clock);
        schedule(d, o);
        Thread.sleep(500); // the check runs; 19:00 UTC is the shopper's hour, so it must defer
        assertThat(state(d).status()).isEqualTo(Status.PENDING);
        assertThat(receiver.received).isEmpty();
        clock.set(Instant.parse("2026-11-23T19:00:00Z"));
        d.tell(DeliveryEntity.Tick.INSTANCE); // what the timer does at 19:00
        assertThat(awaitFinal(d).status()).isEqualTo(Status.SENT);
        assertThat(receiver.byKey).containsOnlyKeys("o-active");
    }

    @Test
    void anOfferExpiringBeforeQuietHoursEndIsNotSent() {
        var now = java.time.LocalDateTime.parse("2026-11-23T23:30")
                .atZone(SHANGHAI)
                .toInstant();
        var o = offer("o-expiring", now.minus(Duration.ofDays(7)), now.plus(Duration.ofHours(2)));
        var d = deliveryTo(profile("Asia/Shanghai", true), o, new ManualClock(now));
        schedule(d, o);
        var s = awaitFinal(d);
        assertThat(s.reason()).isEqualTo("expired");
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void theContactCapHoldsAcrossOffersOfOnePerson() {
        var offers = List.of(offer("o-cap-1", NOON), offer("o-cap-2", NOON), offer("o-cap-3", NOON));
        var shopper = testKit.spawn(shopper(profile("UTC", true), offers));
        var clock = new ManualClock(NOON);
        var results = new java.util.ArrayList<DeliveryState>();
        for (var o : offers) {
            var d = delivery(o.offerId(), shopper, clock);
            schedule(d, o);
            results.add(awaitFinal(d));
        }
        assertThat(results)
                .extracting(DeliveryState::status)
                .containsExactly(Status.SENT, Status.SENT, Status.ABANDONED);
        assertThat(results.get(2).reason()).isEqualTo("capped");
        assertThat(receiver.byKey).containsOnlyKeys("o-cap-1", "o-cap-2");
    }

    @Test
    void anOfferNoLongerIssuedIsNotSent() {
        var o = offer("o-claimed", NOON);
        var d = delivery(
                "o-claimed",
                testKit.spawn(shopper(profile("UTC", true), List.of(o.claimed(NOON)))),
                new ManualClock(NOON));
        schedule(d, o);
        assertThat(awaitFinal(d).reason()).isEqualTo("not-live:claimed");
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void aPendingDeliveryResumesAfterARestartAndAFailingReceiverIsRetriedWithTheSameKey() throws Exception {
        var o = offer("o-restart", NOON);
        var shopper = testKit.spawn(shopper(profile("UTC", true), List.of(o)));
        receiver.status.set(503);
        var clock = new ManualClock(NOON);
        var d = delivery("o-restart", shopper, clock);
        schedule(d, o);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() >= 2);
        testKit.stop(d);
        receiver.status.set(200);
        var again = delivery("o-restart", shopper, clock); // recovers from the journal, pending: tries again
        var s = awaitFinal(again);
        assertThat(s.status()).isEqualTo(Status.SENT);
        assertThat(s.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(receiver.received)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("o-restart"));
        assertReportedOnce(true);
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.typesafe.config.ConfigFactory;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import io.kairos.shopper.ShopperState.Alias;
import io.kairos.testkit.EntityTestKit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShopperEntityTest {
    @RegisterExtension
    static final EntityTestKit kits = new EntityTestKit();

    private static final ActorTestKit testKit = kits.testKit();
    private static final ShopperSettings SETTINGS =
            ShopperSettings.fromConfig(ConfigFactory.load().getConfig("kairos.shopper"));
    private static final io.kairos.entity.EntitySettings ENTITY =
            io.kairos.entity.EntitySettings.fromConfig(ConfigFactory.load().getConfig("kairos.entities"), "shopper");
    private static final OfferServices NO_OFFERS = OfferServices.without(
            io.kairos.offer.OfferSettings.fromConfig(ConfigFactory.load().getConfig("kairos.offers")));
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final AtomicInteger ids = new AtomicInteger();

    private final TestProbe<ShopperCommand> others = testKit.createTestProbe();
    private EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit;

    @BeforeEach
    void setUp() {
        kit = kits.of(ShopperEntity.create("s-1", SETTINGS, ENTITY, id -> others.ref(), NO_OFFERS));
    }

    // ---- given / when / then ----

    private static BehaviourEvent event(EventType type, Instant at) {
        return BehaviourEvent.of("e-" + ids.incrementAndGet(), type, at);
    }

    private static BehaviourEvent order(String orderId, String amount, Instant at) {
        return event(EventType.ORDER, at).withOrder(orderId, new BigDecimal(amount));
    }

    private CommandResultWithReply<ShopperCommand, ShopperEvent, ShopperState, Recorded> record(
            Instant receivedAt, BehaviourEvent... events) {
        return kit.runCommand(r -> new RecordEvents(List.of(events), receivedAt, r));
    }

    private ShopperReply getReply(Instant now) {
        return kit.<ShopperReply>runCommand(r -> new GetShopper(now, r)).reply();
    }

    private ShopperSummary get(Instant now) {
        var reply = getReply(now);
        assertThat(reply).isInstanceOf(Found.class);
        return ((Found) reply).summary();
    }

    private Person person() {
        return (Person) kit.getState();
    }

    // ---- recording ----

    @Test
    void recordsEventsAndReportsThemAccepted() {
        var result = record(T0, event(EventType.VIEW, T0), event(EventType.ADD_TO_CART, T0));
        assertThat(result.reply()).isEqualTo(new Recorded("s-1", 2, 0));
        assertThat(result.events()).hasAtLeastOneElementOfType(PolicyAdopted.class);
        assertThat(result.events().stream().filter(e -> e instanceof BehaviourRecorded))
                .hasSize(2);
        assertThat(person().behaviour().eventCount()).isEqualTo(2);
        assertThat(person().lastEventAt()).isEqualTo(T0);
    }

    @Test
    void reSentEventIdsAreDuplicatesAndAreNotAppliedTwice() {
        var view = event(EventType.VIEW, T0);
        record(T0, view);
        var again = record(T0, view, view);
        assertThat(again.reply()).isEqualTo(new Recorded("s-1", 0, 2));
        assertThat(again.hasNoEvents()).isTrue();
        assertThat(person().behaviour().eventCount()).isEqualTo(1);
    }

    @Test
    void aDuplicateInsideOneBatchCountsOnce() {
        var view = event(EventType.VIEW, T0);
        var result = record(T0, view, view, event(EventType.CLICK, T0));
        assertThat(result.reply()).isEqualTo(new Recorded("s-1", 2, 1));
        assertThat(person().behaviour().eventCount()).isEqualTo(2);
    }

    @Test
    void scoresDecayWithTheConfiguredHalfLife() {
        record(
                T0,
                event(EventType.VIEW, T0).withCategory("shoes"),
                event(EventType.ADD_TO_CART, T0).withCategory("shoes"));
        var h = SETTINGS.recording().halfLife();
        var later = get(T0.plus(h));
        assertThat(later.activity().scores().get("view")).isCloseTo(0.5, within(1e-9));
        assertThat(later.activity().scores().get("add_to_cart")).isCloseTo(0.5, within(1e-9));
        // category weight view 1 + add_to_cart 3, halved after one half-life
        assertThat(later.activity().scores().get("category:shoes")).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void behaviourEventsAreCountedByUtcHourAndTheFullestHourIsTheActiveOne() {
        var evening = Instant.parse("2026-03-01T19:20:00Z");
        record(
                T0,
                event(EventType.VIEW, evening),
                event(EventType.CLICK, evening.plusSeconds(600)),
                event(EventType.SEARCH, evening.plus(java.time.Duration.ofDays(1))),
                event(EventType.APP_OPEN, T0));
        var hours = get(T0).activity().activeHours();
        assertThat(hours.counts()).containsOnly(entry(19, 3L), entry(10, 1L));
        assertThat(hours.peakUtcHour(4)).hasValue(19);
        assertThat(hours.peakUtcHour(5)).as("not enough events yet").isEmpty();
    }

    @Test
    void onlyEventsAProjectionReadsAreTaggedWhileThePersistenceIdSeesThemAll() throws Exception {
        record(
                T0,
                event(EventType.SEARCH, T0),
                event(EventType.VIEW, T0).withSku("sku-1", null),
                event(EventType.VIEW, T0),
                event(EventType.APP_OPEN, T0),
                event(EventType.ADD_TO_CART, T0).withSku("sku-2", null));
        var journal = akka.persistence.query.PersistenceQuery.get(testKit.system())
                .getReadJournalFor(
                        akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.class,
                        akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.Identifier());
        var all = journal.currentEventsByPersistenceId("Shopper|s-1", 0, Long.MAX_VALUE)
                .map(e -> e.event())
                .runWith(akka.stream.javadsl.Sink.seq(), testKit.system())
                .toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        var tagged = journal.currentEventsByTag(SETTINGS.tagFor("s-1"), akka.persistence.query.Offset.noOffset())
                .filter(e -> e.persistenceId().equals("Shopper|s-1"))
                .map(e -> e.event())
                .runWith(akka.stream.javadsl.Sink.seq(), testKit.system())
                .toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(all.stream().filter(e -> e instanceof BehaviourRecorded)).hasSize(5);
        assertThat(tagged.stream()
                        .filter(e -> e instanceof BehaviourRecorded)
                        .map(e -> ((BehaviourRecorded) e).event().sku()))
                .as("the behaviour events that carry a demand signal")
                .containsExactly("sku-1", "sku-2");
        assertThat(tagged)
                .as("every other event is tagged")
                .containsExactlyElementsOf(all.stream()
                        .filter(e ->
                                !(e instanceof BehaviourRecorded r) || r.event().sku() != null)
                        .toList());
    }

    // ---- lifecycle ----

    @Test
    void firstOrderMakesAShopperActiveAndASecondOneRepeat() {
        record(T0, event(EventType.VIEW, T0));
        assertThat(person().stage()).isEqualTo(LifecycleStage.NEW);
        var first = record(T0, order("o1", "20", T0.plusSeconds(60)));
        assertThat(first.events())
                .contains(new LifecycleChanged(
                        LifecycleStage.NEW, LifecycleStage.ACTIVE, "first order", T0.plusSeconds(60), T0));
        var second = record(T0, order("o2", "30", T0.plus(Duration.ofDays(10))));
        assertThat(second.events()).anyMatch(e -> e instanceof LifecycleChanged c && c.to() == LifecycleStage.REPEAT);
        var s = get(T0.plus(Duration.ofDays(11)));
        assertThat(s.lifecycle().stage()).isEqualTo(LifecycleStage.REPEAT);
        assertThat(s.rfm().frequency()).isEqualTo(2);
        assertThat(s.rfm().monetary()).isEqualByComparingTo("50");
        assertThat(s.rfm().recencyDays()).isEqualTo(1);
    }

    @Test
    void aRepeatBuyerWhoStopsBuyingBecomesDecliningThenDormantThenChurned() {
        record(T0, order("o1", "20", T0), order("o2", "20", T0.plus(Duration.ofDays(20))));
        assertThat(person().stage()).isEqualTo(LifecycleStage.REPEAT);
        // mean gap 20d, factor 2 → declining 40 days after the last order; a view keeps the shopper from being dormant
        var lastOrder = T0.plus(Duration.ofDays(20));
        var browsing =
                record(lastOrder.plus(Duration.ofDays(45)), event(EventType.VIEW, lastOrder.plus(Duration.ofDays(45))));
        assertThat(browsing.events())
                .anyMatch(e -> e instanceof LifecycleChanged c
                        && c.to() == LifecycleStage.DECLINING
                        && c.effectiveAt().equals(lastOrder.plus(Duration.ofDays(40))));
        var lastEvent = lastOrder.plus(Duration.ofDays(45));
        assertThat(get(lastEvent.plus(Duration.ofDays(91))).lifecycle().stage()).isEqualTo(LifecycleStage.DORMANT);
        // a read shows the stage as of then and persists nothing (the dormancy wake-up records it)
        assertThat(person().stage()).isEqualTo(LifecycleStage.DECLINING);
        assertThat(get(lastEvent.plus(Duration.ofDays(181))).lifecycle().stage())
                .isEqualTo(LifecycleStage.CHURNED);
    }

    @Test
    void aDormantShopperWhoOrdersAgainIsReactivated() {
        record(T0, order("o1", "20", T0));
        assertThat(get(T0.plus(Duration.ofDays(100))).lifecycle().stage()).isEqualTo(LifecycleStage.DORMANT);
        var back = T0.plus(Duration.ofDays(101));
        record(back, order("o2", "20", back));
        assertThat(person().stage()).isEqualTo(LifecycleStage.REPEAT);
    }

    @Test
    void aCancelledOnlyOrderTakesTheShopperBackToNew() {
        record(T0, order("o1", "20", T0));
        var cancel = event(EventType.CANCEL, T0.plusSeconds(3600)).withOrder("o1", new BigDecimal("20"));
        var result = record(T0.plusSeconds(3600), cancel);
        assertThat(result.events()).anyMatch(e -> e instanceof LifecycleChanged c && c.to() == LifecycleStage.NEW);
        assertThat(person().book().orders()).isZero();
    }

    // ---- recovery, profile ----

    @Test
    void recoveryRebuildsTheSameState() {
        record(T0, event(EventType.VIEW, T0).withCategory("toys"), order("o1", "99.90", T0.plusSeconds(5)));
        kit.<ShopperReply>runCommand(r -> new UpdateProfile(
                new Profile(
                        "f",
                        "25-34",
                        "north",
                        true,
                        T0,
                        "Europe/Berlin",
                        Map.of("source", "crm"),
                        Map.of("email", true),
                        List.of("vip"),
                        null),
                null,
                T0,
                r));
        var before = kit.getState();
        kit.restart();
        assertThat(kit.getState()).isEqualTo(before);
        assertThat(get(T0.plusSeconds(10)).activity().tags()).contains("vip", "buyer");
    }

    @Test
    void anUnknownShopperIsReportedAsSuch() {
        assertThat(kit.<ShopperReply>runCommand(r -> new GetShopper(T0, r)).reply())
                .isEqualTo(new Unknown("s-1"));
    }

    // ---- identity links ----

    @Test
    void linkingAnIdentityFoldsInItsHistory() {
        record(T0, order("o1", "10", T0));
        var replies = testKit.<LinkReply>createTestProbe();
        kit.runCommand(new LinkIdentity("phone:123", T0.plusSeconds(1), replies.ref()));
        var ask = others.expectMessageClass(BecomeAlias.class);
        assertThat(ask.ownerId()).isEqualTo("s-1");
        var other = (Person) Person.empty()
                .apply(new PolicyAdopted(SETTINGS.recording()))
                .apply(new BehaviourRecorded(order("o9", "15", T0.minus(Duration.ofDays(5))), T0, null));
        ask.replyTo().tell(new AliasAccepted(other.history()));
        var linked = replies.expectMessageClass(Linked.class);
        assertThat(linked.links()).containsExactly("phone:123");
        assertThat(person().book().orders()).isEqualTo(2);
        assertThat(person().behaviour().eventCount()).isEqualTo(2);
        assertThat(person().stage()).isEqualTo(LifecycleStage.REPEAT);
    }

    @Test
    void aShopperCannotBeLinkedToItself() {
        var reply =
                kit.<LinkReply>runCommand(r -> new LinkIdentity("s-1", T0, r)).reply();
        assertThat(reply).isInstanceOf(LinkRejected.class);
        assertThat(((LinkRejected) reply).reason()).isEqualTo(LinkRejection.SELF);
    }

    @Test
    void anAliasHandsOverItsHistoryAndForwardsEverythingToItsOwner() {
        record(T0, event(EventType.VIEW, T0));
        var accepted = kit.<AliasReply>runCommand(r -> new BecomeAlias("owner-1", T0, r));
        assertThat(accepted.reply()).isInstanceOf(AliasAccepted.class);
        assertThat(((AliasAccepted) accepted.reply()).history().behaviour().eventCount())
                .isEqualTo(1);
        assertThat(kit.getState()).isInstanceOf(Alias.class);

        TestProbe<Recorded> recorded = testKit.createTestProbe();
        kit.runCommand(new RecordEvents(List.of(event(EventType.VIEW, T0)), T0, recorded.ref()));
        var forwarded = (ForwardedEvents) others.receiveMessage();
        assertThat(forwarded.receivedAs()).isEqualTo("s-1");
        assertThat(forwarded.events().replyTo()).isEqualTo(recorded.ref());

        // a repeated request from the same owner is idempotent, another owner is refused
        assertThat(kit.<AliasReply>runCommand(r -> new BecomeAlias("owner-1", T0, r))
                        .reply())
                .isEqualTo(accepted.reply());
        var refused = kit.<AliasReply>runCommand(r -> new BecomeAlias("owner-2", T0, r))
                .reply();
        assertThat(((AliasRefused) refused).reason()).isEqualTo(LinkRejection.LINKED_ELSEWHERE);
        kit.restart();
        assertThat(kit.getState()).isInstanceOf(Alias.class);
    }
}

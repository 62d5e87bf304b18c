package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Sequence;
import akka.stream.javadsl.Source;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaigns;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferStatus;
import io.kairos.offer.Trigger;
import io.kairos.shopper.ShopperEvent.*;
import io.kairos.shopper.ShopperReplay.Timeline;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ShopperReplayTest {
    private static final ShopperSettings SHOPPER =
            ShopperSettings.fromConfig(ConfigFactory.load().getConfig("kairos.shopper"));
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final ShopperReplay replay = new ShopperReplay(SHOPPER, testKit.system());

    /** When things happened in the shop, and when the journal recorded them (a history import, 60 days later). */
    private static final Instant B = Instant.parse("2026-09-24T10:00:00Z");

    private static final Instant R = B.plus(Duration.ofDays(60));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyEventIsDatedByWhenWhatItRecordsHappenedAndAPolicyByWhenItWasRecorded() {
        var offer = new Offer(
                "of-1",
                "cp-1",
                "c1",
                Campaigns.amountOff("5"),
                OfferStatus.ISSUED,
                B,
                B.plus(Duration.ofDays(7)),
                "in_app",
                "d-1",
                new BigDecimal("5"),
                null,
                null,
                null);
        var decision = new DecisionRecord(2, "d-1", "s", "request", B, null, null, null, List.of(), null);
        var order = new OrderRecord(
                "o1",
                B,
                List.of(),
                List.of(),
                BigDecimal.TEN,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.TEN,
                null,
                List.of());
        var history = new History(Profile.EMPTY, Set.of(), null, OrderBook.EMPTY, null);
        List<ShopperEvent> dated = List.of(
                new BehaviourRecorded(BehaviourEvent.of("e1", EventType.VIEW, B), R, null),
                new LifecycleChanged(LifecycleStage.NEW, LifecycleStage.ACTIVE, "first order", B, R),
                new ProfileUpdated(Profile.EMPTY, B),
                new IdentityLinked("device:1", history, B),
                new BecameAlias("owner", history, B),
                new OfferIssued(offer, decision, B.plus(Duration.ofDays(14))),
                new HoldoutAssigned("c1", decision, B.plus(Duration.ofDays(14))),
                new ShopperEvent.NoOfferDecided(decision, ShopperEvent.NoOfferDecided.NO_OFFER),
                new OfferClaimed("of-1", "c1", "d-1", B),
                new OfferRevoked("of-1", "campaign ended", B),
                new OfferDelivered("of-1", "c1", "d-1", "email", BigDecimal.ZERO, B),
                new DeliveryFailed("of-1", "c1", "d-1", "sms", "bounced", B),
                new OfferOpened("of-1", "c1", "d-1", "email", "message_open", B),
                new OrderPlaced(order),
                new OrderCancelled("o1", B, List.of()),
                new OrderRefunded(
                        "o1",
                        new io.kairos.offer.OrderRefund(
                                "r1", B, java.util.Map.of(), BigDecimal.ONE, java.util.Map.of(), List.of(), false),
                        List.of()),
                new IdentityUnlinked("device:1", B),
                new AliasReleased("owner", B),
                new OutcomeRecorded("d-1", "c1", false, "o1", BigDecimal.TEN, B),
                new DecideAnswered("key-1", "d-1", B),
                new TriggerScheduled(new Trigger(ShopperRules.CART, R, B, null)),
                new TriggerFired(ShopperRules.CART, B, "no offer"));
        var policy = new PolicyAdopted(SHOPPER.recording());

        assertThat(dated).allSatisfy(e -> assertThat(ShopperReplay.businessTime(e, R))
                .as(e.getClass().getSimpleName())
                .isEqualTo(B));
        assertThat(ShopperReplay.businessTime(policy, R)).isEqualTo(R);
        assertThat(ShopperReplay.businessTime(
                        new BehaviourRecorded(BehaviourEvent.of("e2", EventType.VIEW, null), R, null), R))
                .isEqualTo(R);
        // A new kind of event fails here until it is given its business time above.
        var covered =
                new ArrayList<Class<?>>(dated.stream().map(Object::getClass).collect(Collectors.toList()));
        covered.add(PolicyAdopted.class);
        assertThat(covered).containsExactlyInAnyOrder(ShopperEvent.class.getPermittedSubclasses());
    }

    @Test
    void anImportedHistoryIsThereAsOfItsDatesByBusinessTimeAndOnlyFromItsLoadByRecordedTime() throws Exception {
        var journal = journal(
                new PolicyAdopted(SHOPPER.recording()),
                new BehaviourRecorded(BehaviourEvent.of("e1", EventType.VIEW, B), R, null),
                new BehaviourRecorded(BehaviourEvent.of("e2", EventType.VIEW, B.plus(Duration.ofDays(40))), R, null));

        var midway = asOf(journal, B.plus(Duration.ofDays(30)), Timeline.BUSINESS);
        assertThat(midway.sequenceNr()).isEqualTo(2);
        assertThat(midway.person().activity().eventCount()).isEqualTo(1);
        assertThat(asOf(journal, B.plus(Duration.ofDays(50)), Timeline.BUSINESS)
                        .person()
                        .activity()
                        .eventCount())
                .isEqualTo(2);
        assertThat(asOf(journal, B.plus(Duration.ofDays(30)), Timeline.RECORDED).existed())
                .isFalse();
        assertThat(asOf(journal, R, Timeline.RECORDED).person().activity().eventCount())
                .isEqualTo(2);
    }

    @Test
    void aPolicyAloneDoesNotMakeTheShopperExist() throws Exception {
        var journal = journal(
                new PolicyAdopted(SHOPPER.recording()),
                new BehaviourRecorded(BehaviourEvent.of("e1", EventType.VIEW, B), R, null));
        assertThat(asOf(journal, B.minusSeconds(1), Timeline.BUSINESS).existed())
                .isFalse();
    }

    @Test
    void eventsDatedOutOfOrderAreAppliedInJournalOrder() throws Exception {
        var late = B.plus(Duration.ofDays(10));
        var journal = journal(
                new PolicyAdopted(SHOPPER.recording()),
                new BehaviourRecorded(BehaviourEvent.of("e1", EventType.VIEW, late), R, null),
                new BehaviourRecorded(BehaviourEvent.of("e2", EventType.VIEW, B), R, null));
        var r = asOf(journal, late, Timeline.BUSINESS);
        assertThat(r.sequenceNr()).isEqualTo(3);
        // The entity keeps the latest event time whatever the order; applying in journal order does the same.
        assertThat(r.person().activity().lastEventAt()).isEqualTo(late);
        assertThat(r.person().activity().eventCount()).isEqualTo(2);
    }

    /** A journal recorded at {@link #R}, one event per sequence number from 1. */
    private static List<EventEnvelope> journal(ShopperEvent... events) {
        var pid = ShopperReplay.persistenceId("s");
        var envelopes = new ArrayList<EventEnvelope>();
        for (int i = 0; i < events.length; i++) {
            envelopes.add(EventEnvelope.apply(new Sequence(i + 1), pid, i + 1, events[i], R.toEpochMilli()));
        }
        return envelopes;
    }

    private static ShopperReplay.AsOf asOf(List<EventEnvelope> journal, Instant at, Timeline timeline)
            throws Exception {
        return replay.asOf("s", Source.from(journal), at, timeline)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}

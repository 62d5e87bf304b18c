package io.kairos.pricing.demand;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.persistence.query.Offset;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.testkit.javadsl.ProjectionTestKit;
import akka.projection.testkit.javadsl.TestProjection;
import akka.projection.testkit.javadsl.TestSourceProvider;
import akka.stream.javadsl.Source;
import com.typesafe.config.ConfigFactory;
import io.kairos.offer.Checkout;
import io.kairos.offer.OfferBook;
import io.kairos.pricing.DemandPriors;
import io.kairos.pricing.Fixtures;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuCommand.DemandAck;
import io.kairos.pricing.SkuCommand.RecordDemand;
import io.kairos.pricing.SkuCommand.SkuStatus;
import io.kairos.pricing.SkuConfig.Policy;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.shopper.ShopperEvent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The demand handler under the projection test kit, against real SKU entities (in-memory journal): shopper events
 * become views, add-to-carts and order lines of the SKUs they name, grouped per SKU; SKUs that are not priced are never
 * asked; a redelivered group is not counted twice; and a group's stage completes only once every SKU has acknowledged,
 * and fails when one does not answer (so its offset is not committed).
 */
class DemandHandlerTest {

    private static final ActorTestKit testKit =
            ActorTestKit.create(ConfigFactory.parseString("akka.persistence.testkit.events.serialize = on")
                    .withFallback(PersistenceTestKitPlugin.getInstance().config())
                    .withFallback(PersistenceTestKitSnapshotPlugin.config())
                    .withFallback(ConfigFactory.load()));
    private static final Instant T1 = Fixtures.T0.plus(Duration.ofMinutes(10));

    private final Map<String, ActorRef<SkuCommand>> entities = new ConcurrentHashMap<>();
    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private ActorRef<SkuCommand> entity(String sku) {
        return entities.computeIfAbsent(
                sku,
                k -> testKit.spawn(SkuPricingEntity.create(
                        k,
                        "sku-0",
                        new SkuPricingEntity.Env(
                                Fixtures.settings(),
                                Clock.systemUTC(),
                                DemandPriors.constant(Fixtures.ELASTIC_PRIOR),
                                q -> {},
                                Optional.empty()))));
    }

    private Function<String, RecipientRef<SkuCommand>> skus() {
        return sku -> {
            asked.add(sku);
            return entity(sku);
        };
    }

    private void configure(String sku) {
        var reply = testKit.<SkuCommand.ConfigureReply>createTestProbe();
        entity(sku).tell(new SkuCommand.Configure(Fixtures.config(Policy.FIXED), Fixtures.T0, "ops-1", reply.getRef()));
        assertThat((reply.receiveMessage() instanceof SkuCommand.ConfigAccepted))
                .isTrue();
    }

    private SkuStatus status(String sku) {
        var reply = testKit.<SkuStatus>createTestProbe();
        entity(sku).tell(new SkuCommand.GetSku(reply.getRef()));
        return reply.receiveMessage();
    }

    private static EventEnvelope<ShopperEvent> recorded(
            String shopper, long seqNr, EventType type, String sku, Integer quantity) {
        var event = BehaviourEvent.of(shopper + "-e" + seqNr, type, T1.plusSeconds(seqNr))
                .withSku(sku, quantity);
        if (type == EventType.ORDER) event = event.withOrder("o-" + seqNr, new BigDecimal("10.00"));
        return EventEnvelope.create(
                Offset.sequence(seqNr),
                "Shopper|" + shopper,
                seqNr,
                new ShopperEvent.BehaviourRecorded(event, T1, null),
                0L);
    }

    private static EventEnvelope<ShopperEvent> other(String shopper, long seqNr) {
        return EventEnvelope.create(
                Offset.sequence(seqNr), "Shopper|" + shopper, seqNr, new ShopperEvent.ProfileUpdated(null, T1), 0L);
    }

    private void runGroups(
            String projectionKey,
            DemandHandler handler,
            List<List<EventEnvelope<ShopperEvent>>> groups,
            Runnable assertions) {
        var source = TestSourceProvider.<Offset, List<EventEnvelope<ShopperEvent>>>create(
                Source.from(groups), group -> group.get(group.size() - 1).offset());
        var projection =
                TestProjection.create(ProjectionId.of(DemandProjection.NAME, projectionKey), source, () -> handler);
        ProjectionTestKit.create(testKit.system()).run(projection, Duration.ofSeconds(10), assertions::run);
    }

    @Test
    void shopperEventsBecomeDemandOfThePricedSkusTheyName() {
        configure("tea");
        configure("coffee");
        var handler = new DemandHandler(
                skus(),
                Set.of("tea", "coffee")::contains,
                Duration.ofSeconds(5),
                testKit.system().scheduler());
        var group1 = List.of(
                recorded("ann", 1, EventType.VIEW, "tea", null),
                recorded("ann", 2, EventType.VIEW, "tea", null),
                recorded("ann", 3, EventType.ADD_TO_CART, "tea", 3),
                recorded("ann", 4, EventType.ORDER, "tea", 3),
                recorded("ann", 5, EventType.VIEW, "not-priced", null),
                recorded("ann", 6, EventType.CLICK, "tea", null),
                other("ann", 7));
        var group2 = List.of(
                recorded("bob", 1, EventType.VIEW, "coffee", null),
                recorded("bob", 2, EventType.ORDER, "coffee", null),
                recorded("bob", 3, EventType.VIEW, null, null),
                // the same client event id as ann's first view, from another shopper: a different observation
                recorded("bob", 4, EventType.VIEW, "tea", null));

        // group1 is redelivered after group2, as after a crash between the acknowledgements and the offset write
        runGroups("shopper-0", handler, List.of(group1, group2, group1), () -> {
            var tea = status("tea");
            assertThat(tea.views()).isEqualTo(3);
            assertThat(tea.units()).isEqualTo(3);
            var coffee = status("coffee");
            assertThat(coffee.views()).isEqualTo(1);
            assertThat(coffee.units()).isEqualTo(1);
        });
        assertThat(asked).containsExactlyInAnyOrder("tea", "coffee");
    }

    private static EventEnvelope<ShopperEvent> placed(String shopper, long seqNr, boolean recordedBefore) {
        var lines = List.of(
                new Checkout.PricedLine("green-tea", 2, null, new BigDecimal("5.00"), null),
                new Checkout.PricedLine("espresso", 1, null, new BigDecimal("9.00"), null));
        var order = new OfferBook.OrderRecord(
                "api-" + seqNr,
                T1,
                lines,
                List.of(),
                new BigDecimal("19.00"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                new BigDecimal("19.00"),
                null,
                List.of());
        return EventEnvelope.create(
                Offset.sequence(seqNr),
                "Shopper|" + shopper,
                seqNr,
                new ShopperEvent.OrderPlaced(order, recordedBefore),
                0L);
    }

    @Test
    void ordersPlacedThroughTheApiCountOnceAsDemand() {
        configure("green-tea");
        configure("espresso");
        var handler = new DemandHandler(
                skus(),
                Set.of("green-tea", "espresso")::contains,
                Duration.ofSeconds(5),
                testKit.system().scheduler());
        var orderEvent = recorded("dee", 3, EventType.ORDER, "green-tea", 4);
        var dup = (ShopperEvent.BehaviourRecorded) orderEvent.event();
        var sentAfterTheApiOrder = EventEnvelope.<ShopperEvent>create(
                Offset.sequence(3),
                "Shopper|dee",
                3,
                new ShopperEvent.BehaviourRecorded(dup.event(), T1, null, true),
                0L);
        var group = List.of(
                placed("dee", 1, false),
                // the same order as order events first: counted there, not again here
                placed("dee", 2, true),
                sentAfterTheApiOrder);

        runGroups("shopper-1", handler, List.of(group, group), () -> {
            assertThat(status("green-tea").units()).isEqualTo(2);
            assertThat(status("espresso").units()).isEqualTo(1);
        });
    }

    @Test
    void aGroupCompletesOnlyWhenEverySkuHasAcknowledged() throws Exception {
        var teaProbe = testKit.<SkuCommand>createTestProbe();
        var coffeeProbe = testKit.<SkuCommand>createTestProbe();
        Function<String, RecipientRef<SkuCommand>> refs =
                sku -> sku.equals("tea") ? teaProbe.getRef() : coffeeProbe.getRef();
        var handler = new DemandHandler(
                refs, sku -> true, Duration.ofSeconds(5), testKit.system().scheduler());

        var done = handler.process(List.of(
                        recorded("cy", 1, EventType.VIEW, "tea", null),
                        recorded("cy", 2, EventType.VIEW, "coffee", null),
                        recorded("cy", 3, EventType.ORDER, "tea", 2)))
                .toCompletableFuture();

        var tea = teaProbe.expectMessageClass(RecordDemand.class);
        assertThat(tea.observations()).extracting(o -> o.eventId()).containsExactly("Shopper|cy#1", "Shopper|cy#3");
        assertThat(tea.observations().get(1).units()).isEqualTo(2);
        tea.replyTo().tell(new DemandAck(2, 0, 0, 0));
        var coffee = coffeeProbe.expectMessageClass(RecordDemand.class);
        teaProbe.expectNoMessage(Duration.ofMillis(200));
        assertThat(done).isNotDone();

        coffee.replyTo().tell(new DemandAck(1, 0, 0, 0));
        done.get();
    }

    @Test
    void aSkuThatDoesNotAnswerFailsTheGroup() {
        var silent = testKit.<SkuCommand>createTestProbe();
        var handler = new DemandHandler(
                sku -> silent.getRef(),
                sku -> true,
                Duration.ofMillis(300),
                testKit.system().scheduler());

        var done = handler.process(new ArrayList<>(List.of(recorded("dee", 1, EventType.VIEW, "tea", null))))
                .toCompletableFuture();

        silent.expectMessageClass(RecordDemand.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(done::get)).isInstanceOf(ExecutionException.class);
    }
}

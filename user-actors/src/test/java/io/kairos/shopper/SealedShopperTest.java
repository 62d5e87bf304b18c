package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import io.kairos.entity.EntitySettings;
import io.kairos.offer.PriceList;
import io.kairos.offer.PriceLookup;
import io.kairos.order.OrderEntity;
import io.kairos.privacy.MemoryPersonKeys;
import io.kairos.privacy.PersonKeys.Created;
import io.kairos.privacy.PersonKeys.Erased;
import io.kairos.privacy.PersonKeys.Pseudonymous;
import io.kairos.privacy.PersonKeys.Unknown;
import io.kairos.privacy.Sealed;
import io.kairos.privacy.Seals;
import io.kairos.shopper.ShopperCommand.OrderAccepted;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.OrderReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Shoppers as a node runs them, with crypto-shredding (the key store in memory, the journal the test kit's): a
 * shopper's journal is named by its pseudonym and holds only sealed events; the shopper comes back from it after a
 * stop; erasing it through one of its identities erases the person and the identity, and then nothing is recorded and
 * nobody is found. A read of a shopper never seen creates nothing. An order is bound to its person's pseudonym, never
 * to the shopper id, and finds nobody once the person is erased.
 */
class SealedShopperTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final PriceLookup PRICES = sku -> Optional.of(
            new PriceLookup.SkuPrice(new BigDecimal("20.00"), new BigDecimal("8.00"), new BigDecimal("9.00")));

    private static final ActorTestKit testKit = ShopperShards.testKit("sealed", "");
    // one region per test kit: every test's shoppers share it and its key store
    private static final MemoryPersonKeys keys = new MemoryPersonKeys(Seals.create(testKit.system()));
    private static final ClusterSharding sharding = ShopperShards.start(testKit.system(), keys);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void aPseudonymIsCreatedOnceAndTheShopperOfAJustCreatedOneAsksNoSnapshot() throws Exception {
        var first = keys.resolve("new-subject").toCompletableFuture().get();
        assertThat(first).isInstanceOf(Created.class);
        var person = ((Created) first).person();
        assertThat(keys.resolve("new-subject").toCompletableFuture().get()).isEqualTo(person);
        assertThat(keys.find("new-subject").toCompletableFuture().get()).isEqualTo(person);

        var config = testKit.system().settings().config();
        var type = new ShopperType(
                ShopperSettings.fromConfig(config.getConfig("kairos.shopper")),
                EntitySettings.create(testKit.system(), "shopper"),
                id -> null,
                OfferServices.without(io.kairos.offer.OfferSettings.fromConfig(config.getConfig("kairos.offers"))),
                keys);
        assertThat(ShopperEntity.sealed("new-subject", type, person, true)
                        .recovery()
                        .toClassic()
                        .fromSnapshot())
                .isEqualTo(akka.persistence.SnapshotSelectionCriteria.None());
        assertThat(ShopperEntity.sealed("new-subject", type, person, true)
                        .recovery()
                        .toClassic()
                        .toSequenceNr())
                .as("its events, if any, still replayed")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(ShopperEntity.sealed("new-subject", type, person, false)
                        .recovery()
                        .toClassic()
                        .fromSnapshot())
                .isEqualTo(akka.persistence.SnapshotSelectionCriteria.Latest());
    }

    @Test
    void aShopperIsJournalledSealedUnderItsPseudonymComesBackAndIsErasedWithItsIdentities() throws Exception {
        var system = testKit.system();
        var ann = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "ann");
        var profile = new Profile(
                null, null, null, null, null, null, Map.of("name", "Ann Sealed"), Map.of(), List.of(), null);
        ann.<ShopperCommand.ShopperReply>ask(r -> new ShopperCommand.UpdateProfile(profile, null, NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        var linked = ann.<ShopperCommand.LinkReply>ask(
                        r -> new ShopperCommand.LinkIdentity("email:ann@shop.example", NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(linked).isInstanceOf(ShopperCommand.Linked.class);

        var journals = PersistenceTestKit.create(system);
        var person = (Pseudonymous) keys.find("ann").toCompletableFuture().get();
        assertThat(journals.persistedInStorage("Shopper|ann")).isEmpty();
        assertThat(journals.persistedInStorage("Shopper|" + person.pseudonym()))
                .isNotEmpty()
                .allMatch(e -> e instanceof Sealed);

        // stopped, it recovers what it had from the sealed journal
        ann.tell(new ShopperCommand.Passivate());
        Thread.sleep(300);
        assertThat(get(ann)).isInstanceOfSatisfying(ShopperCommand.Found.class, found -> assertThat(
                        found.summary().profile().attributes())
                .containsEntry("name", "Ann Sealed"));

        var alias = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "email:ann@shop.example");
        var erased = alias.<ShopperCommand.ErasureReply>ask(
                        r -> new ShopperCommand.EraseShopper("admin-key-1", NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);

        assertThat(erased).isEqualTo(new ShopperCommand.ShopperErased("ann", 1));
        assertThat(keys.find("ann").toCompletableFuture().get()).isInstanceOf(Erased.class);
        assertThat(keys.find("email:ann@shop.example").toCompletableFuture().get())
                .isInstanceOf(Erased.class);
        assertThat(keys.secretOf(person.pseudonym()).toCompletableFuture().get())
                .isEmpty();
        Thread.sleep(300);
        assertThat(get(ann)).isEqualTo(new ShopperCommand.Unknown("ann"));
        assertThat(get(alias)).isEqualTo(new ShopperCommand.Unknown("email:ann@shop.example"));
        var event = BehaviourEvent.of("after", EventType.VIEW, NOW);
        var refused = ann.<ShopperCommand.Recorded>ask(
                        r -> new ShopperCommand.RecordEvents(List.of(event), NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(refused).isEqualTo(new ShopperCommand.Recorded("ann", 0, 0, 1));
        // every other command is answered too, recording nothing: a decision as for a guest, a claim not found
        assertThat(ann.<ShopperCommand.DecideReply>ask(r -> new ShopperCommand.DecideOffers(null, NOW, r), TIMEOUT)
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS))
                .isEqualTo(new ShopperCommand.Decided("ann", null, List.of(), true));
        assertThat(ann.<ShopperCommand.ClaimReply>ask(r -> new ShopperCommand.ClaimCoupon("C0UPON", NOW, r), TIMEOUT)
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(ShopperCommand.ClaimRejected.class, c -> assertThat(c.reason())
                        .isEqualTo(ShopperCommand.ClaimRejection.NOT_FOUND));
        assertThat(journals.persistedInStorage("Shopper|ann")).isEmpty();
    }

    @Test
    void readsOfAShopperNeverSeenCreateNoPseudonymAndItsFirstEventDoes() throws Exception {
        var system = testKit.system();
        var bob = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "bob-never-seen");

        assertThat(get(bob)).isEqualTo(new ShopperCommand.Unknown("bob-never-seen"));
        assertThat(bob.<ShopperCommand.OffersReply>ask(r -> new ShopperCommand.GetOffers(NOW, r), TIMEOUT)
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS))
                .isEqualTo(new ShopperCommand.OffersUnknown("bob-never-seen"));
        assertThat(bob.<ShopperCommand.OrderReply>ask(r -> new ShopperCommand.GetOrder("o-1", r), TIMEOUT)
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(ShopperCommand.OrderRejected.class, o -> assertThat(o.reason())
                        .isEqualTo(ShopperCommand.OrderRejection.NOT_FOUND));
        assertThat(keys.find("bob-never-seen").toCompletableFuture().get()).isInstanceOf(Unknown.class);

        var event = BehaviourEvent.of("first", EventType.VIEW, NOW);
        var recorded = bob.<ShopperCommand.Recorded>ask(
                        r -> new ShopperCommand.RecordEvents(List.of(event), NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(recorded.accepted()).isEqualTo(1);
        var person =
                (Pseudonymous) keys.find("bob-never-seen").toCompletableFuture().get();
        assertThat(PersistenceTestKit.create(system).persistedInStorage("Shopper|" + person.pseudonym()))
                .isNotEmpty()
                .allMatch(e -> e instanceof Sealed);
        assertThat(get(bob)).isInstanceOf(ShopperCommand.Found.class);
    }

    @Test
    void anOrderIsBoundToItsPersonsPseudonymAndFindsNobodyOnceThePersonIsErased() throws Exception {
        Function<String, akka.actor.typed.RecipientRef<ShopperCommand>> shoppers =
                id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
        var order = testKit.spawn(OrderEntity.create(
                "o-cat-1", EntitySettings.create(testKit.system(), "order"), shoppers, keys, TIMEOUT));

        assertThat(place(order, "cat")).isInstanceOf(OrderAccepted.class);
        var cat = (Pseudonymous) keys.find("cat").toCompletableFuture().get();
        assertThat(PersistenceTestKit.create(testKit.system()).persistedInStorage("Order|o-cat-1"))
                .containsExactly(new OrderEntity.OrderBound(null, NOW, cat.pseudonym()));

        // the same person through a linked identity owns it too; another shopper does not
        var linked = sharding.entityRefFor(ShopperEntity.ENTITY_KEY, "cat")
                .<ShopperCommand.LinkReply>ask(
                        r -> new ShopperCommand.LinkIdentity("email:cat@shop.example", NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(linked).isInstanceOf(ShopperCommand.Linked.class);
        assertThat(place(order, "email:cat@shop.example"))
                .isInstanceOfSatisfying(
                        OrderAccepted.class, a -> assertThat(a.repeated()).isTrue());
        assertThat(place(order, "dog")).isInstanceOfSatisfying(OrderRejected.class, r -> assertThat(r.reason())
                .isEqualTo(OrderRejection.OTHER_SHOPPER));
        assertThat(get(order)).isInstanceOf(OrderAccepted.class);

        keys.erase(cat.pseudonym(), List.of("cat", "email:cat@shop.example"), "admin-key", NOW)
                .toCompletableFuture()
                .get();
        assertThat(get(order)).isInstanceOfSatisfying(OrderRejected.class, r -> assertThat(r.reason())
                .isEqualTo(OrderRejection.NOT_FOUND));
    }

    private static OrderReply place(ActorRef<OrderEntity.Command> order, String shopperId) throws Exception {
        return AskPattern.<OrderEntity.Command, OrderReply>ask(
                        order,
                        r -> new OrderEntity.Place(
                                shopperId,
                                List.of(new ShopperCommand.CartItem("tea-2", 1, "tea")),
                                List.of(),
                                BigDecimal.ZERO,
                                PriceList.of(List.of("tea-2"), PRICES),
                                NOW,
                                r),
                        TIMEOUT,
                        testKit.system().scheduler())
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    private static OrderReply get(ActorRef<OrderEntity.Command> order) throws Exception {
        return AskPattern.<OrderEntity.Command, OrderReply>ask(
                        order, OrderEntity.Get::new, TIMEOUT, testKit.system().scheduler())
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    private static ShopperCommand.ShopperReply get(EntityRef<ShopperCommand> shopper) throws Exception {
        return shopper.<ShopperCommand.ShopperReply>ask(r -> new ShopperCommand.GetShopper(NOW, r), TIMEOUT)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }
}

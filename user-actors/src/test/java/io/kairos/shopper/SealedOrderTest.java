package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import io.kairos.entity.EntitySettings;
import io.kairos.offer.PriceList;
import io.kairos.offer.PriceLookup;
import io.kairos.order.OrderEntity;
import io.kairos.privacy.MemoryPersonKeys;
import io.kairos.privacy.PersonKeys.Pseudonymous;
import io.kairos.privacy.Seals;
import io.kairos.shopper.ShopperCommand.OrderAccepted;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.OrderReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Orders of sealed shoppers (the key store in memory, the test kit's journal): the order journal binds the order to the
 * person's pseudonym, never to the shopper id; the same person through an identity is the same owner, another shopper
 * is not; once the person is erased the order finds nobody.
 */
class SealedOrderTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final PriceLookup PRICES = sku -> Optional.of(
            new PriceLookup.SkuPrice(new BigDecimal("20.00"), new BigDecimal("8.00"), new BigDecimal("9.00")));

    private static final ActorTestKit testKit = ShopperShards.testKit("sealed-orders", "");
    private static final MemoryPersonKeys keys = new MemoryPersonKeys(Seals.create(testKit.system()));
    private static final ClusterSharding sharding = ShopperShards.start(testKit.system(), keys);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
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
}

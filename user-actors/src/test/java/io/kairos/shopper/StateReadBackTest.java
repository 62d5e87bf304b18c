package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import io.kairos.offer.OfferSettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A shopper woken from its snapshot holds once what is equal across shoppers or within its own state, as a shopper
 * built from its events does (issue 21): read back twice, two states share the recording policy and the trigger kinds,
 * an order's time is the instance its line holds, and an unrefunded line holds the shared zero.
 */
class StateReadBackTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final ShopperSettings SHOPPER =
            ShopperSettings.fromConfig(ConfigFactory.load().getConfig("kairos.shopper"));
    private static final ShopperRules rules = new ShopperRules(
            SHOPPER, OfferSettings.fromConfig(ConfigFactory.load().getConfig("kairos.offers")));
    private static final Instant T = Instant.parse("2026-11-10T12:00:00Z");

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static Person person() {
        var events = List.of(
                BehaviourEvent.of("e1", EventType.VIEW, T).withSku("sku-1", null),
                BehaviourEvent.of("e2", EventType.ORDER, T.plusSeconds(60)).withOrder("o-1", new BigDecimal("20.50")),
                BehaviourEvent.of("e3", EventType.ORDER, T.plusSeconds(3600)).withOrder("o-2", new BigDecimal("9.90")));
        ShopperState s = Person.empty();
        for (var e : rules.record(Person.empty(), events, T.plusSeconds(7200), null, Optional.empty())
                .events()) s = s.apply(e);
        return (Person) s;
    }

    private static Person readBack(Person p) {
        var serialization = SerializationExtension.get(kit.system().classicSystem());
        var serializer = serialization.findSerializerFor(p);
        var manifest = Serializers.manifestFor(serializer, p);
        byte[] bytes = serialization.serialize(p).get();
        return (Person) serialization
                .deserialize(bytes, serializer.identifier(), manifest)
                .get();
    }

    @Test
    void aStateReadBackSharesWhatRepeatsInsteadOfHoldingCopies() {
        var person = person();
        var a = readBack(person);
        var b = readBack(person);

        assertThat(a).isEqualTo(person);
        assertThat(a.behaviour().policy())
                .isSameAs(b.behaviour().policy())
                .isSameAs(person.behaviour().policy());
        var trigger = a.offers().triggers().get(ShopperRules.DORMANCY);
        assertThat(trigger).isNotNull();
        assertThat(trigger.kind()).isSameAs(ShopperRules.DORMANCY);
        var lines = a.book().recent();
        assertThat(lines).hasSize(2);
        assertThat(a.book().firstOrderAt()).isSameAs(lines.get(0).at());
        assertThat(a.book().lastOrderAt()).isSameAs(lines.get(1).at());
        assertThat(lines).allSatisfy(l -> assertThat(l.refunded()).isSameAs(BigDecimal.ZERO));
    }
}

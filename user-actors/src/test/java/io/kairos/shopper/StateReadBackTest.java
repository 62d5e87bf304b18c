package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaigns;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.OfferStatus;
import java.math.BigDecimal;
import java.time.Duration;
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
        var p = (Person) s;
        var decisionId = "3f1c2d4e-5b6a-4c7d-8e9f-a0b1c2d3e4f5";
        var offer = new Offer(
                "of-" + decisionId,
                "cp-ABCDEFGHJKMN",
                "camp-1",
                Campaigns.amountOff("5"),
                OfferStatus.ISSUED,
                T,
                T.plus(Duration.ofDays(7)),
                "email",
                decisionId,
                new BigDecimal("5"),
                null,
                null,
                null);
        var offers = p.offers().issued(offer, decisionId, T.plus(Duration.ofDays(14)));
        return new Person(p.profile(), p.links(), p.behaviour(), p.book(), offers, p.lifecycle());
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
        assertThat(a.behaviour().recentSkus()).containsExactly("sku-1");
        assertThat(a.behaviour().recentSkus().get(0)).as("SKU ids interned").isSameAs("sku-1");
        assertThat(a.profile()).isSameAs(Profile.EMPTY);
        var since = a.lifecycle().since();
        assertThat(since).isNotNull();
        assertThat(java.util.stream.Stream.of(
                                a.book().lastOrderAt(),
                                a.book().firstOrderAt(),
                                a.behaviour().firstSeenAt(),
                                a.behaviour().lastEventAt())
                        .anyMatch(t -> t == since))
                .as("the stage's start is the instant it was copied from")
                .isTrue();
        assertThat(trigger.since()).isSameAs(a.behaviour().lastEventAt());
        assertThat(a.behaviour().typeScores().keys())
                .as("a set of score keys is held once by every shopper with those keys")
                .isSameAs(b.behaviour().typeScores().keys())
                .isSameAs(person.behaviour().typeScores().keys());
    }

    @Test
    void theCompactFormsSerializeAsBefore() throws Exception {
        var person = person();
        byte[] bytes = SerializationExtension.get(kit.system().classicSystem())
                .serialize(person)
                .get();
        var tree = new ObjectMapper(new CBORFactory()).readTree(bytes);
        var behaviour = tree.get("behaviour");
        assertThat(fields(behaviour.get("typeScores"))).containsExactly("keys", "values", "asOfMicros");
        assertThat(behaviour.get("typeScores").get("values").get(0).asDouble())
                .isEqualTo(person.behaviour().typeScores().values()[0]);
        assertThat(fields(behaviour.get("hours"))).containsExactly("perHour");
        assertThat(behaviour.get("hours").get("perHour")).hasSize(24);
        var offer = tree.get("offers").get("offers").get(0);
        assertThat(offer.get("offerId").asText())
                .as("the whole offer id, for readers of the payload that do not derive it")
                .isEqualTo("of-" + offer.get("decisionId").asText());
    }

    private static List<String> fields(JsonNode node) {
        var out = new java.util.ArrayList<String>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void anOfferIdMadeFromItsDecisionIdIsNotHeldTwiceYetReadsAndTravelsWhole() throws Exception {
        var offer = person().offers().offers().get(0);
        var decisionId = offer.decisionId();
        assertThat(offer.offerId()).isEqualTo("of-" + decisionId);
        assertThat(offer.hasOfferId("of-" + decisionId)).isTrue();
        assertThat(offer.hasOfferId("of-" + decisionId.replace('3', '4'))).isFalse();
        assertThat(offer.hasOfferId(decisionId)).isFalse();
        assertThat(offer.withStatus(OfferStatus.DELIVERED).offerId()).isEqualTo(offer.offerId());
        assertThat(offer.toString()).contains("offerId=of-" + decisionId + ",");
        var read = readBack(person()).offers().offers().get(0);
        assertThat(read).isEqualTo(offer);
        assertThat(read.offerId()).isEqualTo("of-" + decisionId);
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .findAndRegisterModules()
                .writeValueAsString(offer);
        assertThat(json).contains("\"offerId\":\"of-" + decisionId + "\"");
        // an offer id Kairos did not make from its decision is kept as it is
        var other = new Offer(
                "legacy-7",
                offer.couponId(),
                offer.campaignId(),
                offer.coupon(),
                offer.status(),
                offer.issuedAt(),
                offer.expiresAt(),
                offer.channel(),
                decisionId,
                offer.reserved(),
                null,
                null,
                null);
        assertThat(other.offerId()).isEqualTo("legacy-7");
        assertThat(other.hasOfferId("legacy-7")).isTrue();
        assertThat(other.hasOfferId("of-" + decisionId)).isFalse();
    }
}

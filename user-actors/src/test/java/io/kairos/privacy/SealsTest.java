package io.kairos.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import io.kairos.shopper.Person;
import io.kairos.shopper.Profile;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperEvent.ProfileUpdated;
import io.kairos.shopper.ShopperState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Crypto-shredding's codec: what a sealed event holds, and that only its own key and journal open it. */
class SealsTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final Seals seals = Seals.create(testKit.system());
    private static final SecureRandom random = new SecureRandom();
    private static final String JOURNAL = "Shopper|Zm9vYmFyYmF6cXV4MTIzNA";
    private static final String SUBJECT = "email:ann@shop.example";

    private static final ProfileUpdated PROFILE = new ProfileUpdated(
            new Profile(
                    "f",
                    "25-34",
                    "Berlin",
                    true,
                    null,
                    "Europe/Berlin",
                    Map.of("name", "Ann Example", "phone", "+4915112340001"),
                    Map.of("email", true),
                    List.of("vip"),
                    null),
            Instant.parse("2026-12-06T10:00:00Z"));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void anEventOpensAsItWasWithItsSubjectAndItsBytesHoldNoneOfItsPersonalValues() {
        var key = PersonSecret.random(random);

        var sealed = seals.seal(JOURNAL, key, SUBJECT, PROFILE);

        var opened = seals.open(JOURNAL, key, sealed);
        assertThat(opened.subject()).isEqualTo(SUBJECT);
        assertThat(opened.value()).isEqualTo(PROFILE);
        // as the journal stores it: the Sealed record, serialized by Akka
        var stored = new String(
                SerializationExtension.get(testKit.system()).serialize(sealed).get(), StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain("Ann Example", "+4915112340001", "ann@shop.example", "Berlin", "25-34");
    }

    @Test
    void onlyItsOwnKeyAndJournalOpenItAndAnAlteredByteIsRefused() {
        var key = PersonSecret.random(random);
        var sealed = seals.seal(JOURNAL, key, SUBJECT, PROFILE);

        assertThatThrownBy(() -> seals.open(JOURNAL, PersonSecret.random(random), sealed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> seals.open("Shopper|another", key, sealed))
                .isInstanceOf(IllegalArgumentException.class);
        var altered = sealed.data().clone();
        altered[altered.length / 2] ^= 1;
        assertThatThrownBy(() -> seals.open(JOURNAL, key, new Sealed(altered)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStringOpensAsItWas() {
        var key = PersonSecret.random(random);
        var json = "{\"record\":{\"region\":\"Berlin\",\"note\":\"ü → 价格\"}}";

        var sealed = seals.seal(JOURNAL, key, SUBJECT, json);

        assertThat(seals.open(JOURNAL, key, sealed)).isEqualTo(new Seals.Opened(SUBJECT, json));
        assertThat(new String(sealed.data(), StandardCharsets.ISO_8859_1)).doesNotContain("Berlin");
    }

    @Test
    void sealingTheSameEventTwiceGivesDifferentBytes() {
        var key = PersonSecret.random(random);

        assertThat(seals.seal(JOURNAL, key, SUBJECT, PROFILE).data())
                .isNotEqualTo(seals.seal(JOURNAL, key, SUBJECT, PROFILE).data());
    }

    @Test
    void theEntitysSealWritesSealedEventsAndSnapshotsAndReadsThemAndPlainOnesBack() {
        var key = PersonSecret.random(random);
        var seal = new PersonSeal<ShopperEvent, ShopperState>(seals, JOURNAL, SUBJECT, key);
        var state = Person.empty().apply(PROFILE);

        var event = seal.toJournal(PROFILE);
        var snapshot = seal.sealSnapshot(state);

        assertThat(event).isInstanceOf(Sealed.class);
        assertThat(snapshot).isInstanceOf(Sealed.class);
        assertThat(seal.fromJournal(event, "").events().head()).isEqualTo(PROFILE);
        assertThat(seal.openSnapshot(snapshot)).isEqualTo(state);
        // written before pseudonyms: read as it is
        assertThat(seal.fromJournal(PROFILE, "").events().head()).isEqualTo(PROFILE);
    }

    @Test
    void aKeyIsItsSixteenBytesAndNeverPrintsThem() {
        var key = PersonSecret.random(random);

        assertThat(PersonSecret.of(key.bytes())).isEqualTo(key);
        assertThat(key.toString()).doesNotContainPattern("[0-9a-f]{8}");
        assertThatThrownBy(() -> PersonSecret.of(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}

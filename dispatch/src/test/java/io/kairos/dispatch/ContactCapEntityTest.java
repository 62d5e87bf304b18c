package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import io.kairos.dispatch.ContactCapEntity.*;
import io.kairos.testkit.EntityTestKit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ContactCapEntityTest {
    @RegisterExtension
    static final EntityTestKit kits = new EntityTestKit();

    private static final ActorTestKit testKit = kits.testKit();
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private EventSourcedBehaviorTestKit<Command, Event, State> kit;

    @BeforeEach
    void setUp() {
        kit = kits.of(ContactCapEntity.create(
                "person-1",
                3,
                Duration.ofDays(7),
                io.kairos.entity.EntitySettings.fromConfig(
                        com.typesafe.config.ConfigFactory.load().getConfig("kairos.entities"), "contact-cap")));
    }

    private boolean reserve(String offerId, Instant at) {
        return kit.<Boolean>runCommand(r -> new Reserve(offerId, at, r)).reply();
    }

    @Test
    void atMostMaxMessagesPerWindowAndAnOfferHoldsOneSlot() {
        assertThat(reserve("o1", T)).isTrue();
        assertThat(reserve("o1", T.plusSeconds(60))).isTrue(); // the same offer again (a retry): the same slot
        assertThat(reserve("o2", T.plus(Duration.ofDays(1)))).isTrue();
        assertThat(reserve("o3", T.plus(Duration.ofDays(2)))).isTrue();
        assertThat(reserve("o4", T.plus(Duration.ofDays(3)))).isFalse();
        // o1 leaves the window seven days later
        assertThat(reserve("o4", T.plus(Duration.ofDays(7)).plusSeconds(1))).isTrue();
        assertThat(reserve("o5", T.plus(Duration.ofDays(7)).plusSeconds(2))).isFalse();
    }

    @Test
    void aReleasedSlotIsFreeAgainAndTheCapSurvivesRecovery() {
        assertThat(reserve("o1", T)).isTrue();
        assertThat(reserve("o2", T)).isTrue();
        assertThat(reserve("o3", T)).isTrue();
        kit.restart();
        assertThat(reserve("o4", T.plusSeconds(1))).isFalse();
        assertThat(kit.<Done>runCommand(r -> new Release("o2", r)).reply()).isEqualTo(Done.getInstance());
        assertThat(reserve("o4", T.plusSeconds(2))).isTrue();
    }
}

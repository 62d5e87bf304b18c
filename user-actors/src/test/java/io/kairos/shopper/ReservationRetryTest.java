package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaigns;
import io.kairos.metrics.KairosMetrics;
import io.kairos.offer.OfferSettings;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A campaign's late answer to a reservation costs the shopper time, not the offer: it asks again with the same offer id
 * and gets the first answer; only a campaign silent for {@code reserve-give-up-after} makes the decision
 * {@code refused:unavailable}, and then its reservation is released.
 */
class ReservationRetryTest {
    // one ask every 300 ms for 1.5 s: 5 attempts
    private static final OfferSettings SETTINGS = OfferSettings.fromConfig(
                    ConfigFactory.parseString("reserve-timeout = 300ms, reserve-give-up-after = 1500ms")
                            .withFallback(ConfigFactory.load().getConfig("kairos.offers")))
            .withEpsilon(0);
    private static final OfferFixture fx = new OfferFixture(SETTINGS);
    private static final Instant NOW = Campaigns.START.plus(Duration.ofDays(3));
    private static final AtomicInteger ids = new AtomicInteger();

    private String campaign;

    @AfterAll
    static void shutdown() {
        fx.close();
    }

    @BeforeEach
    void setUp() {
        fx.lateAnswers.clear();
        int n = ids.incrementAndGet();
        fx.scope.set("r" + n + "-");
        campaign = "r" + n + "-c";
        fx.create(Campaigns.campaign(campaign, Campaigns.amountOff("5"), "100"));
    }

    private List<ShopperEvent> decide() {
        var kit = fx.kit("s" + ids.incrementAndGet());
        kit.<Recorded>runCommand(r -> new RecordEvents(
                List.of(BehaviourEvent.of("e-" + ids.incrementAndGet(), EventType.VIEW, NOW.minusSeconds(60))),
                NOW.minusSeconds(60),
                r));
        return kit.<DecideReply>runCommand(r -> new DecideOffers(null, NOW, r)).events();
    }

    @Test
    void aLateAnswerIsAskedAgainAndTheShopperGetsTheOfferReservedOnce() {
        // the first two answers come after the shopper stopped waiting for them
        fx.lateAnswers.add(Duration.ofMillis(700));
        fx.lateAnswers.add(Duration.ofMillis(700));
        var retries = KairosMetrics.RESERVATION_RETRIES.labelValues(campaign);
        double before = retries.get();

        var events = decide();

        var issued = events.stream()
                .filter(OfferIssued.class::isInstance)
                .map(OfferIssued.class::cast)
                .toList();
        assertThat(issued).as("%s", events).hasSize(1);
        assertThat(issued.get(0).decision().choice().reservation()).isNotNull();
        assertThat(retries.get() - before).isEqualTo(2);
        var money = fx.snapshot(campaign);
        assertThat(money.issued())
                .as("reservations made for three asks of one offer")
                .isEqualTo(1);
        assertThat(money.reserved()).isEqualByComparingTo("5");
        assertThat(money.released()).isZero();
    }

    @Test
    void aCampaignSilentUntilTheShopperGivesUpIsRecordedAsUnavailableAndItsReservationReleased() {
        for (int i = 0; i < SETTINGS.reserveAttempts(); i++) fx.lateAnswers.add(OfferFixture.NEVER);

        var events = decide();

        assertThat(events).noneMatch(OfferIssued.class::isInstance);
        var none = events.stream()
                .filter(NoOfferDecided.class::isInstance)
                .map(NoOfferDecided.class::cast)
                .toList();
        assertThat(none).hasSize(1);
        assertThat(none.get(0).outcome()).isEqualTo("refused:unavailable");
        // the campaign did reserve (its answers were lost): the shopper's release gives it back
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var money = fx.snapshot(campaign);
            assertThat(money.issued()).isEqualTo(1);
            assertThat(money.released()).isEqualTo(1);
            assertThat(money.reserved()).isZero();
        });
    }
}

package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What counts as a person's own activity for retention, and when; the settings' default (off). */
class RetentionTest {
    private static final Instant HAPPENED = Instant.parse("2026-01-10T08:00:00Z");
    private static final Instant RECORDED = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void behaviourCountsWhenItHappenedOwnActionsWhenTheyWereTakenAndWhatKairosDidNotAtAll() {
        var view = new ShopperEvent.BehaviourRecorded(
                BehaviourEvent.of("e-1", EventType.VIEW, HAPPENED), RECORDED, null, false);
        assertThat(Retention.activeAt(view, RECORDED)).contains(HAPPENED);
        assertThat(Retention.activeAt(new ShopperEvent.OfferClaimed("o-1", "c-1", "d-1", HAPPENED), RECORDED))
                .contains(HAPPENED);
        // what Kairos did for the person is not the person's activity
        assertThat(Retention.activeAt(new ShopperEvent.OfferRevoked("o-1", "campaign-ended", RECORDED), RECORDED))
                .isEmpty();
    }

    @Test
    void retentionIsOffUnlessAShopSetsItsPeriod() {
        var defaults = Retention.Settings.fromConfig(ConfigFactory.load());
        assertThat(defaults.enabled()).isFalse();
        var on = Retention.Settings.fromConfig(
                ConfigFactory.parseString("kairos.privacy.retention.inactive-after = 730d")
                        .withFallback(ConfigFactory.load()));
        assertThat(on.inactiveAfter()).isEqualTo(Duration.ofDays(730));
    }
}

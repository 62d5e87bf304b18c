package io.kairos.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EntitySettingsTest {
    private static final String DEFAULTS =
            "default { restart-backoff { min = 200ms, max = 5s, random-factor = 0.2 }, snapshot-every = 100,"
                    + " keep-snapshots = 2 }";

    @Test
    void aTypeOverridesOnlyWhatItNamesAndFallsBackToTheDefaultForTheRest() {
        var entities = ConfigFactory.parseString(
                DEFAULTS + "\nsku-pricing { snapshot-every = 0, restart-backoff.random-factor = 0.1 }");

        var pricing = EntitySettings.fromConfig(entities, "sku-pricing");
        var shopper = EntitySettings.fromConfig(entities, "shopper");

        assertThat(pricing).isEqualTo(new EntitySettings(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1, 0, 2));
        assertThat(shopper).isEqualTo(new EntitySettings(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2, 100, 2));
    }

    @Test
    void theShippedDefaultsAreTheOnesEveryEntityUsedBefore() {
        var shipped = ConfigFactory.load().getConfig("kairos.entities");
        for (var type : new String[] {"shopper", "campaign", "order", "sku-pricing", "delivery", "contact-cap"}) {
            assertThat(EntitySettings.fromConfig(shipped, type))
                    .as(type)
                    .isEqualTo(new EntitySettings(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2, 100, 2));
        }
    }

    @Test
    void nonsenseIsRefusedAtStart() {
        var entities = ConfigFactory.parseString(DEFAULTS + "\nshopper { restart-backoff { min = 10s, max = 1s } }");
        assertThatThrownBy(() -> EntitySettings.fromConfig(entities, "shopper"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveEntityLimitTest {
    private static final long GIB = 1L << 30;

    private static com.typesafe.config.Config passivation(String limit) {
        return ConfigFactory.parseString("active-entity-limit = " + limit)
                .withFallback(ConfigFactory.load().getConfig("kairos.passivation"));
    }

    @Test
    void byDefaultTheLimitFollowsTheHeap() {
        // 0.5 × 1 GiB ÷ 8 KiB
        assertThat(ActiveEntityLimit.of(passivation("auto"), GIB).limit()).isEqualTo(65_536);
        assertThat(ActiveEntityLimit.of(passivation("auto"), 4 * GIB).limit()).isEqualTo(262_144);
        assertThat(ActiveEntityLimit.of(passivation("auto"), 1L << 20).limit())
                .as("never below the floor")
                .isEqualTo(ActiveEntityLimit.MIN);
    }

    @Test
    void aNumberSetsItOutrightAndNonsenseIsRefused() {
        var explicit = ActiveEntityLimit.of(passivation("1234"), GIB);
        assertThat(explicit.limit()).isEqualTo(1234);
        assertThat(explicit.fromHeap()).isFalse();
        assertThatThrownBy(() -> ActiveEntityLimit.of(passivation("lots"), GIB))
                .hasMessageContaining("KAIROS_ACTIVE_ENTITY_LIMIT");
        assertThatThrownBy(() -> ActiveEntityLimit.of(passivation("0"), GIB)).hasMessageContaining("positive");
    }

    @Test
    void theNodeConfigurationCarriesTheLimitToAkkaUnlessATestSetsAkkasOwn() {
        var config = KairosNode.config("dev", List.of(), ConfigFactory.empty());
        var expected = ActiveEntityLimit.of(
                config.getConfig("kairos.passivation"), Runtime.getRuntime().maxMemory());
        assertThat(config.getInt("akka.cluster.sharding.passivation.default-strategy.active-entity-limit"))
                .isEqualTo(expected.limit());
        var overridden = KairosNode.config(
                "dev",
                List.of(),
                ConfigFactory.parseString(
                        "akka.cluster.sharding.passivation.default-strategy.active-entity-limit = 7"));
        assertThat(overridden.getInt("akka.cluster.sharding.passivation.default-strategy.active-entity-limit"))
                .isEqualTo(7);
    }
}

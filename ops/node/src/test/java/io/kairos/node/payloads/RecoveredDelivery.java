package io.kairos.node.payloads;

import com.typesafe.config.Config;
import io.kairos.dispatch.DeliveryEntity;
import io.kairos.dispatch.DispatchSettings;
import io.kairos.entity.EntitySettings;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** What a delivery recovered from recorded payloads runs with: it is final, so it sends nothing and asks no one. */
final class RecoveredDelivery {

    private RecoveredDelivery() {}

    static DeliveryEntity.Env env(Config config, Clock clock) {
        return new DeliveryEntity.Env(
                DispatchSettings.fromConfig(config.getConfig("kairos.dispatch")),
                Map.of(),
                id -> {
                    throw new IllegalStateException("a finished delivery asks no shopper");
                },
                id -> {
                    throw new IllegalStateException("a finished delivery asks no contact cap");
                },
                null,
                ch -> 0.0,
                null,
                null,
                clock,
                EntitySettings.fromConfig(config.getConfig("kairos.entities"), "delivery"),
                Optional.empty());
    }
}

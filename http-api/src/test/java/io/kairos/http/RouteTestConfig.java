package io.kairos.http;

import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The configuration of route tests: entities on the persistence testkit (events serialized, so what the journal would
 * refuse fails here too), production mode, the four test API keys, and an ask timeout generous enough for a loaded
 * 2-core CI box. {@code extra} adds or overrides settings of one fixture.
 */
public final class RouteTestConfig {
    private RouteTestConfig() {}

    public static Config with(String extra) {
        return ConfigFactory.parseString(extra)
                .withFallback(
                        ConfigFactory.parseString(
                                """
                        akka.persistence.journal.plugin = "akka.persistence.testkit.journal"
                        akka.persistence.snapshot-store.plugin = "akka.persistence.testkit.snapshotstore.pluginid"
                        akka.persistence.testkit.events.serialize = on
                        akka.actor.serialize-messages = off
                        kairos.mode = production
                        kairos.http.api-keys = "ingest=ingest-key,operator=operator-key;id=ops-console,auditor=auditor-key,admin=admin-key1;id=admin-1"
                        # The failed-persist test waits this long for its 503.
                        kairos.http.ask-timeout = 3s
                        """))
                .withFallback(PersistenceTestKitPlugin.getInstance().config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load());
    }
}

package io.kairos.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import akka.http.javadsl.server.Route;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import io.kairos.http.audit.AuditRoutes;
import io.kairos.http.model.ModelRoutes;
import io.kairos.modelserving.ModelServing;
import io.kairos.http.shopper.EventRoutes;
import io.kairos.http.shopper.ShopperRoutes;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Real shopper entities on the in-memory persistence test kit, reached through {@code TestEntityRef}s instead of
 * sharding, behind the production routes. Keys: {@code ingest-key}, {@code operator-key}, {@code auditor-key},
 * {@code admin-key1}.
 */
final class ShopperFixture {
  /** The models store of this test JVM: a fresh directory. */
  static final String MODELS_DIR = "target/test-models-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

  static final Config CONFIG = ConfigFactory.parseString("""
          akka.persistence.journal.plugin = "akka.persistence.testkit.journal"
          akka.persistence.snapshot-store.plugin = "akka.persistence.testkit.snapshotstore.pluginid"
          akka.persistence.testkit.events.serialize = on
          akka.actor.serialize-messages = off
          kairos.mode = production
          kairos.http.api-keys = "ingest=ingest-key,operator=operator-key,auditor=auditor-key,admin=admin-key1"
          kairos.http.ask-timeout = 3s
          kairos.models.store = "%s"
          """.formatted(MODELS_DIR))
      .withFallback(akka.persistence.testkit.PersistenceTestKitPlugin.getInstance().config())
      .withFallback(akka.persistence.testkit.PersistenceTestKitSnapshotPlugin.config())
      .withFallback(ConfigFactory.load());

  final HttpSettings settings = HttpSettings.fromConfig(CONFIG);
  final ApiKeys keys = ApiKeys.fromSettings(settings);
  private final ShopperSettings shopperSettings = ShopperSettings.fromConfig(CONFIG.getConfig("kairos.shopper"));
  private final akka.actor.ActorSystem system;
  private final Map<String, ActorRef<ShopperEntity.Command>> entities = new ConcurrentHashMap<>();

  ShopperFixture(akka.actor.ActorSystem system) {
    this.system = system;
  }

  ActorSystem<Void> typed() {
    return Adapter.toTyped(system);
  }

  private ActorRef<ShopperEntity.Command> entity(String id) {
    return entities.computeIfAbsent(id, k -> Adapter.spawn(system,
        ShopperEntity.create(k, shopperSettings, this::entity), "shopper-" + URLEncoder.encode(k, StandardCharsets.UTF_8)));
  }

  Route routes(Clock clock) {
    Function<String, EntityRef<ShopperEntity.Command>> refs = id -> TestEntityRef.of(ShopperEntity.ENTITY_KEY, id, entity(id));
    var readJournal = PersistenceQuery.get(system)
        .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    return new ApiRoutes(settings,
        new EventRoutes(refs, keys, settings, clock).routes(),
        new ShopperRoutes(refs, keys, settings, clock).routes(),
        new AuditRoutes(pid -> readJournal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE), shopperSettings, keys,
            settings, typed(), clock).routes(),
        new ModelRoutes(ModelServing.get(typed()), keys, settings).routes()).routes();
  }

  static Duration awaitDuration() {
    return Duration.ofSeconds(5);
  }
}

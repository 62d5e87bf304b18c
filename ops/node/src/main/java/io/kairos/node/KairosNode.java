package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.http.ApiKeys;
import io.kairos.http.ApiRoutes;
import io.kairos.http.HttpSettings;
import io.kairos.http.KairosHttpServer;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import io.kairos.http.audit.AuditRoutes;
import io.kairos.http.model.ModelRoutes;
import io.kairos.modelserving.ModelServing;
import io.kairos.http.shopper.EventRoutes;
import io.kairos.http.shopper.ShopperRoutes;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperSettings;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One Kairos node: starts Akka Management ({@code /ready}, {@code /alive}, {@code /metrics}) and joins the cluster
 * ({@link ClusterFormation}), registers the node's metrics, starts the shopper shards, dynamic pricing
 * ({@link NodePricing}), model serving and the HTTP API. {@link #config} builds the node's configuration from {@code application.conf} and the
 * environment; {@link #init} wires a running system and is what tests call.
 */
public final class KairosNode {
  private KairosNode() {}

  /** The node's configuration for a mode ({@code dev} or {@code production}) and Cassandra contact points. */
  public static Config config(String mode, List<InetSocketAddress> contactPoints, Config overrides) {
    var points = contactPoints.stream().map(a -> "\"" + a.getHostString() + ":" + a.getPort() + "\"").collect(Collectors.joining(","));
    var computed = ConfigFactory.parseString("kairos.mode = " + mode + "\ndatastax-java-driver.basic.contact-points = [" + points + "]");
    var base = overrides.withFallback(computed).withFallback(ConfigFactory.load());
    return overrides.withFallback(ClusterFormation.joinConfig(base.resolve())).withFallback(base).resolve();
  }

  public static ActorSystem<Void> start(Config config) {
    var system = ActorSystem.<Void>create(Behaviors.empty(), "kairos", config);
    init(system);
    return system;
  }

  /** Wires the node into a running actor system; the returned stage completes when the API is bound. */
  public static CompletionStage<ServerBinding> init(ActorSystem<?> system) {
    ClusterFormation.start(system);
    NodeMetrics.get(system);
    ShopperEntity.init(system);

    var settings = HttpSettings.create(system);
    var keys = ApiKeys.fromSettings(settings);
    var sharding = ClusterSharding.get(system);
    Function<String, EntityRef<ShopperEntity.Command>> shoppers = id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
    var clock = Clock.systemUTC();
    var readJournal = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, CassandraReadJournal.Identifier());
    // Dynamic pricing: SKU shards, price view, demand projection, /v1/prices and /v1/skus (see NodePricing).
    var models = ModelServing.get(system);
    var pricing = NodePricing.init(system, models, keys, settings, clock);
    var routes = new ApiRoutes(settings,
        pricing.routes(),
        new EventRoutes(shoppers, keys, settings, clock).routes(),
        new ShopperRoutes(shoppers, keys, settings, clock).routes(),
        new AuditRoutes(pid -> readJournal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE),
            ShopperSettings.create(system), keys, settings, system, clock).routes(),
        new ModelRoutes(models, keys, settings).routes()).routes();
    return KairosHttpServer.start(system, routes, settings);
  }

  /** Parses {@code host:port,host:port}; a missing port means 9042. */
  public static List<InetSocketAddress> contactPoints(String spec) {
    return java.util.Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
      int colon = s.lastIndexOf(':');
      if (colon < 0) return InetSocketAddress.createUnresolved(s, 9042);
      return InetSocketAddress.createUnresolved(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }).toList();
  }
}

package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.http.javadsl.ServerBinding;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.http.ApiKeys;
import io.kairos.http.ApiRoutes;
import io.kairos.http.HttpSettings;
import io.kairos.http.KairosHttpServer;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.ReplicatedCampaignCatalogue;
import io.kairos.http.audit.AuditRoutes;
import io.kairos.http.campaign.CampaignRoutes;
import io.kairos.http.offer.CheckoutRoutes;
import io.kairos.http.offer.OfferRoutes;
import io.kairos.http.offer.OrderRoutes;
import io.kairos.http.shopper.EventRoutes;
import io.kairos.http.shopper.ShopperRoutes;
import io.kairos.models.registry.DirectoryModelStore;
import io.kairos.models.registry.ModelRegistry;
import io.kairos.offer.DecisionStore;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.OutcomeStore;
import io.kairos.offer.PriceLookup;
import io.kairos.order.OrderEntity;
import io.kairos.shopper.OfferServices;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperProjection;
import io.kairos.shopper.WakeupStore;
import io.kairos.shopper.WakeupSweeper;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kairos node: joins the cluster, starts Akka Management ({@code /ready}, {@code /alive}), the campaign, shopper
 * and order shards, the campaign catalogue, the uplift model registry, the shopper projection and the wake-up sweeper,
 * and the HTTP API. {@link #config} builds the node's configuration from {@code application.conf} and the
 * environment; {@link #init} wires a running system and is what tests call.
 */
public final class KairosNode {
  private static final Logger log = LoggerFactory.getLogger(KairosNode.class);

  private KairosNode() {}

  /** The node's configuration for a mode ({@code dev} or {@code production}) and Cassandra contact points. */
  public static Config config(String mode, List<InetSocketAddress> contactPoints, Config overrides) {
    var points = contactPoints.stream().map(a -> "\"" + a.getHostString() + ":" + a.getPort() + "\"").collect(Collectors.joining(","));
    var computed = ConfigFactory.parseString("kairos.mode = " + mode + "\ndatastax-java-driver.basic.contact-points = [" + points + "]");
    return overrides.withFallback(computed).withFallback(ConfigFactory.load()).resolve();
  }

  public static ActorSystem<Void> start(Config config) {
    var system = ActorSystem.<Void>create(Behaviors.empty(), "kairos", config);
    init(system);
    return system;
  }

  /**
   * Wires the node into a running actor system; the returned stage completes when the API is bound. Until the pricing
   * module provides prices, checkout and orders know none ({@link PriceLookup#NONE}: they answer 422).
   */
  public static CompletionStage<ServerBinding> init(ActorSystem<?> system) {
    return init(system, PriceLookup.NONE);
  }

  /** As {@link #init(ActorSystem)}, with the prices checkout and orders use. */
  public static CompletionStage<ServerBinding> init(ActorSystem<?> system, PriceLookup prices) {
    joinCluster(system);
    AkkaManagement.get(system).start();
    var sharding = ClusterSharding.get(system);

    var catalogue = ReplicatedCampaignCatalogue.get(system);
    CampaignEntity.init(system, catalogue);
    var offerSettings = OfferSettings.create(system);
    var services = new OfferServices(offerSettings, catalogue, id -> sharding.entityRefFor(CampaignEntity.ENTITY_KEY, id),
        scoring(system, offerSettings), prices);
    ShopperEntity.init(system, services);
    OrderEntity.init(system);

    var decisions = DecisionStore.create(system);
    var outcomes = OutcomeStore.create(system);
    var wakeups = WakeupStore.create(system);
    ShopperProjection.init(system, decisions, outcomes, wakeups);
    WakeupSweeper.init(system, wakeups);

    var settings = HttpSettings.create(system);
    var keys = ApiKeys.fromSettings(settings);
    Function<String, EntityRef<ShopperEntity.Command>> shoppers = id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
    Function<String, EntityRef<CampaignEntity.Command>> campaigns = id -> sharding.entityRefFor(CampaignEntity.ENTITY_KEY, id);
    Function<String, EntityRef<OrderEntity.Command>> orders = id -> sharding.entityRefFor(OrderEntity.ENTITY_KEY, id);
    var clock = Clock.systemUTC();
    var routes = new ApiRoutes(settings,
        new EventRoutes(shoppers, keys, settings, clock).routes(),
        new ShopperRoutes(shoppers, keys, settings, clock).routes(),
        new OfferRoutes(shoppers, keys, settings, clock).routes(),
        new CheckoutRoutes(shoppers, keys, settings, clock).routes(),
        new OrderRoutes(orders, keys, settings, clock).routes(),
        new CampaignRoutes(campaigns, outcomes::read, CampaignSettings.create(system).defaultMarginRate(), keys, settings, clock).routes(),
        new AuditRoutes(decisions, keys, settings).routes()).routes();
    return KairosHttpServer.start(system, routes, settings);
  }

  /**
   * The uplift model: the registry's active version of {@code kairos.offers.model.name}, synced with the model store at
   * start and every {@code sync-interval} (a promoted version is picked up without restart), run on the model
   * dispatcher. No model in the store = the safe rule.
   */
  private static OfferScoring scoring(ActorSystem<?> system, OfferSettings settings) {
    var config = system.settings().config();
    var registry = new ModelRegistry(new DirectoryModelStore(Path.of(config.getString("kairos.offers.model.store-dir"))));
    Runnable sync = () -> {
      try {
        int changed = registry.syncWithStore();
        if (changed > 0) log.info("Models synced with the store: {} changed, active {}", changed, registry.activeModels().keySet());
      } catch (RuntimeException e) {
        log.warn("Syncing models with the store failed; keeping the active ones", e);
      }
    };
    sync.run();
    var interval = config.getDuration("kairos.offers.model.sync-interval");
    system.scheduler().scheduleWithFixedDelay(interval, interval, sync, system.executionContext());
    var executor = system.dispatchers().lookup(DispatcherSelector.fromConfig(settings.modelDispatcher()));
    return new OfferScoring(() -> registry.uplift(settings.modelName()), executor, settings.modelTimeout(), settings.safeRule());
  }

  private static void joinCluster(ActorSystem<?> system) {
    var join = system.settings().config().getString("kairos.cluster.join");
    var cluster = Cluster.get(system);
    switch (join) {
      case "self" -> cluster.manager().tell(Join.create(cluster.selfMember().address()));
      case "seeds" -> { } // akka.cluster.seed-nodes joins by itself
      default -> throw new IllegalArgumentException("kairos.cluster.join must be self or seeds, not " + join);
    }
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

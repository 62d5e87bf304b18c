package io.kairos.node;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.ServerBinding;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.stream.javadsl.Source;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.CampaignView;
import io.kairos.campaign.ReplicatedCampaignCatalogue;
import io.kairos.devcassandra.CassandraSecurity;
import io.kairos.http.Admission;
import io.kairos.http.ApiKeys;
import io.kairos.http.ApiRoutes;
import io.kairos.http.HttpSettings;
import io.kairos.http.KairosHttpServer;
import io.kairos.http.RateLimits;
import io.kairos.http.RouteContext;
import io.kairos.http.Tls;
import io.kairos.http.audit.AuditRoutes;
import io.kairos.http.audit.DecisionAuditRoutes;
import io.kairos.http.audit.EntityStateRoutes;
import io.kairos.http.campaign.BurnRoutes;
import io.kairos.http.campaign.CampaignRoutes;
import io.kairos.http.console.ConsoleRoutes;
import io.kairos.http.console.LiveRoutes;
import io.kairos.http.dev.ClockRoutes;
import io.kairos.http.model.ModelRoutes;
import io.kairos.http.offer.ExplanationRoutes;
import io.kairos.http.offer.OfferViews;
import io.kairos.http.shopper.ErasureRoutes;
import io.kairos.http.shopper.EventValidation;
import io.kairos.http.shopper.ExportRoutes;
import io.kairos.http.shopper.ShopperApi;
import io.kairos.http.shopper.ShopperStreamRoutes;
import io.kairos.http.tracking.TrackingRoutes;
import io.kairos.kafka.KafkaBridge;
import io.kairos.modelserving.Learning;
import io.kairos.modelserving.ModelServing;
import io.kairos.offer.DecisionStore;
import io.kairos.offer.FunnelStore;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.OutcomeStore;
import io.kairos.offer.PriceSource;
import io.kairos.order.OrderEntity;
import io.kairos.pricing.PricingSettings;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.PrivacySettings;
import io.kairos.privacy.SealedJournals;
import io.kairos.shopper.CampaignForecasts;
import io.kairos.shopper.ClusterShopperStreams;
import io.kairos.shopper.OfferServices;
import io.kairos.shopper.Retention;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperJournal;
import io.kairos.shopper.ShopperProjection;
import io.kairos.shopper.ShopperReplay;
import io.kairos.shopper.WakeupStore;
import io.kairos.shopper.WakeupSweeper;
import io.kairos.time.NodeClock;
import io.kairos.tracking.TrackingSettings;
import io.kairos.tracking.TrackingTokens;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One Kairos node: starts Akka Management ({@code /ready}, {@code /alive}, {@code /metrics}) and joins the cluster
 * ({@link ClusterFormation}), registers the node's metrics, starts the campaign, shopper and order shards, the campaign
 * catalogue, model serving, dynamic pricing ({@link NodePricing}), the shopper projection, the wake-up sweeper, offer
 * dispatch ({@link NodeDispatch}) and the HTTP API (with tracked links, {@code GET /t/{token}}). {@link #config} builds
 * the node's configuration from {@code application.conf} and the environment; {@link #init} wires a running system and
 * is what tests call.
 */
public final class KairosNode {
    private KairosNode() {}

    /** The node's configuration for a mode ({@code dev} or {@code production}) and Cassandra contact points. */
    public static Config config(String mode, List<InetSocketAddress> contactPoints, Config overrides) {
        var points = contactPoints.stream()
                .map(a -> "\"" + a.getHostString() + ":" + a.getPort() + "\"")
                .collect(Collectors.joining(","));
        var computed = ConfigFactory.parseString(
                "kairos.mode = " + mode + "\ndatastax-java-driver.basic.contact-points = [" + points + "]");
        var base = overrides.withFallback(computed).withFallback(ConfigFactory.load());
        var resolved = base.resolve();
        var limit = ActiveEntityLimit.of(
                resolved.getConfig("kairos.passivation"), Runtime.getRuntime().maxMemory());
        var cassandra = CassandraSecurity.fromConfig(resolved.getConfig("kairos.cassandra"));
        return overrides
                .withFallback(cassandra.driverConfig())
                .withFallback(ClusterFormation.joinConfig(resolved))
                .withFallback(ConfigFactory.parseString(limit.akkaSetting()))
                .withFallback(base)
                .resolve();
    }

    public static ActorSystem<Void> start(Config config) {
        var system = ActorSystem.<Void>create(Behaviors.empty(), "kairos", config);
        init(system);
        return system;
    }

    /**
     * Wires the node into a running actor system; the returned stage completes when the API is bound. Checkout and
     * orders price items from the node's price view (a SKU that was never configured has no price: 422).
     */
    public static CompletionStage<ServerBinding> init(ActorSystem<?> system) {
        return wire(system, null);
    }

    /**
     * As {@link #init(ActorSystem)}, with fixed prices for checkout and orders instead of the node's price view
     * (tests).
     */
    public static CompletionStage<ServerBinding> init(ActorSystem<?> system, PriceSource prices) {
        return wire(system, prices);
    }

    private static CompletionStage<ServerBinding> wire(ActorSystem<?> system, PriceSource fixedPrices) {
        // First: a production node without the tracking or privacy secret, or asked for a simulated clock, refuses to
        // start before it joins anything.
        var tracking = TrackingSettings.create(system);
        PrivacySettings.create(system);
        var clock = NodeClock.get(system).clock();
        var trackingTokens = new TrackingTokens(tracking);
        var tls = Tls.fromConfig(system.settings().config());
        ClusterFormation.start(system, tls.filter(Tls::management));
        // What Akka enforces (KairosNode.config sets it from kairos.passivation unless the configuration names it).
        system.log()
                .info(
                        "Passivation: at most {} active entities per type and node",
                        system.settings()
                                .config()
                                .getInt("akka.cluster.sharding.passivation.default-strategy.active-entity-limit"));
        system.log()
                .info(
                        "Cassandra: connecting {}",
                        CassandraSecurity.fromConfig(system.settings().config().getConfig("kairos.cassandra"))
                                .describe());
        NodeMetrics.get(system);
        var sharding = ClusterSharding.get(system);
        var settings = HttpSettings.create(system);
        // The console's sessions are signed with KAIROS_CONSOLE_SECRET, or a digest of the API keys when it is unset.
        var console = system.settings().config().getConfig("kairos.http.console");
        var keys = ApiKeys.fromSettings(settings)
                .withConsole(console.getString("session-secret"), console.getDuration("session-lifetime"));
        var models = ModelServing.get(system);
        // Admission control per kind of work (kairos.http.admission): refuses at once what the node cannot do in time.
        var admission = Admission.fromConfig(system.settings().config().getConfig("kairos.http.admission"));
        // Token buckets per API key and per shopper (kairos.http.rate-limit): 429 beyond them, per node.
        var limits = new RateLimits(
                RateLimits.Settings.fromConfig(system.settings().config().getConfig("kairos.http.rate-limit")));
        var ctx = new RouteContext(keys, settings, clock, admission, limits);
        // Dynamic pricing: SKU shards, price view, demand projection, /v1/prices and /v1/skus (see NodePricing).
        var pricing = NodePricing.init(system, models, ctx);

        var catalogue = ReplicatedCampaignCatalogue.get(system);
        CampaignEntity.init(system, catalogue);
        var offerSettings = OfferSettings.create(system);
        var forecastSettings = CampaignForecasts.ForecastSettings.fromConfig(
                system.settings().config().getConfig("kairos.offers.forecast"),
                CampaignSettings.create(system).pacingInitialShare());
        var prices = fixedPrices != null ? fixedPrices : pricing.prices();
        // Live changes for GET /v1/shoppers/{id}/stream, across nodes by distributed pub-sub.
        var streams = new ClusterShopperStreams(system);
        var services = new OfferServices(
                offerSettings,
                catalogue,
                id -> sharding.entityRefFor(CampaignEntity.ENTITY_KEY, id),
                scoring(system, models, offerSettings),
                models::lifecycleModel,
                streams);
        // Each person's pseudonym and key (crypto-shredding); the first start registers the journals from before them.
        PersonKeys.get(system);
        ShopperEntity.init(system, services);
        OrderEntity.init(system);

        var decisions = DecisionStore.create(system);
        var outcomes = OutcomeStore.create(system);
        var funnel = FunnelStore.create(system);
        var wakeups = WakeupStore.create(system);
        ShopperProjection.init(system, decisions, outcomes, funnel, wakeups);
        WakeupSweeper.init(system, wakeups);
        Retention.init(system);
        // Delivery of issued offers to shoppers: webhook and e-mail channels, ledger, contact cap (see NodeDispatch).
        NodeDispatch.init(
                system,
                new TrackedOfferLinks(
                        trackingTokens, system.settings().config().getString("kairos.tracking.landing-url")));

        Function<String, EntityRef<ShopperCommand>> shoppers =
                id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
        Function<String, EntityRef<CampaignEntity.Command>> campaigns =
                id -> sharding.entityRefFor(CampaignEntity.ENTITY_KEY, id);
        Function<String, EntityRef<OrderEntity.Command>> orders =
                id -> sharding.entityRefFor(OrderEntity.ENTITY_KEY, id);
        // Kafka in (behaviour events, checked as POST /v1/events checks them) and out (offers, prices), when
        // kairos.kafka.bootstrap-servers names a broker.
        KafkaBridge.start(
                system,
                id -> shoppers.apply(id),
                new EventValidation(settings.maxEventsPerRequest(), settings.maxClockSkew()),
                clock);
        var cassandraJournal = PersistenceQuery.get(system)
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, CassandraReadJournal.Identifier());
        // Every read by persistence id: a shopper's journal by its subject, opened (io.kairos.privacy.SealedJournals).
        BiFunction<String, Long, Source<EventEnvelope, NotUsed>> journal = SealedJournals.bySubject(
                PersonKeys.get(system),
                (pid, from) -> cassandraJournal.currentEventsByPersistenceId(pid, from, Long.MAX_VALUE));
        var offerViews = new OfferViews(
                id -> catalogue.get(id).map(CampaignView::definition),
                system.settings().config().getString("kairos.currency"));
        var routes = new ApiRoutes(
                        settings,
                        pricing.routes(),
                        new ExplanationRoutes(shoppers, decisions, offerViews, ctx).routes(),
                        new ExportRoutes(shoppers, offerViews, pid -> journal.apply(pid, 0L), decisions, system, ctx)
                                .routes(),
                        new ErasureRoutes(shoppers, ctx).routes(),
                        ShopperApi.routes(
                                shoppers,
                                io.kairos.shopper.LiveWallets.get(system),
                                orders,
                                offerViews,
                                prices,
                                new ShopperStreamRoutes(
                                        shoppers,
                                        streams,
                                        pricing.priceChanges(),
                                        prices,
                                        offerViews,
                                        journal::apply,
                                        system,
                                        ctx),
                                ctx),
                        new CampaignRoutes(
                                        campaigns,
                                        catalogue,
                                        outcomes::read,
                                        funnel::read,
                                        new CampaignForecasts(
                                                ShopperJournal.decisionLog(
                                                                system,
                                                                offerSettings.outcomeWindow(),
                                                                NodeClock.get(system)
                                                                        .clock(),
                                                                forecastSettings.readTimeout())
                                                        .withNoOfferDecisions(),
                                                () -> Learning.champion(
                                                        models,
                                                        models.settings().upliftModel(),
                                                        offerSettings.safeRule()),
                                                offerSettings,
                                                NodeClock.get(system).clock(),
                                                forecastSettings,
                                                system.dispatchers()
                                                        .lookup(DispatcherSelector.fromConfig(
                                                                forecastSettings.dispatcher())))::forecast,
                                        CampaignSettings.create(system).defaultMarginRate(),
                                        ctx)
                                .routes(),
                        new BurnRoutes(
                                        pid -> journal.apply(pid, 0L),
                                        CampaignSettings.create(system).pacingInitialShare(),
                                        system,
                                        ctx)
                                .routes(),
                        new LiveRoutes(ctx).routes(),
                        new ClockRoutes(NodeClock.get(system).simulated(), ctx).routes(),
                        new AuditRoutes(pid -> journal.apply(pid, 0L), ShopperReplay.create(system), system, ctx)
                                .routes(),
                        new DecisionAuditRoutes(
                                        decisions,
                                        pricing.decisions(),
                                        d -> models.replay(
                                                d,
                                                id -> catalogue.get(id).map(CampaignView::definition),
                                                offerSettings),
                                        ctx)
                                .routes(),
                        new EntityStateRoutes(
                                        pid -> journal.apply(pid, 0L), PricingSettings.create(system), system, ctx)
                                .routes(),
                        new ModelRoutes(models, learning(system), ctx).routes())
                .withPublic(
                        new TrackingRoutes(shoppers, trackingTokens, tracking, clock, PersonKeys.get(system)).routes())
                .withPublic(new ConsoleRoutes(
                                ctx,
                                tls.isPresent()
                                        || system.settings().config().getBoolean("kairos.http.console.secure-cookie"))
                        .routes())
                .routes();
        // Ready (GET /ready) only once the API is bound: a load balancer must not send requests to a closed port.
        return KairosHttpServer.start(system, routes, settings, tls)
                .thenApply(binding -> NodeLifecycle.get(system).serving(binding));
    }

    /**
     * The uplift model: model serving's active version of {@code kairos.models.uplift-model} (promoted through the
     * models CLI or {@code /v1/models}, picked up without restart), run on the offers' model dispatcher. No promoted
     * model = the safe rule.
     */
    private static OfferScoring scoring(ActorSystem<?> system, ModelServing models, OfferSettings settings) {
        var executor = system.dispatchers().lookup(DispatcherSelector.fromConfig(settings.modelDispatcher()));
        return new OfferScoring(models::upliftFor, executor, settings.modelTimeout(), settings.safeRule());
    }

    /**
     * The learning loop's singleton (see {@link Learning}) over the journal's decisions, and how the API starts a run
     * of it.
     */
    private static ModelRoutes.Trainer learning(ActorSystem<?> system) {
        var proxy = Learning.init(system, Learning.journalDecisions(system));
        return (excluded, actor) -> AskPattern.ask(
                proxy, r -> new Learning.RunNow(excluded, actor, r), Duration.ofSeconds(10), system.scheduler());
    }

    /** Parses {@code host:port,host:port}; a missing port means 9042. */
    public static List<InetSocketAddress> contactPoints(String spec) {
        return java.util.Arrays.stream(spec.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> {
                    int colon = s.lastIndexOf(':');
                    if (colon < 0) return InetSocketAddress.createUnresolved(s, 9042);
                    return InetSocketAddress.createUnresolved(
                            s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
                })
                .toList();
    }
}

package io.kairos.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import akka.http.javadsl.server.Route;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import com.typesafe.config.Config;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.CampaignView;
import io.kairos.campaign.LocalCampaignCatalogue;
import io.kairos.http.audit.AuditRoutes;
import io.kairos.http.audit.DecisionAuditRoutes;
import io.kairos.http.campaign.CampaignRoutes;
import io.kairos.http.model.ModelRoutes;
import io.kairos.http.offer.OfferViews;
import io.kairos.http.shopper.ShopperApi;
import io.kairos.http.shopper.ShopperStreamRoutes;
import io.kairos.http.tracking.TrackingRoutes;
import io.kairos.models.learning.LearningLoop;
import io.kairos.modelserving.Learning;
import io.kairos.modelserving.ModelServing;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.PriceLookup;
import io.kairos.offer.PriceSource;
import io.kairos.order.OrderEntity;
import io.kairos.shopper.CampaignForecasts;
import io.kairos.shopper.JournalDecisionLog;
import io.kairos.shopper.JournalReadSide;
import io.kairos.shopper.LiveWallets;
import io.kairos.shopper.LocalShopperStreams;
import io.kairos.shopper.OfferServices;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperEntity;
import io.kairos.shopper.ShopperReplay;
import io.kairos.shopper.ShopperSettings;
import io.kairos.tracking.TrackingSettings;
import io.kairos.tracking.TrackingTokens;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Real shopper, campaign and order entities on the in-memory persistence test kit, reached through
 * {@code TestEntityRef}s instead of sharding, behind the production routes. Campaigns publish to a local catalogue;
 * decisions use the safe rule (no model); prices come from {@link #price}; audit and stats read the journal directly
 * ({@link JournalReadSide}) instead of the Cassandra tables, audits seeing every event as written at the route clock's
 * now. Keys: {@code ingest-key}, {@code operator-key}, {@code auditor-key}, {@code admin-key1}.
 */
final class ShopperFixture {
    /** The models store of this test JVM: a fresh directory. */
    static final String MODELS_DIR =
            "target/test-models-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    static final Config CONFIG = RouteTestConfig.with(
            """
            kairos.models.store = "%s"
            # Route tests expect every eligible request to issue; exploration is tested in user-actors.
            kairos.offers.exploration.epsilon = 0
            kairos.offers.exploration.cold-start = 0
            kairos.tracking.secret = "route-tests-tracking-secret-0123456789abcdef"
            kairos.tracking.allowed-redirect-hosts = "shop.example"
            kairos.tracking.public-base-url = "https://t.shop.example"
            """
                    .formatted(MODELS_DIR));

    final HttpSettings settings = HttpSettings.fromConfig(CONFIG);
    final ApiKeys keys = ApiKeys.fromSettings(settings);
    private final ShopperSettings shopperSettings = ShopperSettings.fromConfig(CONFIG.getConfig("kairos.shopper"));
    final OfferSettings offerSettings = OfferSettings.fromConfig(CONFIG.getConfig("kairos.offers"));
    final CampaignSettings campaignSettings = CampaignSettings.fromConfig(
            CONFIG.getConfig("kairos.campaign"),
            io.kairos.entity.EntitySettings.fromConfig(CONFIG.getConfig("kairos.entities"), "campaign"));
    final TrackingSettings trackingSettings = TrackingSettings.fromConfig(CONFIG);
    final TrackingTokens trackingTokens = new TrackingTokens(trackingSettings);
    private final akka.actor.ActorSystem system;
    private final Map<String, ActorRef<ShopperCommand>> entities = new ConcurrentHashMap<>();
    private final Map<String, ActorRef<CampaignEntity.Command>> campaigns = new ConcurrentHashMap<>();
    private final Map<String, ActorRef<OrderEntity.Command>> orders = new ConcurrentHashMap<>();
    private final Map<String, PriceLookup.SkuPrice> prices = new ConcurrentHashMap<>();
    private final LocalCampaignCatalogue catalogue = new LocalCampaignCatalogue();
    private final OfferServices services;
    private final LocalShopperStreams streams = new LocalShopperStreams();
    /** Listeners of SKU price changes, told by {@link #price}. */
    private final Set<Consumer<String>> priceListeners = ConcurrentHashMap.newKeySet();

    ShopperFixture(akka.actor.ActorSystem system) {
        this.system = system;
        var scoring = new OfferScoring(
                Optional::empty, Runnable::run, offerSettings.modelTimeout(), offerSettings.safeRule());
        var models = ModelServing.get(Adapter.toTyped(system));
        this.services =
                new OfferServices(offerSettings, catalogue, this::campaign, scoring, models::lifecycleModel, streams);
    }

    void price(String sku, String price, String floor) {
        prices.put(
                sku,
                new PriceLookup.SkuPrice(
                        new BigDecimal(price), BigDecimal.ZERO, floor == null ? null : new BigDecimal(floor)));
        priceListeners.forEach(l -> l.accept(sku));
    }

    private ActorRef<CampaignEntity.Command> campaign(String id) {
        return campaigns.computeIfAbsent(
                id,
                k -> Adapter.spawn(
                        system,
                        CampaignEntity.create(k, campaignSettings, catalogue, Clock.systemUTC()),
                        "campaign-" + URLEncoder.encode(k, StandardCharsets.UTF_8)));
    }

    private ActorRef<OrderEntity.Command> order(String id) {
        return orders.computeIfAbsent(
                id,
                k -> Adapter.spawn(
                        system,
                        OrderEntity.create(k, entitySettings("order"), this::entity),
                        "order-" + URLEncoder.encode(k, StandardCharsets.UTF_8)));
    }

    ActorSystem<Void> typed() {
        return Adapter.toTyped(system);
    }

    /** The shopper's entity, for commands no route sends (e.g. dispatch's delivery reports). */
    ActorRef<ShopperCommand> shopper(String id) {
        return entity(id);
    }

    private ActorRef<ShopperCommand> entity(String id) {
        return entities.computeIfAbsent(
                id,
                k -> Adapter.spawn(
                        system,
                        ShopperEntity.create(k, shopperSettings, entitySettings("shopper"), this::entity, services),
                        "shopper-" + URLEncoder.encode(k, StandardCharsets.UTF_8)));
    }

    /** Forecasts from the test journal's decisions, scored by the safe rule (no model is loaded here). */
    private CampaignForecasts forecasts(PersistenceTestKitReadJournal journal, Clock clock) {
        return new CampaignForecasts(
                new JournalDecisionLog(
                                typed(),
                                journal,
                                shopperSettings.projectionTags(),
                                t -> akka.persistence.query.Offset.noOffset(),
                                offerSettings.outcomeWindow(),
                                clock,
                                java.time.Duration.ofSeconds(10))
                        .withNoOfferDecisions(),
                () -> new LearningLoop.Champion(
                        "safe-rule@" + offerSettings.safeRule().version(),
                        offerSettings.safeRule().scorer()),
                offerSettings,
                clock,
                CampaignForecasts.ForecastSettings.fromConfig(
                        CONFIG.getConfig("kairos.offers.forecast"), campaignSettings.pacingInitialShare()),
                java.util.concurrent.ForkJoinPool.commonPool());
    }

    Route routes(Clock clock) {
        return routes(clock, Admission.UNLIMITED);
    }

    /** The routes with {@code admission} in front of the entities. */
    Route routes(Clock clock, Admission admission) {
        Function<String, EntityRef<ShopperCommand>> refs =
                id -> TestEntityRef.of(ShopperEntity.ENTITY_KEY, id, entity(id));
        Function<String, EntityRef<CampaignEntity.Command>> campaignRefs =
                id -> TestEntityRef.of(CampaignEntity.ENTITY_KEY, id, campaign(id));
        Function<String, EntityRef<OrderEntity.Command>> orderRefs =
                id -> TestEntityRef.of(OrderEntity.ENTITY_KEY, id, order(id));
        var journal = PersistenceQuery.get(system)
                .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
        var readSide = new JournalReadSide(typed(), journal, shopperSettings.projectionTags());
        var ctx = new RouteContext(keys, settings, clock, admission);
        var offerViews = new OfferViews(
                id -> catalogue.get(id).map(CampaignView::definition), CONFIG.getString("kairos.currency"));
        var priceSource = PriceSource.of(sku -> Optional.ofNullable(prices.get(sku)));
        var stream = new ShopperStreamRoutes(
                refs,
                streams,
                listener -> {
                    priceListeners.add(listener);
                    return () -> priceListeners.remove(listener);
                },
                priceSource,
                offerViews,
                (pid, from) -> journal.currentEventsByPersistenceId(pid, from, Long.MAX_VALUE),
                typed(),
                ctx);
        return new ApiRoutes(
                        settings,
                        new io.kairos.http.offer.ExplanationRoutes(refs, readSide, offerViews, ctx).routes(),
                        new io.kairos.http.shopper.ExportRoutes(
                                        refs,
                                        offerViews,
                                        pid -> journal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                                                .map(env -> writtenAt(env, clock)),
                                        readSide,
                                        typed(),
                                        ctx)
                                .routes(),
                        ShopperApi.routes(
                                refs, LiveWallets.get(typed()), orderRefs, offerViews, priceSource, stream, ctx),
                        new CampaignRoutes(
                                        campaignRefs,
                                        catalogue,
                                        readSide::outcomes,
                                        readSide::funnel,
                                        forecasts(journal, clock)::forecast,
                                        campaignSettings.defaultMarginRate(),
                                        ctx)
                                .routes(),
                        new AuditRoutes(
                                        pid -> journal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                                                .map(env -> writtenAt(env, clock)),
                                        new ShopperReplay(shopperSettings, typed()),
                                        typed(),
                                        ctx)
                                .routes(),
                        new io.kairos.http.audit.EntityStateRoutes(
                                        pid -> journal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                                                .map(env -> writtenAt(env, clock)),
                                        io.kairos.pricing.PricingSettings.create(typed()),
                                        typed(),
                                        ctx)
                                .routes(),
                        new io.kairos.http.campaign.BurnRoutes(
                                        pid -> journal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE),
                                        campaignSettings.pacingInitialShare(),
                                        typed(),
                                        ctx)
                                .routes(),
                        new io.kairos.http.console.LiveRoutes(ctx).routes(),
                        DecisionAuditRoutes.offersOnly(
                                        readSide,
                                        d -> ModelServing.get(typed())
                                                .replay(
                                                        d,
                                                        id -> catalogue.get(id).map(CampaignView::definition),
                                                        offerSettings),
                                        ctx)
                                .routes(),
                        new ModelRoutes(
                                        ModelServing.get(typed()),
                                        (excluded, actor) -> CompletableFuture.completedFuture(
                                                new Learning.RunAccepted(false, "no learning loop in this fixture")),
                                        ctx)
                                .routes())
                .withPublic(new TrackingRoutes(
                                refs,
                                trackingTokens,
                                trackingSettings,
                                clock,
                                new io.kairos.privacy.MemoryPersonKeys(io.kairos.privacy.Seals.create(typed())))
                        .routes())
                .withPublic(new io.kairos.http.console.ConsoleRoutes(ctx, false).routes())
                .routes();
    }

    /**
     * The in-memory journal keeps no write times (its serialized storage drops them): audits see every event as written
     * at the route clock's now, as the routes that took the requests saw it.
     */
    private static EventEnvelope writtenAt(EventEnvelope env, Clock clock) {
        if (env.timestamp() != 0) return env;
        return EventEnvelope.apply(
                env.offset(), env.persistenceId(), env.sequenceNr(), env.event(), clock.millis(), env.eventMetadata());
    }

    private static io.kairos.entity.EntitySettings entitySettings(String type) {
        return io.kairos.entity.EntitySettings.fromConfig(CONFIG.getConfig("kairos.entities"), type);
    }

    static Duration awaitDuration() {
        return Duration.ofSeconds(5);
    }
}

package io.kairos.http.price;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import akka.http.javadsl.server.Route;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import com.typesafe.config.Config;
import io.kairos.http.ApiKeys;
import io.kairos.http.ApiRoutes;
import io.kairos.http.HttpSettings;
import io.kairos.http.RouteContext;
import io.kairos.http.RouteTestConfig;
import io.kairos.pricing.DemandPriors;
import io.kairos.pricing.PriceView;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.pricing.catalog.MemorySkuCatalog;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Real SKU pricing entities on the in-memory persistence test kit, reached through {@code TestEntityRef}s instead of
 * sharding, publishing to the node's real {@link PriceView}, behind the production routes. The entities may run with
 * other settings than the routes ({@code entitySettings}), as during a rolling configuration change. Keys:
 * {@code ingest-key}, {@code operator-key}, {@code auditor-key}, {@code admin-key1}.
 */
final class PricingFixture {
    /** The price view needs the cluster provider (Distributed Data); the node never joins, reads stay local. */
    static final Config CONFIG = RouteTestConfig.with(
            """
            akka.actor.provider = cluster
            akka.remote.artery.canonical.hostname = 127.0.0.1
            akka.remote.artery.canonical.port = 0
            akka.loglevel = WARNING
            kairos.pricing.reprice-timer.enabled = off
            """);

    final HttpSettings settings = HttpSettings.fromConfig(CONFIG);
    final ApiKeys keys = ApiKeys.fromSettings(settings);
    final PricingSettings pricing = PricingSettings.fromConfig(CONFIG);
    private final PricingSettings entitySettings;
    private final akka.actor.ActorSystem system;
    private final Clock clock;
    /** The catalogue, in memory: SKUs imported here sell at their list price unless a pricing actor prices them. */
    final MemorySkuCatalog catalog;

    private final Map<String, ActorRef<SkuCommand>> entities = new ConcurrentHashMap<>();

    PricingFixture(akka.actor.ActorSystem system, Clock clock, PricingSettings entitySettings) {
        this.system = system;
        this.clock = clock;
        this.entitySettings = entitySettings;
        this.catalog = new MemorySkuCatalog(view(), clock);
    }

    ActorSystem<Void> typed() {
        return Adapter.toTyped(system);
    }

    PriceView view() {
        return PriceView.get(typed());
    }

    private ActorRef<SkuCommand> entity(String sku) {
        return entities.computeIfAbsent(
                sku,
                k -> Adapter.spawn(
                        system,
                        SkuPricingEntity.create(
                                k,
                                SkuPricingEntity.tagFor(k, entitySettings.tags()),
                                new SkuPricingEntity.Env(
                                        entitySettings,
                                        clock,
                                        DemandPriors.constant(entitySettings.defaultPrior()),
                                        view(),
                                        Optional.empty())),
                        "sku-" + URLEncoder.encode(k, StandardCharsets.UTF_8)));
    }

    Function<String, EntityRef<SkuCommand>> refs() {
        return sku -> TestEntityRef.of(SkuPricingEntity.ENTITY_KEY, sku, entity(sku));
    }

    PriceDecisions decisions() {
        var readJournal = PersistenceQuery.get(system)
                .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
        return new PriceDecisions(
                refs(), readJournal::currentEventsByPersistenceId, pricing, settings.askTimeout(), typed());
    }

    Route routes() {
        return new ApiRoutes(
                        settings,
                        new PriceRoutes(catalog, new RouteContext(keys, settings, clock)).routes(),
                        new CatalogRoutes(catalog, pricing.currency(), new RouteContext(keys, settings, clock))
                                .routes(),
                        new SkuRoutes(
                                        refs(),
                                        catalog,
                                        pricing,
                                        sku -> view().hasRoomFor(
                                                        sku,
                                                        entitySettings.view().maxSkus()),
                                        new RouteContext(keys, settings, clock))
                                .routes(),
                        new io.kairos.http.audit.EntityStateRoutes(
                                        pid -> PersistenceQuery.get(system)
                                                .getReadJournalFor(
                                                        PersistenceTestKitReadJournal.class,
                                                        PersistenceTestKitReadJournal.Identifier())
                                                .currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE),
                                        pricing,
                                        typed(),
                                        new RouteContext(keys, settings, clock))
                                .routes())
                .routes();
    }
}

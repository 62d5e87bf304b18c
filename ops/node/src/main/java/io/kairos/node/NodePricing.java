package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import io.kairos.http.RouteContext;
import io.kairos.http.price.CatalogPrices;
import io.kairos.http.price.CatalogRoutes;
import io.kairos.http.price.PriceDecisions;
import io.kairos.http.price.PriceRoutes;
import io.kairos.http.price.SkuRoutes;
import io.kairos.modelserving.ModelServing;
import io.kairos.offer.PriceSource;
import io.kairos.pricing.DemandPriors;
import io.kairos.pricing.ModelDemandPriors;
import io.kairos.pricing.PriceView;
import io.kairos.pricing.PricingSettings;
import io.kairos.pricing.SkuCommand;
import io.kairos.pricing.SkuPricingEntity;
import io.kairos.pricing.catalog.SkuPrices;
import io.kairos.pricing.demand.DemandProjection;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pricing in a node: the SKU shards (with demand priors from the models registry), the node-local price view, the
 * catalogue (every SKU the shop sells, in Cassandra behind a cache), the demand projection over the shopper journal,
 * the {@code /v1/prices}, {@code /v1/skus} and {@code /v1/catalog/skus} routes, and the decision lookup the audit API
 * serves.
 *
 * @param routes {@code /v1/prices}, {@code /v1/skus} and {@code /v1/catalog/skus}, to mount under {@code /v1}
 * @param decisions finds a pricing decision by id ({@code price:<sku>:<seqNr>}) for {@code /v1/audit/decisions}
 * @param prices the prices checkout, orders and shopper prices use: dynamic prices, else list prices
 */
public record NodePricing(
        Route routes,
        PriceDecisions decisions,
        PriceSource prices,
        Function<Consumer<String>, AutoCloseable> priceChanges) {
    private static final Logger log = LoggerFactory.getLogger(NodePricing.class);

    /** Starts pricing on this node; call on every node after joining the cluster. */
    public static NodePricing init(ActorSystem<?> system, ModelServing models, RouteContext ctx) {
        var settings = PricingSettings.create(system);
        SkuPricingEntity.init(system, priors(models, settings));
        var view = PriceView.get(system);
        var catalog = SkuPrices.create(system, view);
        DemandProjection.init(system);

        var sharding = ClusterSharding.get(system);
        Function<String, EntityRef<SkuCommand>> skus = sku -> sharding.entityRefFor(SkuPricingEntity.ENTITY_KEY, sku);
        var journal = PersistenceQuery.get(system)
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, CassandraReadJournal.Identifier());
        var decisions = new PriceDecisions(
                skus,
                journal::currentEventsByPersistenceId,
                settings,
                ctx.settings().askTimeout(),
                system);
        var routes = Directives.concat(
                new PriceRoutes(catalog, ctx).routes(),
                new CatalogRoutes(catalog, settings.currency(), ctx).routes(),
                new SkuRoutes(
                                skus,
                                catalog,
                                settings,
                                sku -> view.hasRoomFor(sku, settings.view().maxSkus()),
                                ctx)
                        .routes());
        return new NodePricing(
                routes,
                decisions,
                new CatalogPrices(catalog),
                listener -> view.onChange(quote -> listener.accept(quote.sku())));
    }

    /** New SKUs start from the active demand model's elasticity when there is one, else from the configured prior. */
    static DemandPriors priors(ModelServing models, PricingSettings settings) {
        var priors = new ModelDemandPriors(models::active, settings.demandModel(), settings.defaultPrior());
        log.info("Demand prior of new SKUs: {}", priors.priorFor("", null).source());
        return priors;
    }
}

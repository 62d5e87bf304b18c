package io.kairos.shopper;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignSettings;
import io.kairos.campaign.CampaignSnapshot;
import io.kairos.campaign.LocalCampaignCatalogue;
import io.kairos.models.uplift.FixedUplift;
import io.kairos.models.uplift.LoggedDecision;
import io.kairos.models.uplift.UpliftScorer;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.PriceList;
import io.kairos.offer.PriceLookup;
import io.kairos.offer.TimedScorer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Real campaign and shopper entities on the in-memory journal (the persistence test kit), a local campaign catalogue, a
 * settable scorer (none = the safe rule) and a price list, for tests of the offer flows.
 */
final class OfferFixture implements AutoCloseable {
    static final ShopperSettings SHOPPER =
            ShopperSettings.fromConfig(ConfigFactory.load().getConfig("kairos.shopper"));
    static final io.kairos.entity.EntitySettings ENTITY =
            io.kairos.entity.EntitySettings.fromConfig(ConfigFactory.load().getConfig("kairos.entities"), "shopper");
    static final OfferSettings OFFERS =
            OfferSettings.fromConfig(ConfigFactory.load().getConfig("kairos.offers"));
    static final CampaignSettings CAMPAIGN = CampaignSettings.fromConfig(
            ConfigFactory.load().getConfig("kairos.campaign"),
            io.kairos.entity.EntitySettings.fromConfig(ConfigFactory.load().getConfig("kairos.entities"), "campaign"));

    final ActorTestKit testKit =
            ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    final LocalCampaignCatalogue catalogue = new LocalCampaignCatalogue();
    /**
     * Only campaigns whose id starts with this are visible to shoppers: tests sharing the fixture do not see each
     * other's.
     */
    final AtomicReference<String> scope = new AtomicReference<>("");

    final Map<String, ActorRef<CampaignEntity.Command>> campaigns = new ConcurrentHashMap<>();
    /**
     * Answers to reservations the campaigns still hold back, and for how long (a value per answer, used up in order;
     * {@link #NEVER}: the answer is lost). Empty: every answer comes at once.
     */
    final java.util.concurrent.ConcurrentLinkedQueue<Duration> lateAnswers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    static final Duration NEVER = Duration.ofDays(1);
    final Map<String, ActorRef<ShopperCommand>> shoppers = new ConcurrentHashMap<>();
    private final Map<String, PriceLookup.SkuPrice> prices = new ConcurrentHashMap<>();
    final AtomicReference<UpliftScorer> model = new AtomicReference<>();
    /**
     * The arm of a watched promotion the next decisions are drawn into (null: none watched; champion: the safe rule).
     */
    final AtomicReference<String> arm = new AtomicReference<>();

    final AtomicLong modelCalls = new AtomicLong();
    private final java.util.concurrent.ExecutorService modelThreads = Executors.newFixedThreadPool(2);
    final OfferServices services;

    OfferFixture() {
        this(OFFERS);
    }

    OfferFixture(OfferSettings settings) {
        Function<String, RecipientRef<CampaignEntity.Command>> refs = id -> campaigns.computeIfAbsent(
                id,
                k -> testKit.spawn(
                        lateReservations(
                                testKit.spawn(
                                        CampaignEntity.create(k, CAMPAIGN, catalogue, Clock.systemUTC()),
                                        "campaign-" + k),
                                lateAnswers),
                        "campaign-front-" + k));
        java.util.function.Supplier<Optional<UpliftScorer>> current =
                () -> Optional.ofNullable(model.get()).map(m -> new TimedScorer(m, modelCalls));
        var scoring = new OfferScoring(
                decisionId -> {
                    var a = arm.get();
                    if (a == null) return OfferScoring.Pick.of(current.get());
                    if (a.equals(LoggedDecision.CHAMPION))
                        return new OfferScoring.Pick(Optional.empty(), a, OfferScoring.CHAMPION_SAFE_RULE);
                    return new OfferScoring.Pick(current.get(), a, null);
                },
                modelThreads,
                settings.modelTimeout(),
                settings.safeRule());
        var scoped = new io.kairos.campaign.CampaignCatalogue() {
            @Override
            public void publish(io.kairos.campaign.CampaignView view) {
                catalogue.publish(view);
            }

            @Override
            public Optional<io.kairos.campaign.CampaignView> get(String campaignId) {
                return catalogue.get(campaignId);
            }

            @Override
            public List<io.kairos.campaign.CampaignView> all() {
                return catalogue.all().stream()
                        .filter(v -> v.campaignId().startsWith(scope.get()))
                        .toList();
            }
        };
        services = new OfferServices(settings, scoped, refs, scoring);
    }

    /**
     * In front of a campaign: forwards every command, but a reservation's answer comes after the next delay of
     * {@code late} (the campaign has reserved, its answer is late), or never.
     */
    private static Behavior<CampaignEntity.Command> lateReservations(
            ActorRef<CampaignEntity.Command> campaign, java.util.Queue<Duration> late) {
        return Behaviors.setup(ctx -> Behaviors.receiveMessage(command -> {
            var delay = command instanceof CampaignEntity.Reserve ? late.poll() : null;
            if (delay == null) {
                campaign.tell(command);
                return Behaviors.same();
            }
            var r = (CampaignEntity.Reserve) command;
            ActorRef<CampaignEntity.ReserveReply> holder =
                    ctx.spawnAnonymous(Behaviors.<CampaignEntity.ReserveReply>receive((c, reply) -> {
                        if (!delay.equals(NEVER)) c.scheduleOnce(delay, r.replyTo(), reply);
                        return Behaviors.same();
                    }));
            campaign.tell(new CampaignEntity.Reserve(r.offerId(), r.amount(), r.expiresAt(), r.at(), holder));
            return Behaviors.same();
        }));
    }

    /** A scorer whose uplift per campaign is given (p without offer 0.1, order value 50). */
    static UpliftScorer upliftByCampaign(Map<String, Double> uplift) {
        return new FixedUplift("test-uplift", "7", uplift, 0.0, 0.1, 50.0);
    }

    /** The prices set so far, as a request's price list. */
    PriceList prices() {
        return new PriceList(prices);
    }

    void price(String sku, String price, String floor) {
        prices.put(
                sku,
                new PriceLookup.SkuPrice(
                        new BigDecimal(price), BigDecimal.ZERO, floor == null ? null : new BigDecimal(floor)));
    }

    /** A catalogue SKU of {@code category} at {@code price}. */
    void catalogued(String sku, String price, String category) {
        var p = new BigDecimal(price);
        prices.put(sku, new PriceLookup.SkuPrice(p, BigDecimal.ZERO, null, p, p, "EUR", category));
    }

    RecipientRef<CampaignEntity.Command> campaign(String id) {
        return services.campaigns().apply(id);
    }

    CampaignSnapshot create(Campaign c) {
        var reply = ask(
                campaign(c.campaignId()),
                (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Create(c, c.startsAt(), "ops-1", r));
        return ((CampaignEntity.CampaignFound) reply).campaign();
    }

    CampaignSnapshot snapshot(String campaignId) {
        var reply = ask(
                campaign(campaignId),
                (ActorRef<CampaignEntity.CampaignReply> r) -> new CampaignEntity.Get(Instant.now(), r));
        return ((CampaignEntity.CampaignFound) reply).campaign();
    }

    /** A shopper entity spawned as a plain actor (for concurrency and identity links). */
    ActorRef<ShopperCommand> shopper(String id) {
        return shoppers.computeIfAbsent(
                id,
                k -> testKit.spawn(
                        ShopperEntity.create(k, SHOPPER, ENTITY, this::shopper, services),
                        "shopper-" + k.replace(':', '_')));
    }

    EventSourcedBehaviorTestKit<ShopperCommand, ShopperEvent, ShopperState> kit(String shopperId) {
        return EventSourcedBehaviorTestKit.create(
                testKit.system(), ShopperEntity.create(shopperId, SHOPPER, ENTITY, this::shopper, services));
    }

    <Req, Res> Res ask(RecipientRef<Req> to, akka.japi.function.Function<ActorRef<Res>, Req> message) {
        try {
            return AskPattern.ask(to, message, Duration.ofSeconds(10), testKit.scheduler())
                    .toCompletableFuture()
                    .get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Clock clock(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }

    @Override
    public void close() {
        modelThreads.shutdownNow();
        testKit.shutdownTestKit();
    }
}

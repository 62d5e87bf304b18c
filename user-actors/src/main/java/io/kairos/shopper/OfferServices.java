package io.kairos.shopper;

import akka.actor.typed.RecipientRef;
import io.kairos.campaign.CampaignCatalogue;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.LocalCampaignCatalogue;
import io.kairos.offer.OfferScoring;
import io.kairos.offer.OfferSettings;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a shopper actor needs to decide and redeem offers: the settings, the node-local campaign catalogue, the campaign
 * entities (to reserve and settle budget), the scorer (model or safe rule, off the actor thread), and the promoted
 * lifecycle model (P(alive) in the shopper's view; empty when none is promoted), and the streams live changes are
 * published to. Every supplier answers from memory: the actor calls them on its own thread. Prices are not among them:
 * each request carries its own {@code PriceList}.
 */
public record OfferServices(
        OfferSettings settings,
        CampaignCatalogue catalogue,
        Function<String, RecipientRef<CampaignEntity.Command>> campaigns,
        OfferScoring scoring,
        Supplier<Optional<LifecycleModel>> lifecycle,
        ShopperStreams streams) {

    /** Without a lifecycle model or live streams. */
    public OfferServices(
            OfferSettings settings,
            CampaignCatalogue catalogue,
            Function<String, RecipientRef<CampaignEntity.Command>> campaigns,
            OfferScoring scoring) {
        this(settings, catalogue, campaigns, scoring, Optional::empty, ShopperStreams.NONE);
    }

    /** Without live streams. */
    public OfferServices(
            OfferSettings settings,
            CampaignCatalogue catalogue,
            Function<String, RecipientRef<CampaignEntity.Command>> campaigns,
            OfferScoring scoring,
            Supplier<Optional<LifecycleModel>> lifecycle) {
        this(settings, catalogue, campaigns, scoring, lifecycle, ShopperStreams.NONE);
    }

    /** No campaigns: a shopper that records behaviour and never issues (tests of other features). */
    public static OfferServices without(OfferSettings settings) {
        return new OfferServices(
                settings,
                new LocalCampaignCatalogue(),
                id -> {
                    throw new IllegalStateException("no campaigns are wired");
                },
                new OfferScoring(Optional::empty, Runnable::run, settings.modelTimeout(), settings.safeRule()));
    }
}

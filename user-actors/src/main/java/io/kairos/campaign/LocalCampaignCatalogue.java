package io.kairos.campaign;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A catalogue held in this JVM only: the store behind {@link ReplicatedCampaignCatalogue} on every node, and the whole
 * catalogue where one JVM runs everything (unit tests, benchmarks). Keeps the highest version per campaign.
 */
public final class LocalCampaignCatalogue implements CampaignCatalogue {
    private final ConcurrentHashMap<String, CampaignView> views = new ConcurrentHashMap<>();

    @Override
    public void publish(CampaignView view) {
        views.merge(view.campaignId(), view, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    }

    @Override
    public Optional<CampaignView> get(String campaignId) {
        return Optional.ofNullable(views.get(campaignId));
    }

    @Override
    public List<CampaignView> all() {
        return List.copyOf(views.values());
    }
}

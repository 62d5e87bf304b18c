package io.kairos.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The node-local list of campaigns that shopper actors consult when they decide: reading it never asks a campaign
 * entity. Campaign entities {@link #publish} their view after every change of definition or status and when they start;
 * implementations keep, per campaign, the view with the highest version. Thread-safe.
 */
public interface CampaignCatalogue {

    void publish(CampaignView view);

    Optional<CampaignView> get(String campaignId);

    List<CampaignView> all();

    /**
     * The money {@code campaignId} has left to pay coupons with, where that is less than one of its coupons can cost;
     * null while it can pay any one of them, and for a campaign this node does not know.
     */
    default BigDecimal moneyLeft(String campaignId) {
        return get(campaignId).map(CampaignView::moneyLeft).orElse(null);
    }

    /** The campaigns issuing offers at {@code at}, ordered by id (so decisions see candidates in a stable order). */
    default List<CampaignView> issuingAt(Instant at) {
        return all().stream()
                .filter(v -> v.issuesAt(at))
                .sorted(java.util.Comparator.comparing(CampaignView::campaignId))
                .toList();
    }
}

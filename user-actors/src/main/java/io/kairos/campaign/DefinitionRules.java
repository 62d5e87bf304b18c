package io.kairos.campaign;

import io.kairos.campaign.CampaignEntity.CampaignFound;
import io.kairos.campaign.CampaignEntity.CampaignRejected;
import io.kairos.campaign.CampaignEntity.CampaignReply;
import io.kairos.campaign.CampaignEntity.CampaignUnknown;
import io.kairos.campaign.CampaignEntity.Create;
import io.kairos.campaign.CampaignEntity.Update;
import java.util.Optional;

/**
 * The rules of a campaign's definition, as an operator changes it: whether it may be created or updated. Pure: each
 * answers the reply that stands instead of the change (a refusal, or the campaign as it is), or nothing when the entity
 * is to persist the change.
 */
final class DefinitionRules {
    private DefinitionRules() {}

    static Optional<CampaignReply> create(CampaignState s, String campaignId, Create c) {
        if (!c.campaign().campaignId().equals(campaignId))
            return Optional.of(
                    new CampaignRejected(CampaignRejection.ID_MISMATCH, "campaign id does not match the entity"));
        if (!s.exists()) return Optional.empty();
        // Re-sending the same definition is idempotent; another one under the same id is a conflict.
        return Optional.of(
                s.definition().equals(c.campaign())
                        ? new CampaignFound(s.snapshot())
                        : new CampaignRejected(CampaignRejection.EXISTS, "campaign " + campaignId + " already exists"));
    }

    /**
     * A budget below what is reserved and spent is refused (with overbooking: below what is spent plus the reserved
     * share it counts, {@code spent + reserved ÷ overbooking}).
     */
    static Optional<CampaignReply> update(CampaignState s, String campaignId, Update c) {
        if (!s.exists()) return Optional.of(new CampaignUnknown(campaignId));
        var counted = s.definition().overbooking() == null
                ? s.reserved()
                : s.reserved().divide(s.definition().reservable(), 2, java.math.RoundingMode.UP);
        var committed = s.spent().add(counted);
        if (c.budget() != null && c.budget().compareTo(committed) < 0)
            return Optional.of(new CampaignRejected(
                    CampaignRejection.BUDGET_BELOW_COMMITTED,
                    "budget " + c.budget() + " is below what is reserved and spent (" + committed + ")"));
        return Optional.empty();
    }
}

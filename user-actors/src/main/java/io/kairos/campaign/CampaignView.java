package io.kairos.campaign;

import io.kairos.serialization.CborSerializable;
import java.time.Instant;

/**
 * What every node knows about a campaign without asking it: its definition and status, and whether its budget is
 * exhausted (less available than one coupon reserves), as of the campaign entity's event {@code version} (its sequence
 * number), so a replica never replaces a view by an older one. Decisions skip exhausted campaigns instead of asking
 * them; the flag is a hint (the campaign's own check at reservation is what holds the budget).
 */
public record CampaignView(Campaign definition, CampaignStatus status, boolean exhausted, long version)
        implements CborSerializable {

    public String campaignId() {
        return definition.campaignId();
    }

    /** Whether the campaign issues offers at {@code at}. */
    public boolean issuesAt(Instant at) {
        return status == CampaignStatus.ACTIVE && definition.runsAt(at);
    }
}

package io.kairos.campaign;

import io.kairos.wire.WireName;

/** Whether a campaign issues offers. A paused campaign keeps honouring the offers it already issued. */
public enum CampaignStatus implements WireName {
    ACTIVE,
    PAUSED
}

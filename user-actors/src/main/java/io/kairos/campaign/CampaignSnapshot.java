package io.kairos.campaign;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;

/** A campaign's definition and money as of a moment (the reply to {@link CampaignEntity.Get}). */
public record CampaignSnapshot(
        Campaign definition,
        CampaignStatus status,
        BigDecimal budget,
        BigDecimal reserved,
        BigDecimal spent,
        long issued,
        long redeemed,
        long returned,
        long released,
        int openEntries)
        implements CborSerializable {

    /** What new coupons may still reserve ({@link Campaign#available}). */
    public BigDecimal available() {
        return definition.available(budget, reserved, spent);
    }
}

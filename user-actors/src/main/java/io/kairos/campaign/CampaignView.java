package io.kairos.campaign;

import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What every node knows about a campaign without asking it: its definition and status, whether its budget is exhausted
 * (less available than one coupon reserves), and, once the money not yet spent is less than one coupon can cost, how
 * much is left ({@code moneyLeft}, {@code budget − spent}; null while any one coupon can still be paid), as of the
 * campaign entity's event {@code version} (its sequence number), so a replica never replaces a view by an older one.
 * Decisions skip exhausted campaigns instead of asking them; a shopper's price and a checkout quote leave out a coupon
 * that would take off more than the money left (with overbooking, more coupons are out than the budget can pay, and a
 * redemption beyond the budget is refused). Both are hints: the campaign's own checks at reservation and redemption are
 * what hold the budget.
 */
public record CampaignView(
        Campaign definition, CampaignStatus status, boolean exhausted, long version, BigDecimal moneyLeft)
        implements CborSerializable {

    /** A view whose campaign can still pay any one of its coupons. */
    public CampaignView(Campaign definition, CampaignStatus status, boolean exhausted, long version) {
        this(definition, status, exhausted, version, null);
    }

    public String campaignId() {
        return definition.campaignId();
    }

    /** Whether the campaign issues offers at {@code at}. */
    public boolean issuesAt(Instant at) {
        return status == CampaignStatus.ACTIVE && definition.runsAt(at);
    }
}

package io.kairos.campaign;

import java.math.BigDecimal;

/**
 * The money a campaign still has to pay its coupons with, where that is less than one of them can cost
 * ({@link CampaignView#moneyLeft}): what a shopper's price and a checkout quote check a coupon against, so that they do
 * not count a coupon whose redemption the campaign would refuse.
 */
@FunctionalInterface
public interface MoneyLeft {
    /** For a wallet with nothing to check (a guest's): every campaign can pay any one of its coupons. */
    MoneyLeft ANY = campaignId -> null;

    /** The money left, or null while {@code campaignId} can pay any one of its coupons (or is not known here). */
    BigDecimal of(String campaignId);
}

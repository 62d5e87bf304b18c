package io.kairos.shopper;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignCatalogue;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a guest (a shopper id Kairos has never seen) is shown: a preview of each in-app offer anyone may get, whatever
 * Kairos knows of them (campaigns issuing now, not exhausted, with no stage or tag condition). A preview is never
 * persisted, reserves nothing and cannot be redeemed: it has no coupon id and its status is {@code preview}. A
 * redeemable coupon needs a known shopper, which the shopper's first event makes; so a client that invents guest ids
 * gains nothing.
 */
final class Previews {
    private Previews() {}

    static List<Offer> of(CampaignCatalogue catalogue, Instant now) {
        return catalogue.issuingAt(now).stream()
                .filter(v -> !v.exhausted())
                .map(v -> v.definition())
                .filter(c -> !c.eligibility().personalised() && c.allows(Campaign.IN_APP))
                .map(c -> preview(c, now))
                .toList();
    }

    private static Offer preview(Campaign c, Instant now) {
        return new Offer(
                "preview-" + c.campaignId(),
                null,
                c.campaignId(),
                c.coupon(),
                OfferStatus.PREVIEW,
                now,
                c.offerExpiry(now),
                Campaign.IN_APP,
                null,
                BigDecimal.ZERO,
                null,
                null,
                null);
    }
}

package io.kairos.http.offer;

import io.kairos.campaign.Campaign;
import io.kairos.offer.Offer;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * How offers are shown to apps: each offer with what its campaign says about it (name, description, terms, currency),
 * read from the node-local campaign catalogue, so showing a wallet never asks a campaign.
 *
 * @param campaigns the campaign definitions this node knows
 * @param currency the shop's currency, for campaigns that name none
 */
public record OfferViews(Function<String, Optional<Campaign>> campaigns, String currency) {

    /** Offers without their campaign's display (what an audit shows). */
    public static final OfferViews PLAIN = new OfferViews(id -> Optional.empty(), null);

    /** The offer as of {@code now}. */
    public OfferBody body(Offer o, Instant now) {
        return body(o.asOf(now));
    }

    /** An offer whose status is already the one to show (e.g. from a shopper view taken at a given time). */
    public OfferBody body(Offer seen) {
        var campaign = campaigns.apply(seen.campaignId());
        return OfferBody.of(
                seen,
                campaign.map(Campaign::name).orElse(null),
                campaign.map(Campaign::display).orElse(Campaign.Display.NONE),
                currency);
    }
}

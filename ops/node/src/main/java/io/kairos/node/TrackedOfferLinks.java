package io.kairos.node;

import io.kairos.dispatch.TrackedLinks;
import io.kairos.offer.Offer;
import io.kairos.tracking.TrackingTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracked link dispatch puts into each message: a signed {@code /t/{token}} link ({@link TrackingTokens}) that
 * records a {@code message_click} for the shopper and offer, then redirects to the shop's landing page for the coupon
 * ({@code kairos.tracking.landing-url}, with {@code {couponId}}, {@code {offerId}} and {@code {campaignId}} replaced).
 * The link expires with the offer. A landing URL on a host the tracking settings do not allow gives no link (an empty
 * slot, logged) rather than a message that would lead to a 404.
 */
final class TrackedOfferLinks implements TrackedLinks {
    private static final Logger log = LoggerFactory.getLogger(TrackedOfferLinks.class);

    private final TrackingTokens tokens;
    private final String landingUrl;
    // Checked once here: a landing URL whose host is not allowed gives every message an empty slot, logged at start.
    private final boolean landingAllowed;

    TrackedOfferLinks(TrackingTokens tokens, String landingUrl) {
        this.tokens = tokens;
        this.landingUrl = landingUrl;
        this.landingAllowed = allowed(tokens, landingUrl);
    }

    private static boolean allowed(TrackingTokens tokens, String landingUrl) {
        try {
            var sample = URI.create(landingUrl
                    .replace("{couponId}", "c")
                    .replace("{offerId}", "o")
                    .replace("{campaignId}", "k"));
            if (tokens.allowed(sample)) return true;
            log.warn(
                    "Messages carry no tracked link: the host of kairos.tracking.landing-url ({}) is not in "
                            + "kairos.tracking.allowed-redirect-hosts",
                    sample.getHost());
        } catch (IllegalArgumentException e) {
            log.warn("Messages carry no tracked link: kairos.tracking.landing-url is not a URL ({})", e.getMessage());
        }
        return false;
    }

    @Override
    public String linkFor(Offer offer, String whom, boolean pseudonym, String channel) {
        if (!landingAllowed) return "";
        try {
            var target = URI.create(landingUrl
                    .replace("{couponId}", encode(offer.couponId()))
                    .replace("{offerId}", encode(offer.offerId()))
                    .replace("{campaignId}", encode(offer.campaignId())));
            return tokens.url(new TrackingTokens.Link(
                    whom,
                    offer.offerId(),
                    offer.couponId(),
                    channel,
                    TrackingTokens.Kind.CLICK,
                    target,
                    offer.expiresAt(),
                    pseudonym));
        } catch (IllegalArgumentException e) {
            log.warn("No tracked link for offer {}: {}", offer.offerId(), e.getMessage());
            return "";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferStatus;
import io.kairos.tracking.TrackingSettings;
import io.kairos.tracking.TrackingTokens;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackedOfferLinksTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final TrackingTokens TOKENS = new TrackingTokens(new TrackingSettings(
            "a-test-secret-of-more-than-32-characters!",
            List.of(),
            List.of("shop.example"),
            URI.create("https://t.shop.example"),
            Duration.ofSeconds(1),
            Duration.ofMinutes(10)));

    private static Offer offer() {
        var coupon = new Coupon(CouponType.AMOUNT_OFF, new BigDecimal("5"), null, null, List.of(), List.of(), null);
        return new Offer(
                "o-1",
                "CPN-1",
                "winter",
                coupon,
                OfferStatus.ISSUED,
                NOW,
                NOW.plus(Duration.ofDays(7)),
                "email",
                "d-1",
                new BigDecimal("5"),
                null,
                null,
                null);
    }

    @Test
    void aMessageLinkIsASignedClickLinkToTheCouponsLandingPageThatExpiresWithTheOffer() {
        var links = new TrackedOfferLinks(TOKENS, "https://shop.example/coupons/{couponId}?c={campaignId}");

        var url = links.linkFor(offer(), "alice", false, "email");

        assertThat(url).startsWith("https://t.shop.example/t/");
        var link = TOKENS.verify(url.substring(url.lastIndexOf('/') + 1), NOW).orElseThrow();
        assertThat(link.shopperId()).isEqualTo("alice");
        assertThat(link.offerId()).isEqualTo("o-1");
        assertThat(link.couponId()).isEqualTo("CPN-1");
        assertThat(link.channel()).isEqualTo("email");
        assertThat(link.kind()).isEqualTo(TrackingTokens.Kind.CLICK);
        assertThat(link.target()).isEqualTo(URI.create("https://shop.example/coupons/CPN-1?c=winter"));
        assertThat(TOKENS.verify(url.substring(url.lastIndexOf('/') + 1), NOW.plus(Duration.ofDays(8))))
                .isEmpty();
    }

    @Test
    void aLandingPageOnAHostThatIsNotAllowedGivesNoLink() {
        assertThat(new TrackedOfferLinks(TOKENS, "https://evil.example/{couponId}")
                        .linkFor(offer(), "alice", false, "email"))
                .isEmpty();
    }
}

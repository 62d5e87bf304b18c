package io.kairos.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.kairos.tracking.TrackingTokens.Kind;
import io.kairos.tracking.TrackingTokens.Link;
import io.kairos.tracking.TrackingTokens.Rejected;
import io.kairos.tracking.TrackingTokens.Rejection;
import io.kairos.tracking.TrackingTokens.Valid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackingTokensTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String OTHER = "fedcba9876543210fedcba9876543210-other";
    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final Link LINK = new Link(
            "s-1",
            "o-1",
            "c-1",
            "email",
            Kind.CLICK,
            URI.create("https://shop.example/p/42?utm=x"),
            NOW.plus(Duration.ofDays(7)),
            false);

    static TrackingTokens tokens(String secret, List<String> previous, List<String> hosts) {
        return new TrackingTokens(new TrackingSettings(
                secret,
                previous,
                hosts,
                URI.create("https://t.shop.example"),
                Duration.ofSeconds(1),
                Duration.ofMinutes(10)));
    }

    final TrackingTokens tokens = tokens(SECRET, List.of(), List.of("shop.example"));

    static Rejection reason(TrackingTokens t, String token, Instant now) {
        assertThat(t.check(token, now)).isInstanceOf(Rejected.class);
        return ((Rejected) t.check(token, now)).reason();
    }

    @Test
    void aMintedTokenVerifiesToTheSameLink() {
        var token = tokens.mint(LINK);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]{43}");
        assertThat(tokens.verify(token, NOW)).contains(LINK);
        assertThat(tokens.url(LINK)).isEqualTo("https://t.shop.example/t/" + token);
    }

    @Test
    void aLinkThatNamesThePersonByPseudonymSaysSoAndOneByShopperIdDoesNot() {
        var named = new Link(
                "Xq3vN0aZ8kLm2Pq7Rs9tUw",
                "o-1",
                "c-1",
                "email",
                Kind.CLICK,
                URI.create("https://shop.example/p/42"),
                NOW.plus(Duration.ofDays(7)),
                true);
        var token = tokens.mint(named);
        assertThat(tokens.verify(token, NOW)).contains(named);
        assertThat(tokens.verify(tokens.mint(LINK), NOW).orElseThrow().pseudonym())
                .isFalse();
        // the two kinds are different tokens for the same ids: one cannot stand for the other
        var asShopperId = new Link(
                named.shopperId(), "o-1", "c-1", "email", Kind.CLICK, named.target(), named.expiresAt(), false);
        assertThat(tokens.mint(asShopperId)).isNotEqualTo(token);
    }

    @Test
    void changingAnyCharacterOfTheTokenBreaksIt() {
        var token = tokens.mint(LINK);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            var tampered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThat(tokens.verify(tampered, NOW)).as("changed at %d", i).isEmpty();
        }
    }

    @Test
    void aForgedPayloadWithTheOriginalSignatureIsRefused() {
        var parts = tokens.mint(LINK).split("\\.");
        var forged = "1\ns-2\no-1\nc-1\nemail\nclick\n"
                + NOW.plus(Duration.ofDays(7)).getEpochSecond() + "\nhttps://shop.example/p/42?utm=x";
        var payload = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8));
        assertThat(reason(tokens, payload + "." + parts[1] + "." + parts[2], NOW))
                .isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void truncatedOrMalformedTokensAreRefused() {
        var token = tokens.mint(LINK);
        assertThat(reason(tokens, token.substring(0, token.length() - 1), NOW)).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(reason(tokens, token.substring(0, token.lastIndexOf('.')), NOW))
                .isEqualTo(Rejection.MALFORMED);
        assertThat(reason(tokens, token + "=", NOW)).isEqualTo(Rejection.MALFORMED);
        assertThat(reason(tokens, "", NOW)).isEqualTo(Rejection.MALFORMED);
        assertThat(reason(tokens, "a.b.c.d", NOW)).isEqualTo(Rejection.MALFORMED);
        assertThat(reason(tokens, "x".repeat(TrackingTokens.MAX_TOKEN_CHARS + 1), NOW))
                .isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void aTokenOfAnotherSecretIsRefusedAndPreviousSecretsStillVerify() {
        var foreign = tokens(OTHER, List.of(), List.of("shop.example")).mint(LINK);
        assertThat(reason(tokens, foreign, NOW)).isEqualTo(Rejection.UNKNOWN_KEY);
        // The other key's id with this key's MAC is still no valid token.
        var parts = foreign.split("\\.");
        var mine = tokens.mint(LINK).split("\\.");
        assertThat(reason(tokens, parts[0] + "." + mine[1] + "." + parts[2], NOW))
                .isEqualTo(Rejection.BAD_SIGNATURE);

        var rotated = tokens(OTHER, List.of(SECRET), List.of("shop.example"));
        assertThat(rotated.verify(tokens.mint(LINK), NOW)).contains(LINK);
        assertThat(rotated.mint(LINK)).isNotEqualTo(tokens.mint(LINK));
        assertThat(tokens.verify(rotated.mint(LINK), NOW)).isEmpty();
    }

    @Test
    void aTokenIsRefusedFromItsExpiryOn() {
        var token = tokens.mint(LINK);
        assertThat(tokens.verify(token, LINK.expiresAt().minusSeconds(1))).contains(LINK);
        assertThat(reason(tokens, token, LINK.expiresAt())).isEqualTo(Rejection.EXPIRED);
        assertThat(reason(tokens, token, LINK.expiresAt().plus(Duration.ofDays(1))))
                .isEqualTo(Rejection.EXPIRED);
    }

    @Test
    void onlyAllowedHostsAreTargetsWhenMintingAndWhenVerifying() {
        for (var target : List.of(
                "https://evil.example/",
                "https://shop.example.evil.example/",
                "https://user@shop.example/",
                "javascript:alert(1)",
                "//shop.example/x",
                "/relative",
                "ftp://shop.example/")) {
            var link = new Link("s-1", "o-1", "c-1", "email", Kind.CLICK, URI.create(target), LINK.expiresAt(), false);
            assertThatThrownBy(() -> tokens.mint(link)).as(target).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(tokens.verify(
                        tokens.mint(new Link(
                                "s-1",
                                "o-1",
                                "c-1",
                                "email",
                                Kind.OPEN,
                                URI.create("http://SHOP.example/"),
                                LINK.expiresAt(),
                                false)),
                        NOW))
                .isPresent();
        // Same secret, the host removed from the list since the link was minted: no redirect there any more.
        var narrowed = tokens(SECRET, List.of(), List.of("other.example"));
        assertThat(reason(narrowed, tokens.mint(LINK), NOW)).isEqualTo(Rejection.TARGET_NOT_ALLOWED);
    }

    @Test
    void idsAreValidatedWhenMinting() {
        var bad = new Link("s 1", "o-1", "c-1", "email", Kind.CLICK, LINK.target(), LINK.expiresAt(), false);
        assertThatThrownBy(() -> tokens.mint(bad)).isInstanceOf(IllegalArgumentException.class);
        var newline = new Link("s-1", "o-1\nx", "c-1", "email", Kind.CLICK, LINK.target(), LINK.expiresAt(), false);
        assertThatThrownBy(() -> tokens.mint(newline)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensOfDifferentLinksDifferAndTheirDigestsToo() {
        var seen = new HashSet<String>();
        var digests = new HashSet<String>();
        for (int i = 0; i < 50; i++) {
            var t = tokens.mint(
                    new Link("s-" + i, "o-1", "c-1", "email", Kind.CLICK, LINK.target(), LINK.expiresAt(), false));
            seen.add(t);
            digests.add(TrackingTokens.digest(t));
        }
        assertThat(seen).hasSize(50);
        assertThat(digests).hasSize(50).allMatch(d -> d.matches("[A-Za-z0-9_-]{22}"));
        assertThat(tokens.check(tokens.mint(LINK), NOW)).isInstanceOf(Valid.class);
    }

    @Test
    void productionRefusesToStartWithoutASecretAndDevUsesTheMarkedOne() {
        var production = ConfigFactory.parseString("kairos.mode = production").withFallback(ConfigFactory.load());
        assertThatThrownBy(() -> TrackingSettings.fromConfig(production))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KAIROS_TRACKING_SECRET");
        var shortSecret =
                ConfigFactory.parseString("kairos.tracking.secret = short").withFallback(production);
        assertThatThrownBy(() -> TrackingSettings.fromConfig(shortSecret)).isInstanceOf(IllegalArgumentException.class);
        var dev = TrackingSettings.fromConfig(
                ConfigFactory.parseString("kairos.mode = dev").withFallback(ConfigFactory.load()));
        assertThat(dev.secret()).isEqualTo(TrackingSettings.DEV_SECRET);
        assertThat(dev.allowedRedirectHosts()).containsExactly("localhost", "127.0.0.1");
        var configured = TrackingSettings.fromConfig(ConfigFactory.parseString(
                        """
        kairos.mode = production
        kairos.tracking.secret = "%s"
        kairos.tracking.previous-secrets = "%s"
        kairos.tracking.allowed-redirect-hosts = "Shop.example, m.shop.example"
        """
                                .formatted(SECRET, OTHER))
                .withFallback(ConfigFactory.load()));
        assertThat(configured.allowedRedirectHosts()).containsExactly("shop.example", "m.shop.example");
        assertThat(new TrackingTokens(configured).keyIds()).hasSize(2);
        var relativeBase = ConfigFactory.parseString("kairos.tracking.public-base-url = \"/t\"")
                .withFallback(configuredConfig(SECRET));
        assertThatThrownBy(() -> TrackingSettings.fromConfig(relativeBase))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static com.typesafe.config.Config configuredConfig(String secret) {
        return ConfigFactory.parseString("kairos.mode = production\nkairos.tracking.secret = \"" + secret + "\"")
                .withFallback(ConfigFactory.load());
    }
}

package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kairos.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    private static final String SECRET = "a-console-secret-of-at-least-32-chars";
    private static final String KEYS =
            "operator=operator-key-1;id=op-1,auditor=auditor-key-1;id=au-1;expires=2026-12-01T12:00:00Z,"
                    + "ingest=ingest-key-1";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T08:00:00Z"));

    private ApiKeys keys(String spec) {
        return ApiKeys.parse(spec, clock).withConsole(SECRET, Duration.ofHours(8));
    }

    @Test
    void aSessionLastsItsLifetimeAndNoLonger() {
        var keys = keys(KEYS);
        var cookie = keys.console().open(keys.lookup("operator-key-1").orElseThrow());
        var session = keys.console().verify(cookie).orElseThrow();
        assertThat(session.keyId()).isEqualTo("op-1");
        assertThat(session.role()).isEqualTo(Role.OPERATOR);
        assertThat(session.expires()).isEqualTo(Instant.parse("2026-12-01T16:00:00Z"));
        clock.advance(Duration.ofHours(8).minusSeconds(1));
        assertThat(keys.console().verify(cookie)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.console().verify(cookie)).isEmpty();
    }

    @Test
    void aSessionEndsNoLaterThanItsKey() {
        var keys = keys(KEYS);
        var cookie = keys.console().open(keys.lookup("auditor-key-1").orElseThrow());
        assertThat(keys.console().verify(cookie).orElseThrow().expires())
                .isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
        clock.advance(Duration.ofHours(4));
        assertThat(keys.console().verify(cookie)).isEmpty();
    }

    @Test
    void aRemovedKeyOrAnotherSecretEndsEverySessionOpenedWithIt() {
        var keys = keys(KEYS);
        var cookie = keys.console().open(keys.lookup("operator-key-1").orElseThrow());
        var withoutIt = keys("auditor=auditor-key-1;id=au-1,ingest=ingest-key-1");
        assertThat(withoutIt.console().verify(cookie)).isEmpty();
        var otherSecret =
                ApiKeys.parse(KEYS, clock).withConsole("another-secret-of-at-least-32-chars!", Duration.ofHours(8));
        assertThat(otherSecret.console().verify(cookie)).isEmpty();
        // the same keys and secret on another node accept it
        assertThat(keys(KEYS).console().verify(cookie)).isPresent();
    }

    @Test
    void withoutASecretTheKeysAreTheSecret() {
        var a = ApiKeys.parse(KEYS, clock);
        var cookie = a.console().open(a.lookup("operator-key-1").orElseThrow());
        assertThat(ApiKeys.parse(KEYS, clock).console().verify(cookie)).isPresent();
        var rotated = ApiKeys.parse(KEYS + ",operator=operator-key-2", clock);
        assertThat(rotated.console().verify(cookie)).isEmpty();
    }

    @Test
    void ingestAndAdminKeysOpenNoSessionAndShortSecretsAreRefused() {
        var keys = keys(KEYS + ",admin=admin-key-1");
        assertThatThrownBy(() -> keys.console().open(keys.lookup("ingest-key-1").orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.console().open(keys.lookup("admin-key-1").orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parse(KEYS, clock).withConsole("short", Duration.ofHours(1)))
                .hasMessageContaining("32");
        assertThatThrownBy(() -> ApiKeys.parse(KEYS, clock).withConsole(SECRET, Duration.ofDays(2)))
                .hasMessageContaining("1 day");
    }

    /** A cookie signed as the node signs one: what a holder of the secret could make. */
    private static String signed(String payload, String secret) throws Exception {
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        var encoded = b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(ConsoleSessions.secret(secret, null), "HmacSHA256"));
        return encoded + "." + b64.encodeToString(mac.doFinal(("session|" + encoded).getBytes()));
    }

    @Test
    void aSignedSessionOfAnAdminKeyIsStillRefused() throws Exception {
        var keys = keys(KEYS + ",admin=admin-key-1;id=adm");
        long expires = clock.instant().plusSeconds(600).getEpochSecond();
        var forged = signed(
                "adm|admin|" + expires + "|bm9uY2U|" + keys.digestOf("adm").orElseThrow(), SECRET);
        assertThat(keys.console().verify(forged)).isEmpty();
        // the same making for an operator key is accepted: the refusal is the role's
        var operator = signed(
                "op-1|operator|" + expires + "|bm9uY2U|" + keys.digestOf("op-1").orElseThrow(), SECRET);
        assertThat(keys.console().verify(operator)).isPresent();
    }

    @Test
    void aNewKeyGivenAnOldKeysIdDoesNotInheritItsSessions() {
        var keys = keys(KEYS);
        var cookie = keys.console().open(keys.lookup("operator-key-1").orElseThrow());
        var replaced = keys(KEYS.replace("operator-key-1;id=op-1", "operator-key-9;id=op-1"));
        assertThat(replaced.console().verify(cookie)).isEmpty();
    }

    @Test
    void theCsrfTokenIsTheSessionsOwn() {
        var keys = keys(KEYS);
        var one = keys.console()
                .verify(keys.console().open(keys.lookup("operator-key-1").orElseThrow()))
                .orElseThrow();
        var two = keys.console()
                .verify(keys.console().open(keys.lookup("operator-key-1").orElseThrow()))
                .orElseThrow();
        assertThat(one.csrfToken()).isNotEqualTo(two.csrfToken());
        assertThat(ConsoleSessions.csrfMatches(one, java.util.Optional.of(one.csrfToken())))
                .isTrue();
        assertThat(ConsoleSessions.csrfMatches(one, java.util.Optional.of(two.csrfToken())))
                .isFalse();
        assertThat(ConsoleSessions.csrfMatches(one, java.util.Optional.empty())).isFalse();
    }
}

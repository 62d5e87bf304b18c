package io.kairos.http;

import io.kairos.wire.LowerCaseName;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator console's sessions: a cookie that names the API key a person logged in with (its id, never the key), its
 * role and its expiry, signed with HMAC-SHA256, and a CSRF token derived from it that the console sends back as
 * {@value #CSRF_HEADER} on every state-changing call. Nothing is stored on the server: every node that shares the
 * secret accepts the cookie, and a session ends at its expiry, when its key expires or is removed, or when the secret
 * changes. Only operator and auditor keys may log in (an admin key's powers stay out of browsers).
 */
public final class ConsoleSessions {
    /** The cookie over plain HTTP (dev). */
    public static final String COOKIE = "kairos_console";
    /**
     * The cookie when it is {@code Secure}: the {@code __Host-} prefix makes browsers refuse it unless it was set by
     * this host over HTTPS with {@code Path=/} and no {@code Domain}, so a sibling host cannot plant or widen one.
     */
    public static final String SECURE_COOKIE = "__Host-" + COOKIE;

    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final Set<Role> ROLES = Set.of(Role.OPERATOR, Role.AUDITOR);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final ApiKeys keys;
    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** A verified session: who (the key's id), as what, until when, and the CSRF token it requires. */
    public record Session(String keyId, Role role, Instant expires, String csrfToken) {}

    /**
     * Sessions over {@code keys}, signed with {@code secret} (at least 32 bytes), each lasting {@code ttl} (at most a
     * day).
     */
    ConsoleSessions(ApiKeys keys, byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 32) throw new IllegalArgumentException("the console's session secret needs 32 bytes");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(1)) > 0)
            throw new IllegalArgumentException("the console's session lifetime must be above 0 and at most 1 day");
        this.keys = keys;
        this.secret = secret.clone();
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * The secret every node of a cluster derives alike: {@code configured} when set (at least 32 characters), else a
     * digest of the node's API keys (which only holders of every key can compute).
     */
    static byte[] secret(String configured, ApiKeys keys) {
        if (!configured.isBlank()) {
            if (configured.length() < 32)
                throw new IllegalArgumentException("KAIROS_CONSOLE_SECRET must have at least 32 characters");
            return ApiKeys.hash("kairos-console|" + configured).getBytes(StandardCharsets.US_ASCII);
        }
        return ApiKeys.hash("kairos-console|" + keys.fingerprint()).getBytes(StandardCharsets.US_ASCII);
    }

    /** The cookie value of a new session for {@code key} (an operator or auditor key that has not expired). */
    public String open(ApiKeys.Key key) {
        if (!ROLES.contains(key.role()) || key.expired())
            throw new IllegalArgumentException("only an operator or auditor key that has not expired opens a session");
        var expires = clock.instant().plus(ttl);
        if (key.expires() != null && key.expires().isBefore(expires)) expires = key.expires();
        var nonce = new byte[12];
        random.nextBytes(nonce);
        var payload = String.join(
                "|",
                key.id(),
                key.role().wireName(),
                Long.toString(expires.getEpochSecond()),
                B64.encodeToString(nonce),
                keys.digestOf(key.id()).orElseThrow());
        var encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + B64.encodeToString(mac("session|" + encoded));
    }

    /** The session a cookie value stands for: empty when it is forged, expired, or its key is gone or expired. */
    public Optional<Session> verify(String cookie) {
        int dot = cookie.indexOf('.');
        if (dot <= 0 || dot != cookie.lastIndexOf('.')) return Optional.empty();
        var encoded = cookie.substring(0, dot);
        byte[] signature;
        String[] parts;
        try {
            signature = UNB64.decode(cookie.substring(dot + 1));
            parts = new String(UNB64.decode(encoded), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, mac("session|" + encoded)) || parts.length != 5) return Optional.empty();
        long seconds;
        try {
            seconds = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        var expires = Instant.ofEpochSecond(seconds);
        if (!clock.instant().isBefore(expires)) return Optional.empty();
        var role = LowerCaseName.find(Role.class, parts[1]);
        var key = keys.byId(parts[0]);
        // only the roles that may log in, and only the key it was opened with (not a new key given the same id)
        if (role.isEmpty()
                || !ROLES.contains(role.get())
                || key.isEmpty()
                || key.get().expired()
                || key.get().role() != role.get()
                || !keys.digestOf(parts[0]).orElseThrow().equals(parts[4])) return Optional.empty();
        return Optional.of(new Session(parts[0], role.get(), expires, B64.encodeToString(mac("csrf|" + encoded))));
    }

    /** Whether {@code presented} is the session's CSRF token (compared in constant time). */
    public static boolean csrfMatches(Session session, Optional<String> presented) {
        return presented.isPresent()
                && MessageDigest.isEqual(
                        session.csrfToken().getBytes(StandardCharsets.UTF_8),
                        presented.get().getBytes(StandardCharsets.UTF_8));
    }

    /** The whole seconds {@code session} has left (at least 1), for the cookie's {@code Max-Age}. */
    public long secondsLeft(Session session) {
        return Math.max(1, session.expires().getEpochSecond() - clock.instant().getEpochSecond());
    }

    private byte[] mac(String text) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
        }
    }
}

package io.kairos.tracking;

import akka.actor.typed.ActorSystem;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the tokens of tracked links ({@code GET /t/{token}}): who the link was sent to, which offer and
 * coupon it is about, through which channel, whether it is an open or a click, where it leads and until when.
 *
 * <p>Format: {@code <payload>.<keyId>.<mac>}, all base64url without padding. The payload is the UTF-8 of the fields,
 * one a line; {@code mac} = HMAC-SHA256 under the key {@code keyId} names, over {@code "kairos-t1." + keyId + "." +
 * payload}. The key id is derived from the secret (a short hash), so rotation needs no ids in configuration: mint with
 * the current secret, keep the old one among the previous secrets until its links expired.
 *
 * <p>Invariants: a token verifies only if it was minted with one of the configured secrets and not changed since (the
 * MAC is compared in constant time, over the exact characters received); it is refused after its expiry; its target is
 * an absolute http(s) URL without user info whose host is one of the allowed redirect hosts, checked when minting and
 * again when verifying, so a leaked secret or a changed host list never turns a link into an open redirect. The payload
 * is signed, not encrypted: whoever holds a link can read its ids (they are the recipient's own; the person is named by
 * pseudonym in the links dispatch sends). Thread-safe and immutable.
 */
public final class TrackingTokens {

    /** What opening the link records: {@code message_open} or {@code message_click}. */
    public enum Kind {
        OPEN,
        CLICK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Kind> fromWire(String s) {
            for (var k : values()) if (k.wireName().equals(s)) return Optional.of(k);
            return Optional.empty();
        }
    }

    /**
     * One tracked link. Ids follow the API's id rules ({@code [A-Za-z0-9._:@-]}, 1–128 characters).
     *
     * @param target where the shopper is sent: an absolute http(s) URL on an allowed redirect host
     * @param expiresAt after this instant (second precision) the link is refused
     * @param pseudonym whether {@code shopperId} is the person's pseudonym (the links dispatch sends: they name nobody
     *     once the person is erased) rather than its shopper id
     */
    public record Link(
            String shopperId,
            String offerId,
            String couponId,
            String channel,
            Kind kind,
            URI target,
            Instant expiresAt,
            boolean pseudonym) {}

    /** Why a token was refused; never shown to the client (it only learns "invalid or expired link"). */
    public enum Rejection {
        MALFORMED,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        EXPIRED,
        TARGET_NOT_ALLOWED
    }

    /** The outcome of {@link #check}. */
    public sealed interface Check {}

    public record Valid(Link link) implements Check {}

    public record Rejected(Rejection reason) implements Check {}

    static final int MAX_TOKEN_CHARS = 2048;
    /** Version 1: the first field is a shopper id; version 2: a person's pseudonym ({@link Link#pseudonym}). */
    private static final String VERSION = "1";

    private static final String PSEUDONYM_VERSION = "2";
    private static final String DOMAIN = "kairos-t1.";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Pattern B64 = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String currentKeyId;
    private final Map<String, byte[]> keys;
    private final List<String> allowedHosts;
    private final URI publicBaseUrl;

    public TrackingTokens(TrackingSettings settings) {
        var all = new LinkedHashMap<String, byte[]>();
        this.currentKeyId = keyId(settings.secret());
        all.put(currentKeyId, settings.secret().getBytes(StandardCharsets.UTF_8));
        for (var previous : settings.previousSecrets())
            all.putIfAbsent(keyId(previous), previous.getBytes(StandardCharsets.UTF_8));
        this.keys = Map.copyOf(all);
        this.allowedHosts = settings.allowedRedirectHosts();
        this.publicBaseUrl = settings.publicBaseUrl();
    }

    public static TrackingTokens create(ActorSystem<?> system) {
        return new TrackingTokens(TrackingSettings.create(system));
    }

    /**
     * The token of a link, signed with the current secret.
     *
     * @throws IllegalArgumentException if an id is malformed, the target is not allowed or the expiry is missing
     */
    public String mint(Link link) {
        for (var id : new String[] {link.shopperId(), link.offerId(), link.couponId(), link.channel()}) {
            if (id == null || !ID.matcher(id).matches()) throw new IllegalArgumentException("not a valid id: " + id);
        }
        if (link.kind() == null || link.expiresAt() == null)
            throw new IllegalArgumentException("kind and expiresAt are required");
        if (link.target() == null || !allowed(link.target())) {
            throw new IllegalArgumentException(
                    "target must be an http(s) URL on an allowed redirect host: " + link.target());
        }
        var fields = String.join(
                "\n",
                link.pseudonym() ? PSEUDONYM_VERSION : VERSION,
                link.shopperId(),
                link.offerId(),
                link.couponId(),
                link.channel(),
                link.kind().wireName(),
                Long.toString(link.expiresAt().getEpochSecond()),
                link.target().toString());
        var payload = ENCODER.encodeToString(fields.getBytes(StandardCharsets.UTF_8));
        var token = payload + "." + currentKeyId + "." + mac(keys.get(currentKeyId), currentKeyId, payload);
        if (token.length() > MAX_TOKEN_CHARS)
            throw new IllegalArgumentException("the link is too long (target too long)");
        return token;
    }

    /** The whole link to put into a message: {@code <public-base-url>/t/<token>}. */
    public String url(Link link) {
        var base = publicBaseUrl.toString();
        return (base.endsWith("/") ? base : base + "/") + "t/" + mint(link);
    }

    /** The link a token stands for, if it is genuine, unexpired at {@code now} and leads to an allowed host. */
    public Optional<Link> verify(String token, Instant now) {
        return check(token, now) instanceof Valid v ? Optional.of(v.link()) : Optional.empty();
    }

    /** As {@link #verify}, saying why a token is refused (for logs and tests, never for the client). */
    public Check check(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) return new Rejected(Rejection.MALFORMED);
        var parts = token.split("\\.", -1);
        if (parts.length != 3
                || !B64.matcher(parts[0]).matches()
                || !B64.matcher(parts[1]).matches()
                || !B64.matcher(parts[2]).matches()) {
            return new Rejected(Rejection.MALFORMED);
        }
        var key = keys.get(parts[1]);
        if (key == null) return new Rejected(Rejection.UNKNOWN_KEY);
        // Compared as received text: a differently encoded MAC is a different token, not an alias of a valid one.
        var expected = mac(key, parts[1], parts[0]).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII)))
            return new Rejected(Rejection.BAD_SIGNATURE);
        var link = parse(parts[0]);
        if (link.isEmpty()) return new Rejected(Rejection.MALFORMED);
        if (!now.isBefore(link.get().expiresAt())) return new Rejected(Rejection.EXPIRED);
        if (!allowed(link.get().target())) return new Rejected(Rejection.TARGET_NOT_ALLOWED);
        return new Valid(link.get());
    }

    /** Whether {@code target} may be redirected to: absolute http(s), no user info, host on the allow list. */
    public boolean allowed(URI target) {
        if (!target.isAbsolute() || target.isOpaque() || target.getRawUserInfo() != null || target.getHost() == null)
            return false;
        var scheme = target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) return false;
        return allowedHosts.contains(target.getHost().toLowerCase(Locale.ROOT));
    }

    private static Optional<Link> parse(String payload) {
        try {
            var fields = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).split("\n", -1);
            if (fields.length != 8 || !(fields[0].equals(VERSION) || fields[0].equals(PSEUDONYM_VERSION)))
                return Optional.empty();
            var kind = Kind.fromWire(fields[5]);
            if (kind.isEmpty()) return Optional.empty();
            return Optional.of(new Link(
                    fields[1],
                    fields[2],
                    fields[3],
                    fields[4],
                    kind.get(),
                    new URI(fields[7]),
                    Instant.ofEpochSecond(Long.parseLong(fields[6])),
                    fields[0].equals(PSEUDONYM_VERSION)));
        } catch (IllegalArgumentException | URISyntaxException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String mac(byte[] key, String keyId, String payload) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ENCODER.encodeToString(
                    mac.doFinal((DOMAIN + keyId + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** 8 characters (48 bits) of a hash of the secret: names the key without revealing it. */
    static String keyId(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest(("kairos-tracking-key-id\0" + secret).getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A stable, unguessable digest of a token (22 base64url characters), e.g. to derive event ids from it. */
    public static String digest(String token) {
        try {
            var d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(java.util.Arrays.copyOf(d, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }
}

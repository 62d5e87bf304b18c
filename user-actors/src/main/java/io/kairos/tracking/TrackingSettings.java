package io.kairos.tracking;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kairos.tracking} configuration, read once at start.
 *
 * <p>Every node must verify links minted by any other node, so the secret is configuration, never per node: in
 * production a node refuses to start without {@code kairos.tracking.secret} (≥ 32 characters). Only in dev mode, and
 * only when it is unset, the fixed and public {@link #DEV_SECRET} is used (with a warning): links minted in dev are
 * forgeable by anyone who reads this file.
 *
 * @param secret the current key: mints and verifies
 * @param previousSecrets keys still accepted for verification (rotation: move the old secret here, keep it for the
 *     links' lifetime)
 * @param allowedRedirectHosts hosts a link may send shoppers to (exact, case-insensitive); nothing else is ever a
 *     target
 * @param publicBaseUrl where {@code GET /t/{token}} is reached from the outside, for whole links in messages
 * @param recordTimeout how long a click waits for its event to be durable before redirecting anyway
 * @param dedupWindow repeated uses of one link within one window of this length record one event
 */
public record TrackingSettings(
        String secret,
        List<String> previousSecrets,
        List<String> allowedRedirectHosts,
        URI publicBaseUrl,
        Duration recordTimeout,
        Duration dedupWindow) {

    /** Used only in dev mode when no secret is configured. Public, hence worthless for security. */
    public static final String DEV_SECRET = "kairos-dev-tracking-secret-PUBLIC-do-not-use-in-production";

    static final int MIN_SECRET_LENGTH = 32;
    private static final Logger log = LoggerFactory.getLogger(TrackingSettings.class);

    public TrackingSettings {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "kairos.tracking.secret (KAIROS_TRACKING_SECRET) must be set to at least " + MIN_SECRET_LENGTH
                            + " characters: every node signs and verifies tracking links with it");
        }
        previousSecrets = List.copyOf(previousSecrets);
        allowedRedirectHosts = allowedRedirectHosts.stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .toList();
        if (!publicBaseUrl.isAbsolute()
                || !("https".equals(publicBaseUrl.getScheme()) || "http".equals(publicBaseUrl.getScheme()))) {
            throw new IllegalArgumentException(
                    "kairos.tracking.public-base-url must be an absolute http(s) URL: " + publicBaseUrl);
        }
        if (recordTimeout.isNegative() || recordTimeout.isZero() || dedupWindow.toSeconds() < 1) {
            throw new IllegalArgumentException("kairos.tracking: record-timeout must be > 0 and dedup-window ≥ 1s");
        }
    }

    public static TrackingSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config());
    }

    /** From the root config: {@code kairos.tracking}, and {@code kairos.mode} (dev or production) when present. */
    public static TrackingSettings fromConfig(Config root) {
        var c = root.getConfig("kairos.tracking");
        boolean dev = root.hasPath("kairos.mode") && "dev".equals(root.getString("kairos.mode"));
        var secret = c.getString("secret");
        var hosts = csv(c.getString("allowed-redirect-hosts"));
        if (dev && secret.isEmpty()) {
            log.warn(
                    "kairos.tracking.secret is unset: using the public dev secret; tracking links are forgeable (dev mode only)");
            secret = DEV_SECRET;
        }
        if (dev && hosts.isEmpty()) hosts = List.of("localhost", "127.0.0.1");
        if (hosts.isEmpty())
            log.warn(
                    "kairos.tracking.allowed-redirect-hosts is empty: no tracked link can be minted (KAIROS_TRACKING_ALLOWED_HOSTS)");
        return new TrackingSettings(
                secret,
                csv(c.getString("previous-secrets")),
                hosts,
                URI.create(c.getString("public-base-url")),
                c.getDuration("record-timeout"),
                c.getDuration("dedup-window"));
    }

    private static List<String> csv(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}

package io.kairos.privacy;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kairos.privacy} configuration, read once at start.
 *
 * <p>The lookup secret keys the HMAC by which {@link PersonKeys} finds a subject's row without storing the subject. It
 * must be the same on every node and never change (a new secret finds no row, and every person would start over). In
 * production a node refuses to start without it (≥ 32 characters); only in dev mode, when it is unset, the public
 * {@link #DEV_SECRET} is used, with a warning.
 *
 * @param lookupSecret the HMAC-SHA256 key of subject lookups
 * @param cacheSize resolutions (and keys) each node keeps in memory
 * @param cacheTtl how long an unused resolution stays cached
 */
public record PrivacySettings(String lookupSecret, long cacheSize, Duration cacheTtl) {
    public static final String DEV_SECRET = "kairos-dev-privacy-secret-PUBLIC-do-not-use-in-production";
    static final int MIN_SECRET_LENGTH = 32;
    private static final Logger log = LoggerFactory.getLogger(PrivacySettings.class);

    public PrivacySettings {
        if (lookupSecret == null || lookupSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "kairos.privacy.lookup-secret (KAIROS_PRIVACY_SECRET) must be set to at least " + MIN_SECRET_LENGTH
                            + " characters: every node finds each person's key with it");
        }
    }

    public static PrivacySettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config());
    }

    /** From the root config: {@code kairos.privacy}, and {@code kairos.mode} (dev or production) when present. */
    public static PrivacySettings fromConfig(Config root) {
        var c = root.getConfig("kairos.privacy");
        boolean dev = root.hasPath("kairos.mode") && "dev".equals(root.getString("kairos.mode"));
        var secret = c.getString("lookup-secret");
        if (dev && secret.isEmpty()) {
            log.warn("kairos.privacy.lookup-secret is unset: using the public dev secret (dev mode only)");
            secret = DEV_SECRET;
        }
        return new PrivacySettings(secret, c.getLong("cache-size"), c.getDuration("cache-ttl"));
    }

    /**
     * The row key of a subject: HMAC-SHA256 under the lookup secret. The returned function keeps one {@link Mac} per
     * thread, given the key once (not on every call: it runs at each shopper start and each decision row).
     */
    Function<String, ByteBuffer> lookups() {
        var key = new SecretKeySpec(lookupSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        var macs = ThreadLocal.withInitial(() -> {
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
            }
        });
        return subject -> ByteBuffer.wrap(macs.get().doFinal(subject.getBytes(StandardCharsets.UTF_8)));
    }

    /** Never the secret itself. */
    @Override
    public String toString() {
        return "PrivacySettings[lookupSecret=(redacted), cacheSize=" + cacheSize + ", cacheTtl=" + cacheTtl + "]";
    }
}
